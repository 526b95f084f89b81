package org.selfhostedgateway.tokens;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

interface ApiTokenRepository extends JpaRepository<ApiToken, String> {

    Optional<ApiToken> findByTokenHash(String tokenHash);

    boolean existsByName(String name);

    List<ApiToken> findAllByOrderByCreatedAtAscNameAsc();

    @Modifying
    @Query("update ApiToken t set t.lastUsedAt = :at where t.id = :id")
    int markUsed(String id, Instant at);
}
