package org.selfhostedgateway.agent;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.selfhostedgateway.docker.HomeContainers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The home agent (issue 16): publishes containers that carry {@code selfhosted-gateway.*} labels, each through a
 * link it makes on the gateway and a client-link container it runs beside them. A plain Java program on the
 * control plane's jar, without Spring, the web server or a database, so it starts fast and stays small.
 * <p>
 * One thread does all the work: a full pass at start, then one after Docker's container events (gathered for a
 * moment, since compose sends several at once) and every {@code AGENT_RESYNC_SECONDS}, so a missed event costs
 * at most that long. A pass the gateway or the engine cannot answer is retried with a growing pause.
 */
public final class HomeAgent implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HomeAgent.class);
    /** Compose sends create, start and more within milliseconds: one pass answers them all. */
    private static final Duration GATHER_EVENTS = Duration.ofMillis(300);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(60);

    private final AgentSettings settings;
    private final HomeContainers docker;
    private final LabelSync sync;
    private final HttpServer health;
    private final Semaphore wake = new Semaphore(0);
    private final Thread worker;
    private final ObjectMapper json = new ObjectMapper();
    private volatile boolean closed;
    private volatile AutoCloseable events;
    private volatile boolean eventsEnded = true;
    private volatile Instant lastPassAt;
    private volatile String lastError = "no pass yet";

    private HomeAgent(AgentSettings settings) throws IOException {
        this.settings = settings;
        this.docker = HomeContainers.connect(settings.dockerHost());
        this.sync = new LabelSync(new Gateway(settings.gatewayUrl(), settings.token()), docker, settings);
        this.health = HttpServer.create(new InetSocketAddress(settings.healthAddress(), settings.healthPort()),
                4);
        health.createContext("/health", this::answerHealth);
        this.worker = new Thread(this::run, "home-agent");
    }

    /** Starts an agent with these settings (names as in its environment); close it to stop it. */
    public static HomeAgent start(Map<String, String> environment) throws IOException {
        HomeAgent agent = new HomeAgent(AgentSettings.fromEnvironment(environment));
        agent.health.start();
        agent.worker.start();
        log.info("agent {} started: gateway {}, health on port {}", agent.settings.agentId(),
                agent.settings.gatewayUrl(), agent.healthPort());
        return agent;
    }

    public static void main(String[] args) throws Exception {
        quietLibraries();
        HomeAgent agent;
        try {
            agent = start(System.getenv());
        }
        catch (IllegalArgumentException wrongSetting) {
            System.err.println("home-agent: " + wrongSetting.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(agent::close, "home-agent-stop"));
        agent.worker.join();
    }

    public int healthPort() {
        return health.getAddress().getPort();
    }

    private void run() {
        Duration pause = Duration.ZERO;
        while (!closed) {
            try {
                followEvents();
                sync.pass();
                if (!pause.isZero()) {
                    log.info("caught up: the gateway and the engine answer again");
                }
                pause = Duration.ZERO;
                lastPassAt = Instant.now();
                lastError = null;
            }
            catch (Gateway.Unavailable | RuntimeException failure) {
                pause = pause.isZero() ? Duration.ofSeconds(1) : min(pause.multipliedBy(2), LONGEST_PAUSE);
                lastError = failure.getMessage();
                log.warn("retry in {} s: {}", pause.toSeconds(), failure.getMessage());
                sleep(pause);
                continue;
            }
            waitForChange();
        }
    }

    /** (Re)subscribes to container events; the pass that follows covers whatever happened meanwhile. */
    private void followEvents() {
        if (!eventsEnded) {
            return;
        }
        closeEvents();
        eventsEnded = false;
        events = docker.followContainerEvents(wake::release, reason -> {
            if (!closed) {
                eventsEnded = true;
                wake.release();
            }
        });
    }

    private void waitForChange() {
        try {
            if (wake.tryAcquire(settings.resync().toMillis(), TimeUnit.MILLISECONDS)) {
                Thread.sleep(GATHER_EVENTS.toMillis());
                wake.drainPermits();
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    private void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    /** 200 when the last pass succeeded lately, else 503; both with what the agent made of each container. */
    private void answerHealth(HttpExchange exchange) throws IOException {
        Instant last = lastPassAt;
        boolean up = lastError == null && last != null
                && last.isAfter(Instant.now().minus(settings.resync().multipliedBy(3)).minusSeconds(60));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        body.put("agent", settings.agentId());
        body.put("owner", sync.owner());
        body.put("lastPassAt", last == null ? null : last.toString());
        body.put("lastError", lastError);
        body.put("containers", sync.records());
        byte[] bytes = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(up ? 200 : 503, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        if (closed && !worker.isAlive()) {
            return;
        }
        closed = true;
        worker.interrupt();
        try {
            worker.join(10_000);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeEvents();
        health.stop(0);
        docker.close();
        log.info("agent {} stopped", settings.agentId());
    }

    private void closeEvents() {
        AutoCloseable current = events;
        events = null;
        if (current != null) {
            try {
                current.close();
            }
            catch (Exception ignored) {
                // a stream that already ended
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) < 0 ? a : b;
    }

    /** docker-java and the HTTP client log every request at DEBUG by default: the agent's own lines are enough. */
    private static void quietLibraries() {
        if (LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(ch.qos.logback.classic.Level.WARN);
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.selfhostedgateway.agent"))
                    .setLevel(ch.qos.logback.classic.Level.INFO);
        }
    }
}
