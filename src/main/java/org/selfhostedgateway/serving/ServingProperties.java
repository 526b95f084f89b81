package org.selfhostedgateway.serving;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How the gateway checks that each link serves visitors.
 *
 * @param interval time between two checks of every link ({@code GATEWAY_SERVING_INTERVAL}, default 5m)
 * @param timeout for each DNS query, TCP connect, TLS handshake and HTTP answer ({@code GATEWAY_SERVING_TIMEOUT},
 * default 10s: the gateway NGINX gives up on a link's home side after 5 s)
 * @param dnsServer {@code host[:port]} of the DNS server asked for the names; empty: the resolvers of this
 * machine ({@code GATEWAY_SERVING_DNS_SERVER})
 * @param publicAddresses the addresses visitors should reach, that links' names must point at; empty: what
 * {@code GATEWAY_PUBLIC_HOST} resolves to ({@code GATEWAY_PUBLIC_ADDRESSES}, comma-separated)
 * @param expiryWarning a certificate that expires sooner is mentioned in the summary ({@code
 * GATEWAY_SERVING_EXPIRY_WARNING}, default 14d)
 */
@Validated
@ConfigurationProperties("gateway.serving")
record ServingProperties(
        @NotNull @DurationMin(seconds = 1) @DurationMax(days = 1) Duration interval,
        @NotNull @DurationMin(millis = 100) @DurationMax(minutes = 1) Duration timeout,
        String dnsServer,
        List<String> publicAddresses,
        @NotNull Duration expiryWarning) {

    ServingProperties {
        dnsServer = dnsServer == null ? "" : dnsServer.strip();
        publicAddresses = publicAddresses == null ? List.of()
                : publicAddresses.stream().map(String::strip).filter(a -> !a.isEmpty()).toList();
    }
}
