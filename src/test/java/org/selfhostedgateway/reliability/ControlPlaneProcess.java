package org.selfhostedgateway.reliability;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.selfhostedgateway.GatewayApplication;
import org.selfhostedgateway.TestApi;

/**
 * The control plane as a separate operating-system process, so that it can be killed with SIGKILL as a crash or an
 * out-of-memory kill would. It runs from the test class path ({@code target/classes} and the test runtime
 * dependencies), which exists in the {@code test} phase, before {@code package} makes the jar.
 */
final class ControlPlaneProcess {

    private final Process process;
    private final int port;
    private final Path log;

    private ControlPlaneProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts the control plane with these {@code --name=value} arguments and waits until its API answers. */
    static ControlPlaneProcess start(List<String> arguments, Path log, String token, Duration timeout) {
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(GatewayApplication.class.getName());
        command.addAll(arguments);
        command.add("--server.port=" + port);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            ControlPlaneProcess started = new ControlPlaneProcess(process, port, log);
            started.awaitApi(token, timeout);
            return started;
        }
        catch (IOException e) {
            throw new IllegalStateException("Cannot start the control plane: " + command, e);
        }
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no graceful stop, no flush. */
    void kill9() {
        process.destroyForcibly();
        waitForExit();
    }

    /** SIGTERM: Spring's graceful shutdown. */
    void stop() {
        process.destroy();
        if (!waitForExit()) {
            kill9();
        }
    }

    private boolean waitForExit() {
        try {
            return process.waitFor(30, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitApi(String token, Duration timeout) {
        TestApi api = new TestApi(port, token);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("The control plane exited with " + process.exitValue() + "; its log:\n"
                        + tail());
            }
            try {
                if (api.get("/links").status() == 200) {
                    return;
                }
            }
            catch (IllegalStateException notYet) {
                // not listening yet
            }
            sleep(100);
        }
        process.destroyForcibly();
        throw new AssertionError("The control plane did not answer within " + timeout.toSeconds() + " s; its log:\n"
                + tail());
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        }
        catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
