package io.breachwatch.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.breachwatch.metrics.OpenObligation;
import io.breachwatch.serde.JsonEvents;
import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The application's one HTTP port, read-only (GET and HEAD):
 * <ul>
 *   <li>{@code /metrics}: Prometheus text format</li>
 *   <li>{@code /health/live}: 200 unless Kafka Streams is ERROR, PENDING_ERROR or NOT_RUNNING, else 503</li>
 *   <li>{@code /health/ready}: 200 only while RUNNING, else 503</li>
 *   <li>{@code /api/incidents?rule=&severity=&tenant=&since=&limit=}: recent incidents as JSON</li>
 *   <li>{@code /api/obligations?tenant=&rule=&obligation=&limit=}: open notification obligations, earliest due first</li>
 *   <li>{@code /api/actors/{tenant}/{user}}: the actor's window values and baseline as JSON</li>
 *   <li>{@code /api/topology}: {@code Topology.describe()} as text</li>
 * </ul>
 * Bound to loopback unless configured otherwise. With a token configured, {@code /metrics} and {@code /api/*}
 * need {@code Authorization: Bearer <token>}; the health probes stay open (orchestrators call them without
 * credentials, and they reveal only the state). Errors are JSON {@code {"error": "..."}} without stack traces.
 */
public final class HttpApi implements AutoCloseable {
    public static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final String JSON_TYPE = "application/json";
    private static final String TEXT_TYPE = "text/plain; charset=utf-8";
    private static final Set<KafkaStreams.State> DEAD = EnumSet.of(
            KafkaStreams.State.ERROR, KafkaStreams.State.PENDING_ERROR, KafkaStreams.State.NOT_RUNNING);
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpConfig config;
    private final StreamsView view;
    private final Supplier<String> metrics;
    private final Clock clock;
    private final byte[] tokenDigest;
    private HttpServer server;
    private ExecutorService executor;

    /**
     * @param metrics the Prometheus scrape, e.g. {@code AppMetrics::scrape}
     */
    public HttpApi(HttpConfig config, StreamsView view, Supplier<String> metrics) {
        this(config, view, metrics, Clock.systemUTC());
    }

    /** @param clock what "now" is for the time until an obligation is due */
    public HttpApi(HttpConfig config, StreamsView view, Supplier<String> metrics, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.view = Objects.requireNonNull(view, "view");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.tokenDigest = config.token() == null ? null : sha256(config.token());
    }

    /** Binds and starts serving; fails with a message naming the address when the port cannot be bound. */
    public synchronized HttpApi start() {
        if (server != null) {
            return this;
        }
        var address = new InetSocketAddress(config.address(), config.port());
        if (address.isUnresolved()) {
            throw new IllegalStateException("http.address '" + config.address() + "' does not resolve");
        }
        try {
            server = HttpServer.create(address, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the HTTP API to " + config.address() + ":" + config.port()
                    + " (http.address, http.port): " + e.getMessage(), e);
        }
        var threads = new AtomicInteger();
        executor = Executors.newFixedThreadPool(2, r -> {
            var thread = new Thread(r, "breachwatch-http-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        warnIfExposed(address.getAddress());
        LOG.info("HTTP API at {} (metrics, health, incidents, obligations, actors, topology)", url());
        return this;
    }

    /** The port actually bound (the ephemeral one when configured with 0). */
    public int port() {
        if (server == null) {
            throw new IllegalStateException("HTTP API not started");
        }
        return server.getAddress().getPort();
    }

    /** Base URL, e.g. {@code http://127.0.0.1:8080}. */
    public String url() {
        var host = server.getAddress().getAddress();
        var text = host.isAnyLocalAddress() ? "localhost" : host.getHostAddress();
        return "http://" + (text.contains(":") ? "[" + text + "]" : text) + ":" + port();
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    private void warnIfExposed(InetAddress address) {
        if (!address.isLoopbackAddress() && tokenDigest == null) {
            LOG.warn("HTTP API bound to {} beyond loopback without a token: anyone who reaches this port can read "
                    + "incidents and actor state. Set http.token (BREACHWATCH_HTTP_TOKEN) or bind to 127.0.0.1.", config.address());
        }
    }

    private void handle(HttpExchange exchange) {
        var route = "unknown";
        int status;
        try {
            var method = exchange.getRequestMethod();
            var path = exchange.getRequestURI().getRawPath();
            route = routeName(path);
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                status = error(exchange, 405, "method " + method + " not allowed; this API is read-only (GET, HEAD)");
            } else if (needsToken(route) && !authorized(exchange)) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"breachwatch\"");
                status = error(exchange, 401, "missing or wrong bearer token");
            } else {
                status = dispatch(exchange, route, path);
            }
        } catch (BadParameterException e) {
            status = safeError(exchange, 400, e.getMessage());
        } catch (StreamsView.NotQueryableException e) {
            status = safeError(exchange, 503, e.getMessage());
        } catch (IOException e) {
            status = -1; // the client went away mid-response
        } catch (RuntimeException e) {
            LOG.error("HTTP {} failed", route, e);
            status = safeError(exchange, 500, "internal error; see the application log");
        } finally {
            exchange.close();
        }
        // the route, never the path: paths carry tenant and user ids
        LOG.debug("HTTP {} {} -> {}", exchange.getRequestMethod(), route, status);
    }

    private static String routeName(String path) {
        if (path.startsWith("/api/actors/")) {
            return "actors";
        }
        return switch (path) {
            case "/metrics" -> "metrics";
            case "/health/live" -> "live";
            case "/health/ready" -> "ready";
            case "/api/incidents" -> "incidents";
            case "/api/obligations" -> "obligations";
            case "/api/topology" -> "topology";
            case "/" -> "index";
            default -> "unknown";
        };
    }

    private static boolean needsToken(String route) {
        return !route.equals("live") && !route.equals("ready") && !route.equals("index") && !route.equals("unknown");
    }

    private int dispatch(HttpExchange exchange, String route, String path) throws IOException {
        return switch (route) {
            case "metrics" -> send(exchange, 200, PROMETHEUS_CONTENT_TYPE, metrics.get());
            case "live" -> health(exchange, !DEAD.contains(view.state()));
            case "ready" -> health(exchange, view.state() == KafkaStreams.State.RUNNING);
            case "incidents" -> incidents(exchange);
            case "obligations" -> obligations(exchange);
            case "actors" -> actor(exchange, path);
            case "topology" -> send(exchange, 200, TEXT_TYPE, view.topologyDescription());
            case "index" -> index(exchange);
            default -> error(exchange, 404, "no such endpoint; see / for the list");
        };
    }

    private int health(HttpExchange exchange, boolean up) throws IOException {
        var body = MAPPER.createObjectNode().put("status", up ? "UP" : "DOWN").put("state", view.state().name());
        return sendJson(exchange, up ? 200 : 503, body);
    }

    private int incidents(HttpExchange exchange) throws IOException {
        var query = IncidentQuery.parse(queryParameters(exchange.getRequestURI().getRawQuery()));
        var incidents = view.incidents(query);
        var body = MAPPER.createObjectNode();
        body.put("count", incidents.size());
        var array = body.putArray("incidents");
        incidents.forEach(incident -> array.add(JsonEvents.toTree(incident)));
        return sendJson(exchange, 200, body);
    }

    private int obligations(HttpExchange exchange) throws IOException {
        var query = ObligationQuery.parse(queryParameters(exchange.getRequestURI().getRawQuery()));
        var open = new ArrayList<OpenObligation>();
        view.forEachIncident(incident -> OpenObligation.of(incident).stream().filter(query::matches).forEach(open::add));
        var selected = query.select(open.stream());
        var now = clock.instant();
        var body = MAPPER.createObjectNode();
        body.put("now", now.toString());
        body.put("count", selected.size());
        var array = body.putArray("obligations");
        selected.forEach(o -> array.addObject()
                .put("incident_id", o.incidentId())
                .put("rule_id", o.ruleId())
                .put("severity", o.severity().name())
                .put("tenant_id", o.tenantId())
                .put("status", o.status().name())
                .put("obligation", o.obligation())
                .put("applies", o.applies())
                .put("due_at", o.dueAt().toString())
                .put("seconds_until_due", o.secondsUntilDue(now)));
        return sendJson(exchange, 200, body);
    }

    private int actor(HttpExchange exchange, String path) throws IOException {
        var segments = path.substring("/api/actors/".length()).split("/", -1);
        if (segments.length != 2 || segments[0].isEmpty() || segments[1].isEmpty()) {
            return error(exchange, 404, "use /api/actors/{tenant}/{user}");
        }
        if (exchange.getRequestURI().getRawQuery() != null) {
            throw new BadParameterException(queryParameters(exchange.getRequestURI().getRawQuery()).keySet().iterator().next(),
                    "unknown; /api/actors takes no query parameters");
        }
        var state = view.actor(decode(segments[0]), decode(segments[1]));
        var body = MAPPER.createObjectNode();
        body.put("tenant", state.tenant());
        body.put("user", state.user());
        var windows = body.putObject("windows");
        state.windows().forEach((store, values) -> {
            var array = windows.putArray(store);
            values.forEach(w -> array.addObject()
                    .put("window_start", w.windowStart().toString())
                    .set("value", AvroJson.anyToJson(w.value())));
        });
        var values = body.putObject("values");
        state.values().forEach((store, value) -> values.set(store, AvroJson.anyToJson(value)));
        return sendJson(exchange, 200, body);
    }

    private int index(HttpExchange exchange) throws IOException {
        var body = MAPPER.createObjectNode();
        var endpoints = body.putObject("endpoints");
        endpoints.put("/metrics", "Prometheus metrics");
        endpoints.put("/health/live", "200 unless Kafka Streams failed");
        endpoints.put("/health/ready", "200 while Kafka Streams is RUNNING");
        endpoints.put("/api/incidents", "recent incidents; parameters rule, severity, tenant, since, limit");
        endpoints.put("/api/obligations", "open notification obligations, earliest due first; parameters tenant, rule, obligation, limit");
        endpoints.put("/api/actors/{tenant}/{user}", "an actor's window values and baseline");
        endpoints.put("/api/topology", "the Kafka Streams topology");
        return sendJson(exchange, 200, body);
    }

    /** Parses a raw query string; a parameter given twice is an error rather than a silent pick. */
    static Map<String, String> queryParameters(String rawQuery) {
        var params = new LinkedHashMap<String, String>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (var pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            var name = decode(eq < 0 ? pair : pair.substring(0, eq));
            var value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (params.put(name, value) != null) {
                throw new BadParameterException(name, "given more than once");
            }
        }
        return params;
    }

    private static String decode(String raw) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadParameterException(raw, "bad percent-encoding");
        }
    }

    private boolean authorized(HttpExchange exchange) {
        if (tokenDigest == null) {
            return true;
        }
        var header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        // digests of equal length: the comparison time says nothing about the token's length or content
        return MessageDigest.isEqual(tokenDigest, sha256(header.substring(7).trim()));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    private int safeError(HttpExchange exchange, int status, String message) {
        try {
            return error(exchange, status, message);
        } catch (IOException | RuntimeException e) {
            // headers already sent or client gone: nothing more to tell it
            return status;
        }
    }

    private static int error(HttpExchange exchange, int status, String message) throws IOException {
        return sendJson(exchange, status, MAPPER.createObjectNode().put("error", message));
    }

    private static int sendJson(HttpExchange exchange, int status, JsonNode body) throws IOException {
        return send(exchange, status, JSON_TYPE, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(body) + "\n");
    }

    private static int send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        var bytes = body.getBytes(StandardCharsets.UTF_8);
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", contentType);
        headers.set("Cache-Control", "no-store");
        headers.set("X-Content-Type-Options", "nosniff");
        if (exchange.getRequestMethod().equals("HEAD")) {
            headers.set("Content-Length", Integer.toString(bytes.length));
            exchange.sendResponseHeaders(status, -1);
        } else {
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            exchange.getResponseBody().write(bytes);
        }
        return status;
    }
}
