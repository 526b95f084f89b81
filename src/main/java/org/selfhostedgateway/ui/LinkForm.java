package org.selfhostedgateway.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.selfhostedgateway.link.CreateLinkRequest;
import org.selfhostedgateway.link.PortMapping;

/**
 * The page's create form: the API's fields, the raw ports as text, one entry a line
 * ({@code tcp 25565 minecraft:25565}, {@code udp 50100-50199 turn:50100}, {@code tcp 2525 mail:25 proxy-v2}), and
 * the aliases as names separated by spaces, commas or lines.
 */
record LinkForm(String fqdn, String expose, String clientPublicKey, String ports, String aliases) {

    private static final Pattern LINE = Pattern.compile(
            "^(\\S+)\\s+(\\d{1,5})(?:\\s*-\\s*(\\d{1,5}))?\\s+(\\S+)(?:\\s+proxy-(\\S+))?$");

    static LinkForm empty() {
        return new LinkForm(null, null, null, null, null);
    }

    /** The same request the API takes; a line that is not an entry is named in {@code badLines} (1-based). */
    CreateLinkRequest request(List<Integer> badLines) {
        List<PortMapping> mappings = new ArrayList<>();
        String[] lines = ports == null ? new String[0] : ports.strip().split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            Matcher entry = LINE.matcher(line);
            if (!entry.matches()) {
                badLines.add(i + 1);
                continue;
            }
            mappings.add(new PortMapping(entry.group(1).toLowerCase(java.util.Locale.ROOT),
                    Integer.valueOf(entry.group(2)), entry.group(3) == null ? null : Integer.valueOf(entry.group(3)),
                    entry.group(4), entry.group(5)));
        }
        List<String> names = names(aliases);
        return new CreateLinkRequest(fqdn, expose, clientPublicKey, mappings.isEmpty() ? null : mappings, null,
                names.isEmpty() ? null : names);
    }

    /** Host names as people type them in a box: separated by spaces, commas or lines. */
    static List<String> names(String text) {
        return text == null ? List.of() : java.util.Arrays.stream(text.strip().split("[\\s,]+"))
                .filter(name -> !name.isEmpty()).toList();
    }
}
