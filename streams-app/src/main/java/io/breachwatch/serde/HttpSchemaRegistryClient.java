package io.breachwatch.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.breachwatch.config.ConfigException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link SchemaRegistryClient} over the Confluent Schema Registry REST API (also served by Apicurio Registry's
 * ccompat API and Karapace): {@code POST /subjects/{subject}/versions} to register, {@code GET /schemas/ids/{id}}
 * to look up. Both answers are cached for the life of the client: a registered id never changes its schema.
 *
 * <p>Every failure is a {@link RegistryException} with the URL (without credentials), the HTTP status (0 when no
 * response came: connection refused, timeout) and the registry's {@code error_code}.
 */
public final class HttpSchemaRegistryClient implements SchemaRegistryClient {
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY_IN_MESSAGE = 300;

    private final String baseUrl;
    private final RegistryConfig config;
    private final Optional<String> authorization;
    private final HttpClient http;
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();

    private record SubjectSchema(String subject, String schema) {
    }

    public HttpSchemaRegistryClient(RegistryConfig config) {
        if (config.isEmbedded()) {
            throw new IllegalArgumentException("registry.url is '" + RegistryConfig.EMBEDDED
                    + "': use SchemaRegistries.create for the in-memory registry");
        }
        this.config = config;
        var uri = URI.create(config.url());
        this.baseUrl = stripTrailingSlashes(withoutUserInfo(config.url()));
        this.authorization = basicAuth(config, uri);
        var builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER);
        if (config.truststorePath() != null) {
            builder.sslContext(sslContext(config));
        }
        this.http = builder.build();
    }

    public HttpSchemaRegistryClient(String url) {
        this(RegistryConfig.forUrl(url));
    }

    /** The base URL requests go to, without credentials. */
    public String baseUrl() {
        return baseUrl;
    }

    @Override
    public int register(String subject, Schema schema) {
        var text = schema.toString();
        var key = new SubjectSchema(subject, text);
        var cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        var url = baseUrl + "/subjects/" + encodePathSegment(subject) + "/versions";
        var body = JSON.createObjectNode().put("schema", text).toString();
        var json = send(url, request(url).POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
        var idNode = json.get("id");
        if (idNode == null || !idNode.canConvertToInt()) {
            throw new RegistryException(url, 200, 0, "response has no integer \"id\": " + abbreviate(json.toString()));
        }
        int id = idNode.intValue();
        idsBySubjectSchema.put(key, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    @Override
    public Schema schemaById(int id) {
        var cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        var url = baseUrl + "/schemas/ids/" + id;
        var json = send(url, request(url).GET());
        var type = json.path("schemaType").asText("AVRO");
        if (!type.equalsIgnoreCase("AVRO")) {
            throw new RegistryException(url, 200, 0, "schema id " + id + " is a " + type + " schema, not Avro");
        }
        var text = json.get("schema");
        if (text == null || !text.isTextual()) {
            throw new RegistryException(url, 200, 0, "response has no \"schema\" text: " + abbreviate(json.toString()));
        }
        Schema schema;
        try {
            schema = new Schema.Parser().parse(text.asText());
        } catch (SchemaParseException e) {
            throw new RegistryException(url, 200, 0, "schema id " + id + " is not a valid Avro schema: " + e.getMessage(), e);
        }
        var previous = schemasById.putIfAbsent(id, schema);
        return previous != null ? previous : schema;
    }

    private HttpRequest.Builder request(String url) {
        var builder = HttpRequest.newBuilder(URI.create(url))
                .timeout(config.readTimeout())
                .header("Accept", CONTENT_TYPE + ", application/json")
                .header("Content-Type", CONTENT_TYPE);
        authorization.ifPresent(value -> builder.header("Authorization", value));
        return builder;
    }

    private JsonNode send(String url, HttpRequest.Builder request) {
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            throw new RegistryException(url, 0, 0, "no connection within " + config.connectTimeout() + " (registry.connect-timeout)", e);
        } catch (HttpTimeoutException e) {
            throw new RegistryException(url, 0, 0, "no response within " + config.readTimeout() + " (registry.read-timeout)", e);
        } catch (ConnectException e) {
            throw new RegistryException(url, 0, 0, "cannot connect (" + describe(e) + "): is the schema registry running there?", e);
        } catch (IOException e) {
            throw new RegistryException(url, 0, 0, "request failed: " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(url, 0, 0, "interrupted while waiting for the registry", e);
        }
        var status = response.statusCode();
        var body = response.body();
        var json = parse(body);
        if (status / 100 != 2) {
            var errorCode = json == null ? 0 : json.path("error_code").asInt(0);
            var message = json != null && json.hasNonNull("message") ? json.get("message").asText() : abbreviate(body);
            throw new RegistryException(url, status, errorCode, message);
        }
        if (json == null || !json.isObject()) {
            throw new RegistryException(url, status, 0, "response is not a JSON object: " + abbreviate(body));
        }
        return json;
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static String describe(Throwable e) {
        var message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    private static String abbreviate(String text) {
        if (text == null || text.isBlank()) {
            return "(empty body)";
        }
        var oneLine = text.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= MAX_BODY_IN_MESSAGE ? oneLine : oneLine.substring(0, MAX_BODY_IN_MESSAGE) + "...";
    }

    /** A subject as one path segment: {@code /} and spaces encoded, as Confluent's own client does. */
    static String encodePathSegment(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Credentials from the config, else from the URL's user info ({@code https://user:password@host}). */
    private static Optional<String> basicAuth(RegistryConfig config, URI uri) {
        String credentials = null;
        if (config.basicAuthUser() != null) {
            credentials = config.basicAuthUser() + ":" + (config.basicAuthPassword() == null ? "" : config.basicAuthPassword());
        } else if (uri.getRawUserInfo() != null) {
            credentials = java.net.URLDecoder.decode(uri.getRawUserInfo(), StandardCharsets.UTF_8);
        }
        return Optional.ofNullable(credentials)
                .map(c -> "Basic " + Base64.getEncoder().encodeToString(c.getBytes(StandardCharsets.UTF_8)));
    }

    /** The URL without {@code user:password@}, so that no message or log shows a password. */
    static String withoutUserInfo(String url) {
        try {
            var uri = new URI(url);
            if (uri.getRawUserInfo() == null) {
                return url;
            }
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getRawPath(), null, null).toString();
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return url;
        }
    }

    private static String stripTrailingSlashes(String url) {
        var end = url.length();
        while (end > 0 && url.charAt(end - 1) == '/') {
            end--;
        }
        return url.substring(0, end);
    }

    private static SSLContext sslContext(RegistryConfig config) {
        var path = config.truststorePath();
        var password = config.truststorePassword() == null ? null : config.truststorePassword().toCharArray();
        try {
            var trustStore = KeyStore.getInstance(path.toFile(), password);
            var factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trustStore);
            var context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new ConfigException(RegistryConfig.TRUSTSTORE_LOCATION.key(),
                    "cannot load truststore " + path + " (PKCS12 or JKS; wrong password?): " + describe(e));
        }
    }
}
