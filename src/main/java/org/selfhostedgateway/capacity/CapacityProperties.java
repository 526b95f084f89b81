package org.selfhostedgateway.capacity;

import java.nio.file.Path;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * What the gateway host must keep for links.
 *
 * @param memoryPerLink host memory one idle link takes: its container, containerd's shim and Docker's proxy for its
 * UDP port ({@code GATEWAY_CAPACITY_MEMORY_PER_LINK}, default 12MB; benchmarks/capacity measures it)
 * @param memoryReserve memory a new link must leave available for everything else on the host
 * ({@code GATEWAY_CAPACITY_MEMORY_RESERVE}, default 128MB)
 * @param threadsPerLink processes and threads one link adds to the host's: wireguard-go, containerd's shim, Docker's
 * proxy for its UDP port ({@code GATEWAY_CAPACITY_THREADS_PER_LINK}, default 40; benchmarks/capacity counts them)
 * @param procDir where the kernel's figures are read ({@code /proc}; the control plane's container sees the host's)
 */
@Validated
@ConfigurationProperties("gateway.capacity")
record CapacityProperties(@NotNull DataSize memoryPerLink, @NotNull DataSize memoryReserve,
        @Min(1) int threadsPerLink, @NotNull Path procDir) {
}
