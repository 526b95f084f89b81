package org.selfhostedgateway.nginx;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.selfhostedgateway.docker.LinkContainers;
import org.selfhostedgateway.link.Cidr;
import org.selfhostedgateway.link.LinkIpRules;

/**
 * Renders the whole {@code links.access} that NGINX includes in its stream and http blocks: for each set of IP rules
 * one {@code geo} giving the visitor's address a verdict (1 served, 0 refused), and the map {@code $sg_access}
 * from a link's map value to that verdict. Links without rules are not in it and get the map's default, 1, without a
 * lookup of their own. Every network is parsed again here, so nothing but a canonical CIDR reaches NGINX.
 *
 * <p>Deny wins over allow, and a non-empty allow list refuses the rest. NGINX's geo picks the longest matching
 * prefix, and two CIDRs are either nested or disjoint, so it is enough to leave out each allowed network that lies
 * inside a denied one: a denied address then matches a deny entry at least as long as any allow entry it matches.
 */
final class LinkAccessFile {

    static final String FILE_NAME = "links.access";

    /** A new file waits here until NGINX has accepted it, as {@link LinkMap#CANDIDATE_FILE_NAME} does. */
    static final String CANDIDATE_FILE_NAME = "links.access.next";

    private static final Cidr ALL_IPV4 = Cidr.parse("0.0.0.0/0");
    private static final Cidr ALL_IPV6 = Cidr.parse("::/0");
    private static final String HEADER = "# Written by selfhosted-gateway from its database on every change. "
            + "Do not edit: it is replaced whole.\n# Visitor IP rules per link: 1 served, 0 refused (deny wins).\n";

    private LinkAccessFile() {
    }

    static String render(List<LinkIpRules> links) {
        StringBuilder file = new StringBuilder(HEADER);
        StringBuilder map = new StringBuilder("map $sg_link $sg_access {\n    default 1;\n");
        // Links with the same rules share one geo: NGINX registers variables one by one, each a search through those
        // before it, so fewer variables keep a reload fast when thousands of links have rules.
        Map<Map<Cidr, Integer>, String> variables = new LinkedHashMap<>();
        links.stream().filter(link -> !link.allow().isEmpty() || !link.deny().isEmpty())
                .sorted(Comparator.comparing(LinkIpRules::linkId)).forEach(link -> {
                    LinkMap.require(LinkMap.LINK_ID, link.linkId(), "link id");
                    Map<Cidr, Integer> verdicts = verdicts(link);
                    String variable = variables.get(verdicts);
                    if (variable == null) {
                        variable = "$sg_access_" + link.linkId().replace('-', '_');
                        variables.put(verdicts, variable);
                        file.append("geo $remote_addr ").append(variable).append(" {\n");
                        verdicts.forEach((cidr, verdict) -> file.append("    ").append(safe(cidr)).append(' ')
                                .append(verdict).append(";\n"));
                        file.append("}\n");
                    }
                    String container = LinkContainers.containerName(link.linkId());
                    map.append("    \"").append(container).append("\" ").append(variable).append(";\n");
                    map.append("    \"").append(container).append(LinkMap.PROXY_PROTOCOL_SUFFIX).append("\" ")
                            .append(variable).append(";\n");
                });
        return file.append(map).append("}\n").toString();
    }

    /** Each network of the link's geo and its verdict, widest first; the whole address space is always covered. */
    static Map<Cidr, Integer> verdicts(LinkIpRules link) {
        int otherwise = link.allow().isEmpty() ? 1 : 0;
        Map<Cidr, Integer> verdicts = new LinkedHashMap<>();
        List<Cidr> all = new ArrayList<>();
        all.add(ALL_IPV4);
        all.add(ALL_IPV6);
        link.deny().forEach(all::add);
        link.allow().forEach(all::add);
        all.stream().distinct().sorted(Cidr::compare).forEach(cidr -> {
            int verdict;
            if (link.deny().contains(cidr)) {
                verdict = 0;
            }
            else if (link.allow().contains(cidr)) {
                if (link.deny().stream().anyMatch(denied -> denied.contains(cidr))) {
                    return;
                }
                verdict = 1;
            }
            else {
                verdict = otherwise;
            }
            verdicts.put(cidr, verdict);
        });
        return verdicts;
    }

    /** The canonical text of a network, parsed once more: nothing else is ever written. */
    private static String safe(Cidr cidr) {
        String text = cidr.toString();
        if (!Cidr.parse(text).equals(cidr) || !text.matches("^[0-9a-f.:]{2,39}/[0-9]{1,3}$")) {
            throw new IllegalArgumentException("Refusing to write a network that is not safe for NGINX: " + text);
        }
        return text;
    }

    /** How many links a rendered file holds rules for: the check that a written file is whole. */
    static long links(String file) {
        return file.lines().filter(line -> line.startsWith("    \"sg-link-")).count() / 2;
    }
}
