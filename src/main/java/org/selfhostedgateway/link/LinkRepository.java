package org.selfhostedgateway.link;

import java.util.List;
import java.util.Optional;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface LinkRepository extends JpaRepository<Link, String> {

    Optional<Link> findByFqdn(String fqdn);

    List<Link> findAllByOrderByCreatedAtAscFqdnAsc();

    Page<Link> findAllBy(Pageable pageable);

    Page<Link> findByFqdnContaining(String part, Pageable pageable);

    @Query("select new org.selfhostedgateway.link.LinkRoute(l.fqdn, l.id, l.visitorAddress) from Link l "
            + "order by l.fqdn")
    List<LinkRoute> findAllRoutes();

    @Query("select new org.selfhostedgateway.link.LinkSummary(l.id, l.fqdn, l.state, l.clientEndpoint, l.createdAt) "
            + "from Link l order by l.createdAt, l.fqdn")
    List<LinkSummary> findAllSummaries();

    @Query("select new org.selfhostedgateway.link.PortHolder(l.id, l.fqdn, p.port) from Link l "
            + "join l.publicPorts p where p.protocol = :protocol and p.port between :first and :last "
            + "and l.id <> :exceptLinkId order by p.port")
    List<PortHolder> findPortHolders(String protocol, int first, int last, String exceptLinkId);

    @Query("select l.udpPort from Link l")
    List<Integer> findAllUdpPorts();
}
