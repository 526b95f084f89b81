package org.selfhostedgateway.e2e;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.selfhostedgateway.e2e.DataPlaneFixture.CommandOutput;
import org.testcontainers.containers.GenericContainer;

/**
 * Someone on the internet: a container with a fixed address on a network of its own, which reaches the gateway
 * NGINX (and nothing else of the test) by its address there, trusting only the test CA.
 */
final class Visitor {

    static final String CA_FILE = "/etc/sg-test/pebble-root.pem";

    private final GenericContainer<?> container;
    private final String address;
    private final String gatewayAddress;

    Visitor(GenericContainer<?> container, String address, String gatewayAddress) {
        this.container = container;
        this.address = address;
        this.gatewayAddress = gatewayAddress;
    }

    /** The visitor's own address, the one the home service must see. */
    String address() {
        return address;
    }

    /** HTTPS to this name through the gateway; extra curl arguments (headers, a PROXY line) come first. */
    CommandOutput https(String fqdn, String path, String... curlArgs) {
        return curl(fqdn, 443, "https://" + fqdn + path, curlArgs);
    }

    /** Plain HTTP on port 80 through the gateway: the status code, or what curl said. */
    CommandOutput http(String fqdn, String path, String... curlArgs) {
        List<String> args = new ArrayList<>(List.of("-o", "/dev/null", "-w", "%{http_code}"));
        args.addAll(List.of(curlArgs));
        return curl(fqdn, 80, "http://" + fqdn + path, args.toArray(String[]::new));
    }

    /** Opens a WebSocket (wss://) through the gateway and returns what arrived in the first three seconds. */
    CommandOutput webSocket(String fqdn, String path) {
        return curl(fqdn, 443, "wss://" + fqdn + path, "-m", "3");
    }

    private CommandOutput curl(String fqdn, int port, String url, String... curlArgs) {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "-m", "10", "--cacert", CA_FILE,
                "--resolve", fqdn + ":" + port + ":" + gatewayAddress));
        command.addAll(List.of(curlArgs));
        command.add(url);
        try {
            var result = container.execInContainer(command.toArray(String[]::new));
            return new CommandOutput(result.getExitCode(), result.getStdout() + result.getStderr());
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
