package io.breachwatch.serde;

import io.breachwatch.config.ConfigException;
import io.breachwatch.schema.AccessEvent;
import io.breachwatch.schema.Incident;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The HTTP client against a real HTTP server on a loopback port (not a mock object). */
class HttpSchemaRegistryClientTest {
    private static final String SUBJECT = "crm.access-events-value";

    private final List<LocalRegistryServer> servers = new ArrayList<>();

    @AfterEach
    void stopServers() {
        servers.forEach(LocalRegistryServer::close);
    }

    private LocalRegistryServer server(String contextPath) {
        var server = LocalRegistryServer.http(contextPath);
        servers.add(server);
        return server;
    }

    private static RegistryConfig config(String url, String user, String password, Duration readTimeout) {
        return new RegistryConfig(url, user, password, Duration.ofSeconds(2), readTimeout, null, null);
    }

    @Test
    void registersTheSchemaUnderTheSubjectAndReturnsTheId() throws IOException {
        var server = server("");
        var client = new HttpSchemaRegistryClient(server.url());

        var id = client.register(SUBJECT, AccessEvent.getClassSchema());

        assertThat(id).isEqualTo(1);
        var request = server.requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.rawPath()).isEqualTo("/subjects/crm.access-events-value/versions");
        assertThat(request.header("Content-Type")).isEqualTo("application/vnd.schemaregistry.v1+json");
        var body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(request.body());
        assertThat(body.get("schema").asText()).isEqualTo(AccessEvent.getClassSchema().toString());
        assertThat(request.header("Authorization")).isNull();
    }

    @Test
    void secondRegistrationOfTheSameSchemaMakesNoRequest() {
        var server = server("");
        var client = new HttpSchemaRegistryClient(server.url());

        var first = client.register(SUBJECT, AccessEvent.getClassSchema());
        var second = client.register(SUBJECT, AccessEvent.getClassSchema());
        var other = client.register("crm.incidents-value", Incident.getClassSchema());

        assertThat(second).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void looksUpASchemaByIdOverHttpOnceThenFromTheCache() {
        var server = server("");
        var id = server.preload(AccessEvent.getClassSchema().toString());
        var client = new HttpSchemaRegistryClient(server.url());

        var first = client.schemaById(id);
        var second = client.schemaById(id);

        assertThat(first).isEqualTo(AccessEvent.getClassSchema());
        assertThat(second).isSameAs(first);
        assertThat(server.requests()).singleElement()
                .satisfies(r -> assertThat(r.method() + " " + r.rawPath()).isEqualTo("GET /schemas/ids/" + id));
    }

    @Test
    void aSchemaItRegisteredIsKnownByIdWithoutARequest() {
        var server = server("");
        var client = new HttpSchemaRegistryClient(server.url());

        var id = client.register(SUBJECT, AccessEvent.getClassSchema());

        assertThat(client.schemaById(id)).isEqualTo(AccessEvent.getClassSchema());
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void keepsThePathOfTheBaseUrlAndEncodesTheSubject() {
        var server = server("/apis/ccompat/v7");
        var incidentId = server.preload(Incident.getClassSchema().toString());
        var client = new HttpSchemaRegistryClient(server.url() + "/");

        client.register("odd subject/with?chars", AccessEvent.getClassSchema());
        client.schemaById(incidentId);

        assertThat(server.requests()).extracting(LocalRegistryServer.Request::rawPath).containsExactly(
                "/apis/ccompat/v7/subjects/odd%20subject%2Fwith%3Fchars/versions",
                "/apis/ccompat/v7/schemas/ids/1");
    }

    @Test
    void sendsBasicAuthFromTheConfig() {
        var server = server("");
        var client = new HttpSchemaRegistryClient(config(server.url(), "breachwatch", "s3cret", Duration.ofSeconds(5)));

        client.register(SUBJECT, AccessEvent.getClassSchema());

        assertThat(server.requests().get(0).header("Authorization"))
                .isEqualTo("Basic " + base64("breachwatch:s3cret"));
    }

    @Test
    void sendsBasicAuthFromUrlUserInfoButNeverShowsThePassword() {
        var server = server("");
        var url = server.url().replace("http://", "http://reader:pa%3Ass@");
        var client = new HttpSchemaRegistryClient(url);
        server.replyWith(401, "application/json", "{\"error_code\":40101,\"message\":\"Unauthorized\"}");

        assertThatThrownBy(() -> client.schemaById(7))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("HTTP 401")
                .hasMessageNotContaining("pa%3Ass").hasMessageNotContaining("pa:ss");
        assertThat(server.requests().get(0).header("Authorization")).isEqualTo("Basic " + base64("reader:pa:ss"));
        assertThat(client.baseUrl()).isEqualTo(server.url());
    }

    @Test
    void unknownIdSurfacesStatusErrorCodeAndUrl() {
        var server = server("");
        var client = new HttpSchemaRegistryClient(server.url());

        assertThatThrownBy(() -> client.schemaById(99))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(404);
                    assertThat(e.errorCode()).isEqualTo(40403);
                    assertThat(e.url()).isEqualTo(server.url() + "/schemas/ids/99");
                    assertThat(e.isNotFound()).isTrue();
                })
                .hasMessage("schema registry request failed: " + server.url()
                        + "/schemas/ids/99 -> HTTP 404, error_code 40403: Schema not found");
    }

    @Test
    void deserializerTurnsAnUnknownIdAtTheRegistryIntoASerializationException() {
        var server = server("");
        var bytes = new byte[]{0, 0, 0, 0, 99, 0};
        var deserializer = new AvroDeserializer<AccessEvent>(new HttpSchemaRegistryClient(server.url()), AccessEvent.getClassSchema());

        assertThatThrownBy(() -> deserializer.deserialize("crm.access-events", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Unknown schema id 99")
                .hasMessageContaining("error_code 40403");
    }

    @Test
    void serverErrorSurfacesStatusAndErrorCode() {
        var server = server("");
        server.replyWith(500, "application/json", "{\"error_code\":50001,\"message\":\"Error in the backend data store\"}");
        var client = new HttpSchemaRegistryClient(server.url());

        assertThatThrownBy(() -> client.register(SUBJECT, AccessEvent.getClassSchema()))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(500);
                    assertThat(e.errorCode()).isEqualTo(50001);
                    assertThat(e.isNotFound()).isFalse();
                })
                .hasMessageContaining(server.url() + "/subjects/crm.access-events-value/versions")
                .hasMessageContaining("Error in the backend data store");
    }

    @Test
    void errorWithoutJsonShowsTheStartOfTheBody() {
        var server = server("");
        server.replyWith(502, "text/html", "<html><body>Bad Gateway from the proxy</body></html>");
        var client = new HttpSchemaRegistryClient(server.url());

        assertThatThrownBy(() -> client.schemaById(1))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.errorCode()).isZero())
                .hasMessageContaining("HTTP 502")
                .hasMessageContaining("Bad Gateway from the proxy");
    }

    @Test
    void successWithoutAnIdIsAClearError() {
        var server = server("");
        server.replyWith(200, "application/json", "{\"version\":3}");
        var client = new HttpSchemaRegistryClient(server.url());

        assertThatThrownBy(() -> client.register(SUBJECT, AccessEvent.getClassSchema()))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("no integer \"id\"");
    }

    @Test
    void nonAvroSchemaIsRefused() {
        var server = server("");
        server.replyWith(200, "application/json", "{\"schemaType\":\"PROTOBUF\",\"schema\":\"syntax = \\\"proto3\\\";\"}");
        var client = new HttpSchemaRegistryClient(server.url());

        assertThatThrownBy(() -> client.schemaById(3))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("schema id 3 is a PROTOBUF schema, not Avro");
    }

    @Test
    void connectionRefusedIsStatusZeroNamingTheUrl() throws IOException {
        int port;
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        var url = "http://127.0.0.1:" + port;
        var client = new HttpSchemaRegistryClient(url);

        assertThatThrownBy(() -> client.schemaById(1))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.httpStatus()).isZero())
                .hasMessageContaining(url + "/schemas/ids/1")
                .hasMessageContaining("cannot connect");
    }

    @Test
    void unansweredRequestTimesOutWithStatusZero() {
        var server = server("");
        server.hang();
        var client = new HttpSchemaRegistryClient(config(server.url(), null, null, Duration.ofMillis(300)));

        var started = System.nanoTime();
        assertThatThrownBy(() -> client.schemaById(1))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.httpStatus()).isZero())
                .hasMessageContaining(server.url() + "/schemas/ids/1")
                .hasMessageContaining("no response within PT0.3S (registry.read-timeout)");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void talksTlsWithTheConfiguredTruststore(@TempDir Path dir) throws Exception {
        var tls = TestCertificates.create(dir);
        var server = LocalRegistryServer.https(tls.serverContext());
        servers.add(server);
        var trusting = new HttpSchemaRegistryClient(new RegistryConfig(server.url(), null, null,
                Duration.ofSeconds(5), Duration.ofSeconds(5), tls.truststore(), TestCertificates.PASSWORD));

        assertThat(trusting.register(SUBJECT, AccessEvent.getClassSchema())).isEqualTo(1);

        var jdkDefaultTrust = new HttpSchemaRegistryClient(server.url());
        assertThatThrownBy(() -> jdkDefaultTrust.schemaById(1))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.httpStatus()).isZero())
                .hasMessageContaining(server.url());
    }

    @Test
    void unreadableTruststoreIsAConfigErrorNamingTheKey(@TempDir Path dir) throws IOException {
        var notAKeystore = Files.writeString(dir.resolve("trust.p12"), "not a keystore");
        var config = new RegistryConfig("https://registry.example:8081", null, null,
                Duration.ofSeconds(1), Duration.ofSeconds(1), notAKeystore, "x");

        assertThatThrownBy(() -> new HttpSchemaRegistryClient(config))
                .isInstanceOfSatisfying(ConfigException.class,
                        e -> assertThat(e.key()).isEqualTo("registry.ssl.truststore.location"))
                .hasMessageContaining(notAKeystore.toString());
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A self-signed server certificate for 127.0.0.1 and a truststore holding it, made with the JDK's keytool. */
    record TestCertificates(SSLContext serverContext, Path truststore) {
        static final String PASSWORD = "changeit";

        static TestCertificates create(Path dir) throws Exception {
            var keystore = dir.resolve("server.p12");
            var cert = dir.resolve("server.crt");
            var truststore = dir.resolve("trust.p12");
            keytool("-genkeypair", "-alias", "registry", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
                    "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
            keytool("-exportcert", "-alias", "registry", "-keystore", keystore.toString(), "-storepass", PASSWORD,
                    "-rfc", "-file", cert.toString());
            keytool("-importcert", "-noprompt", "-alias", "registry", "-file", cert.toString(),
                    "-keystore", truststore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);

            var keys = KeyStore.getInstance(keystore.toFile(), PASSWORD.toCharArray());
            var keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, PASSWORD.toCharArray());
            var context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), null, null);
            return new TestCertificates(context, truststore);
        }

        private static void keytool(String... args) throws IOException, InterruptedException {
            var command = new ArrayList<String>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
            command.addAll(List.of(args));
            var process = new ProcessBuilder(command).redirectErrorStream(true).start();
            var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
            }
        }
    }
}
