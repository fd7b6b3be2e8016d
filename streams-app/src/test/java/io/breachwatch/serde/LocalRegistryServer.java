package io.breachwatch.serde;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on a loopback port that speaks the part of the Confluent Schema Registry REST API the
 * client uses, records every request it gets, and can be told to fail or hang.
 */
public final class LocalRegistryServer implements AutoCloseable {
    /** One request as the server saw it. */
    record Request(String method, String rawPath, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    /** A canned answer that replaces the normal behaviour. */
    record Reply(int status, String contentType, String body) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final String contextPath;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<Integer, String> schemasById = new ConcurrentHashMap<>();
    private final Map<String, Integer> idsBySchema = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile Reply cannedReply;
    private volatile boolean hang;

    private LocalRegistryServer(HttpServer server, String contextPath) {
        this.server = server;
        this.contextPath = contextPath;
        server.createContext(contextPath.isEmpty() ? "/" : contextPath, this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public static LocalRegistryServer http(String contextPath) {
        try {
            return new LocalRegistryServer(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0), contextPath);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static LocalRegistryServer https(SSLContext tls) {
        try {
            var server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(tls));
            return new LocalRegistryServer(server, "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Base URL for the client, e.g. {@code http://127.0.0.1:PORT/apis/ccompat/v7}. */
    public String url() {
        var scheme = server instanceof HttpsServer ? "https" : "http";
        return scheme + "://127.0.0.1:" + server.getAddress().getPort() + contextPath;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Every later request gets this answer. */
    void replyWith(int status, String contentType, String body) {
        cannedReply = new Reply(status, contentType, body);
    }

    /** Every later request waits without answering until the server closes. */
    void hang() {
        hang = true;
    }

    /** A schema the registry holds before any client talks to it. */
    int preload(String schema) {
        var id = nextId.getAndIncrement();
        schemasById.put(id, schema);
        idsBySchema.put(schema, id);
        return id;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            var body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            var rawPath = exchange.getRequestURI().getRawPath();
            requests.add(new Request(exchange.getRequestMethod(), rawPath, Map.copyOf(exchange.getRequestHeaders()), body));
            if (hang) {
                release.await(30, TimeUnit.SECONDS);
                return;
            }
            var reply = cannedReply != null ? cannedReply : answer(exchange.getRequestMethod(), rawPath.substring(contextPath.length()), body);
            var bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", reply.contentType());
            exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Reply answer(String method, String path, String body) throws IOException {
        if (method.equals("POST") && path.matches("/subjects/[^/]+/versions")) {
            var schema = JSON.readTree(body).get("schema").asText();
            var id = idsBySchema.computeIfAbsent(schema, s -> {
                var newId = nextId.getAndIncrement();
                schemasById.put(newId, s);
                return newId;
            });
            return json(200, JSON.createObjectNode().put("id", id).toString());
        }
        if (method.equals("GET") && path.startsWith("/schemas/ids/")) {
            var schema = schemasById.get(Integer.parseInt(path.substring("/schemas/ids/".length())));
            if (schema == null) {
                return json(404, "{\"error_code\":40403,\"message\":\"Schema not found\"}");
            }
            return json(200, JSON.createObjectNode().put("schema", schema).toString());
        }
        return json(404, "{\"error_code\":404,\"message\":\"HTTP 404 Not Found\"}");
    }

    private static Reply json(int status, String body) {
        return new Reply(status, HttpSchemaRegistryClient.CONTENT_TYPE, body);
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
