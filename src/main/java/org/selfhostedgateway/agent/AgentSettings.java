package org.selfhostedgateway.agent;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The agent's settings, from its environment (README, "Links from Docker labels"). A missing or wrong one stops
 * the start with a message naming it: these are fixed at deploy time, unlike labels, which are refused one by one.
 *
 * @param healthAddress where the health endpoint listens: 127.0.0.1 keeps it on the host when the agent runs on
 * the host's network
 * @param clientImage replaces the image the snippet names (empty: the snippet's)
 * @param clientEnvironment passed to every client-link beside the snippet's values (ACME_CA, ACME_EMAIL, LINK_MTU)
 * @param acmeCaRoot a PEM file the agent reads and copies into every client-link as its ACME_CA_ROOT
 */
record AgentSettings(URI gatewayUrl, String token, String agentId, String dockerHost, Duration resync,
        String healthAddress, int healthPort, Optional<String> clientImage, Map<String, String> clientEnvironment,
        Optional<byte[]> acmeCaRoot) {

    /** Values the client-link image reads that the agent hands on as they are. */
    private static final String[] PASSED_TO_CLIENTS = {"ACME_CA", "ACME_EMAIL", "LINK_MTU"};

    static AgentSettings fromEnvironment(Map<String, String> env) {
        String url = required(env, "AGENT_GATEWAY_URL", "the gateway's API, e.g. https://gw-api.example.com");
        if (!url.matches("^https?://[^\\s/]+(/.*)?$")) {
            throw new IllegalArgumentException("AGENT_GATEWAY_URL must be an http:// or https:// URL, not " + url);
        }
        String token = token(env);
        String agentId = env.getOrDefault("AGENT_ID", "home");
        if (!agentId.matches("^[a-z0-9][a-z0-9-]{0,30}$")) {
            throw new IllegalArgumentException("AGENT_ID must be 1-31 lower-case letters, digits or hyphens");
        }
        Map<String, String> passed = new LinkedHashMap<>();
        for (String name : PASSED_TO_CLIENTS) {
            if (env.get(name) != null && !env.get(name).isBlank()) {
                passed.put(name, env.get(name));
            }
        }
        Optional<byte[]> caRoot = Optional.ofNullable(env.get("ACME_CA_ROOT")).filter(path -> !path.isBlank())
                .map(path -> read(Path.of(path), "ACME_CA_ROOT"));
        return new AgentSettings(URI.create(url.replaceFirst("/+$", "")), token, agentId,
                env.getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock"),
                Duration.ofSeconds(number(env, "AGENT_RESYNC_SECONDS", 30, 1, 3600)),
                env.getOrDefault("AGENT_HEALTH_ADDRESS", "0.0.0.0"), number(env, "AGENT_HEALTH_PORT", 8099, 0, 65535),
                Optional.ofNullable(env.get("AGENT_CLIENT_IMAGE")).filter(image -> !image.isBlank()), passed,
                caRoot);
    }

    /** From AGENT_TOKEN_FILE (a compose secret) or AGENT_TOKEN. */
    private static String token(Map<String, String> env) {
        String file = env.get("AGENT_TOKEN_FILE");
        String token = file != null && !file.isBlank()
                ? new String(read(Path.of(file), "AGENT_TOKEN_FILE"), java.nio.charset.StandardCharsets.UTF_8).strip()
                : required(env, "AGENT_TOKEN", "a named token for this agent (or AGENT_TOKEN_FILE)");
        if (!token.matches("^[\\x21-\\x7e]{16,512}$")) {
            throw new IllegalArgumentException("the agent's token must be 16-512 printable characters");
        }
        return token;
    }

    private static String required(Map<String, String> env, String name, String what) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required: " + what);
        }
        return value.strip();
    }

    private static int number(Map<String, String> env, String name, int fallback, int min, int max) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value.strip());
            if (number >= min && number <= max) {
                return number;
            }
        }
        catch (NumberFormatException ignored) {
            // said below
        }
        throw new IllegalArgumentException(name + " must be a number from " + min + " to " + max + ", not " + value);
    }

    private static byte[] read(Path file, String name) {
        try {
            return Files.readAllBytes(file);
        }
        catch (IOException e) {
            throw new IllegalArgumentException(name + ": cannot read " + file + " (" + e.getMessage() + ")");
        }
    }
}
