package org.selfhostedgateway.link;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

/**
 * How {@code GET /links/{id}/compose} hands out the snippet. People and curl get YAML; clients generated from
 * openapi.yaml ask for JSON and get the same text as a JSON string, which is all they can read; text/plain for
 * those who ask for it. A caller that accepts none of these still gets YAML rather than a 406.
 */
final class SnippetFormats {

    static final MediaType YAML = new MediaType("application", "yaml", StandardCharsets.UTF_8);
    private static final MediaType TEXT = new MediaType("text", "plain", StandardCharsets.UTF_8);
    private static final MediaType JSON = MediaType.APPLICATION_JSON;
    private static final JsonMapper JSON_TEXT = JsonMapper.builder().build();

    private SnippetFormats() {
    }

    /** The first of YAML, JSON and plain text that the Accept header allows, by quality and then by its order. */
    static MediaType choose(String accept) {
        List<MediaType> accepted;
        try {
            accepted = accept == null || accept.isBlank() ? List.of(MediaType.ALL) : MediaType.parseMediaTypes(accept);
        }
        catch (InvalidMediaTypeException unreadable) {
            return YAML;
        }
        List<MediaType> byPreference = new ArrayList<>(accepted);
        byPreference.sort(Comparator.comparingDouble(MediaType::getQualityValue).reversed());
        for (MediaType wanted : byPreference) {
            if (wanted.getQualityValue() == 0) {
                continue;
            }
            for (MediaType offered : List.of(YAML, JSON, TEXT)) {
                if (wanted.includes(offered)) {
                    return offered;
                }
            }
        }
        return YAML;
    }

    static String encode(String snippet, MediaType type) {
        return JSON.equalsTypeAndSubtype(type) ? JSON_TEXT.writeValueAsString(snippet) : snippet;
    }
}
