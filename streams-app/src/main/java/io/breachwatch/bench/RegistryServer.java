package io.breachwatch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.breachwatch.serde.InMemorySchemaRegistry;
import io.breachwatch.serde.RegistryException;
import org.apache.avro.Schema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A schema registry for the bench's JVMs: {@link InMemorySchemaRegistry} behind the two calls of the Confluent REST
 * API that Breachwatch's client makes ({@code POST /subjects/{subject}/versions}, {@code GET /schemas/ids/{id}}),
 * on a loopback port. The bench's producers use {@link #registry()} directly; the app in its child JVM sets
 * {@code registry.url} to {@link #url()}: one id space for every process.
 */
public final class RegistryServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
        var thread = new Thread(r, "bench-registry");
        thread.setDaemon(true);
        return thread;
    });

    public RegistryServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the bench schema registry: " + e.getMessage(), e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public InMemorySchemaRegistry registry() {
        return registry;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            var path = exchange.getRequestURI().getPath();
            var method = exchange.getRequestMethod();
            int status = 200;
            String body;
            try {
                if (method.equals("POST") && path.matches("/subjects/[^/]+/versions")) {
                    var subject = path.substring("/subjects/".length(), path.length() - "/versions".length());
                    var schemaText = JSON.readTree(exchange.getRequestBody()).path("schema").asText();
                    body = JSON.createObjectNode().put("id", registry.register(subject, new Schema.Parser().parse(schemaText))).toString();
                } else if (method.equals("GET") && path.matches("/schemas/ids/\\d+")) {
                    var schema = registry.schemaById(Integer.parseInt(path.substring("/schemas/ids/".length())));
                    body = JSON.createObjectNode().put("schema", schema.toString()).toString();
                } else {
                    status = 404;
                    body = "{\"error_code\":404,\"message\":\"HTTP 404 Not Found\"}";
                }
            } catch (RegistryException e) {
                status = 404;
                body = "{\"error_code\":40403,\"message\":\"Schema not found\"}";
            } catch (RuntimeException e) {
                status = 422;
                body = JSON.createObjectNode().put("error_code", 42201).put("message", "Invalid schema: " + e.getMessage()).toString();
            }
            var bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
