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

    /** Links any of whose names (main fqdn or alias) contains this part. */
    @Query("select l from Link l where l.id in (select m.id from Link m join m.names n where n.name like %:part%)")
    Page<Link> findByAnyNameContaining(String part, Pageable pageable);

    @Query("select new org.selfhostedgateway.link.LinkSummary(l.id, l.fqdn, l.state, l.clientEndpoint, l.createdAt) "
            + "from Link l order by l.createdAt, l.fqdn")
    List<LinkSummary> findAllSummaries();

    @Query("select new org.selfhostedgateway.link.PortHolder(l.id, l.fqdn, p.port) from Link l "
            + "join l.publicPorts p where p.protocol = :protocol and p.port between :first and :last "
            + "and l.id <> :exceptLinkId order by p.port")
    List<PortHolder> findPortHolders(String protocol, int first, int last, String exceptLinkId);

    /** The link with this name, main fqdn or alias. */
    @Query("select l from Link l join l.names n where n.name = :name")
    Optional<Link> findByName(String name);

    /** Which of these names other links hold, and which links. */
    @Query("select new org.selfhostedgateway.link.NameOwner(n.name, l.id, l.fqdn) from Link l join l.names n "
            + "where n.name in :names and l.id <> :exceptLinkId order by n.name")
    List<NameOwner> findNameOwners(java.util.Collection<String> names, String exceptLinkId);

    /** One map line per name of every link: the main fqdn and each alias go to the same link. */
    @Query("select new org.selfhostedgateway.link.LinkRoute(n.name, l.id, l.visitorAddress) from Link l "
            + "join l.names n order by n.name")
    List<LinkRoute> findAllNameRoutes();

    @Query("select l.udpPort from Link l")
    List<Integer> findAllUdpPorts();
}
