package org.selfhostedgateway.audit;

import java.util.List;

import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;

interface AuditRepository extends JpaRepository<AuditEvent, Long> {

    List<AuditEvent> findByOrderByIdDesc(Limit limit);

    List<AuditEvent> findByIdLessThanOrderByIdDesc(long before, Limit limit);
}
