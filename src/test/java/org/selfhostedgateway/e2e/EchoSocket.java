package org.selfhostedgateway.e2e;

import java.net.InetAddress;
import java.net.URI;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

/**
 * A WebSocket through the gateway to an echo app, as a browser would hold one: {@code wss://fqdn/path}, the name
 * resolved to the gateway NGINX, the certificate checked against the test CA for that name.
 */
final class EchoSocket implements AutoCloseable {

    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final Client client;
    private volatile String closedBecause;

    EchoSocket(String fqdn, String path, String gatewayIp, SSLContext trust) throws Exception {
        client = new Client(URI.create("wss://" + fqdn + path));
        // The name stays on the address, so SNI and the certificate check both use it.
        InetAddress gateway = InetAddress.getByAddress(fqdn, InetAddress.getByName(gatewayIp).getAddress());
        client.setDnsResolver(uri -> gateway);
        client.setSocketFactory(trust.getSocketFactory());
        client.setConnectionLostTimeout(0); // the test decides when the connection counts as lost
        if (!client.connectBlocking(20, TimeUnit.SECONDS)) {
            throw new AssertionError("no WebSocket to wss://" + fqdn + path + ": " + closedBecause);
        }
    }

    /** Sends one line and waits for the app to echo it; the reply, or null when none came in time. */
    String roundTrip(String line, long timeoutSeconds) throws InterruptedException {
        client.send(line);
        return received.poll(timeoutSeconds, TimeUnit.SECONDS);
    }

    boolean isOpen() {
        return client.isOpen();
    }

    /** Why the connection closed, or null while it is open. */
    String closedBecause() {
        return closedBecause;
    }

    @Override
    public void close() throws InterruptedException {
        client.closeBlocking();
    }

    private final class Client extends WebSocketClient {

        Client(URI uri) {
            super(uri);
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
        }

        @Override
        public void onMessage(String message) {
            received.add(message);
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            closedBecause = "closed " + (remote ? "by the far end" : "here") + ", code " + code + " " + reason;
        }

        @Override
        public void onError(Exception e) {
            closedBecause = "error: " + e;
        }
    }
}
