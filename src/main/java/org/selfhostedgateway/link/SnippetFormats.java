package org.selfhostedgateway.link;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

/**
 * How {@code GET /links/{id}/compose} and {@code GET /links/{id}/wireguard} hand out their text. People and curl get
 * the text's own type (YAML for the snippet, plain text for the config); clients generated from openapi.yaml ask for
 * JSON and get the same text as a JSON string, which is all they can read; text/plain for those who ask for it. A
 * caller that accepts none of these still gets the text's own type rather than a 406.
 */
final class SnippetFormats {

    static final MediaType YAML = new MediaType("application", "yaml", StandardCharsets.UTF_8);
    static final MediaType TEXT = new MediaType("text", "plain", StandardCharsets.UTF_8);
    private static final MediaType JSON = MediaType.APPLICATION_JSON;
    private static final JsonMapper JSON_TEXT = JsonMapper.builder().build();

    private SnippetFormats() {
    }

    /** For the snippet: the first of YAML, JSON and plain text that the Accept header allows. */
    static MediaType choose(String accept) {
        return choose(accept, YAML, JSON, TEXT);
    }

    /** The first offered type the Accept header allows, by quality and then by its order; else the first offered. */
    static MediaType choose(String accept, MediaType... offered) {
        List<MediaType> accepted;
        try {
            accepted = accept == null || accept.isBlank() ? List.of(MediaType.ALL) : MediaType.parseMediaTypes(accept);
        }
        catch (InvalidMediaTypeException unreadable) {
            return offered[0];
        }
        List<MediaType> byPreference = new ArrayList<>(accepted);
        byPreference.sort(Comparator.comparingDouble(MediaType::getQualityValue).reversed());
        for (MediaType wanted : byPreference) {
            if (wanted.getQualityValue() == 0) {
                continue;
            }
            for (MediaType type : offered) {
                if (wanted.includes(type)) {
                    return type;
                }
            }
        }
        return offered[0];
    }

    static String encode(String text, MediaType type) {
        return JSON.equalsTypeAndSubtype(type) ? JSON_TEXT.writeValueAsString(text) : text;
    }
}
