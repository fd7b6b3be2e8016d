package io.breachwatch.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.breachwatch.schema.Baseline;
import io.breachwatch.schema.Severity;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.breachwatch.http.Incidents.incident;
import static org.assertj.core.api.Assertions.assertThat;

class HttpApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2025-11-03T02:00:00Z");

    private final HttpClient client = HttpClient.newHttpClient();
    private final FakeStreamsView view = new FakeStreamsView();
    private HttpApi api;

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    private HttpApi start(String token) {
        api = new HttpApi(new HttpConfig("127.0.0.1", 0, token), view,
                () -> "# TYPE breachwatch_events_consumed_total counter\nbreachwatch_events_consumed_total 3.0\n").start();
        return api;
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        return send("GET", path, headers);
    }

    private HttpResponse<String> send(String method, String path, String... headers) throws Exception {
        var builder = HttpRequest.newBuilder(URI.create(api.url() + path)).method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        return JSON.readTree(response.body());
    }

    @Test
    void bindsToLoopbackOnAnEphemeralPortByDefault() {
        start(null);
        assertThat(api.port()).isPositive();
        assertThat(api.url()).startsWith("http://127.0.0.1:");
    }

    @Test
    void servesPrometheusTextOnMetrics() throws Exception {
        start(null);
        var response = get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(response.body()).contains("breachwatch_events_consumed_total 3.0");
    }

    @Test
    void readyIs503BeforeRunningAnd200WhileRunning() throws Exception {
        start(null);
        view.state = KafkaStreams.State.REBALANCING;
        var before = get("/health/ready");
        assertThat(before.statusCode()).isEqualTo(503);
        assertThat(json(before).get("state").asText()).isEqualTo("REBALANCING");
        assertThat(json(before).get("status").asText()).isEqualTo("DOWN");

        view.state = KafkaStreams.State.RUNNING;
        var after = get("/health/ready");
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(json(after).get("status").asText()).isEqualTo("UP");
    }

    @Test
    void liveStaysUpWhileStartingOrRebalancingAndFailsOnErrorOrShutdown() throws Exception {
        start(null);
        for (var state : List.of(KafkaStreams.State.CREATED, KafkaStreams.State.REBALANCING, KafkaStreams.State.RUNNING)) {
            view.state = state;
            assertThat(get("/health/live").statusCode()).as(state.name()).isEqualTo(200);
        }
        for (var state : List.of(KafkaStreams.State.ERROR, KafkaStreams.State.PENDING_ERROR, KafkaStreams.State.NOT_RUNNING)) {
            view.state = state;
            var response = get("/health/live");
            assertThat(response.statusCode()).as(state.name()).isEqualTo(503);
            assertThat(json(response).get("state").asText()).isEqualTo(state.name());
        }
    }

    @Test
    void listsIncidentsNewestFirstAsPlainJson() throws Exception {
        start(null);
        view.incidents.add(incident("i-old", "bulk-export", Severity.HIGH, "t1", T0));
        view.incidents.add(incident("i-new", "record-enumeration", Severity.CRITICAL, "t2", T0.plusSeconds(60)));

        var body = json(get("/api/incidents"));
        assertThat(body.get("count").asInt()).isEqualTo(2);
        var first = body.get("incidents").get(0);
        assertThat(first.get("incident_id").asText()).isEqualTo("i-new");
        assertThat(first.get("severity").asText()).isEqualTo("CRITICAL");
        assertThat(first.get("detected_at").asText()).isEqualTo("2025-11-03T02:01:00Z");
        assertThat(first.get("source_ip").isNull()).isTrue();
        assertThat(first.get("baseline").get("mean").asDouble()).isEqualTo(40.0);
        assertThat(first.get("obligations").get(0).get("due_at").isNull()).isTrue();
        assertThat(first.get("attributes").get("window").asText()).isEqualTo("PT15M");
        assertThat(first.get("record_count").asLong()).isEqualTo(12_000);
    }

    @Test
    void filtersIncidentsByRuleSeverityTenantSinceAndLimit() throws Exception {
        start(null);
        view.incidents.add(incident("a", "bulk-export", Severity.HIGH, "t1", T0));
        view.incidents.add(incident("b", "bulk-export", Severity.CRITICAL, "t1", T0.plusSeconds(10)));
        view.incidents.add(incident("c", "bulk-export", Severity.HIGH, "t2", T0.plusSeconds(20)));
        view.incidents.add(incident("d", "dormant-account", Severity.HIGH, "t1", T0.plusSeconds(30)));

        assertThat(ids(get("/api/incidents?rule=bulk-export"))).containsExactly("c", "b", "a");
        assertThat(ids(get("/api/incidents?severity=critical"))).containsExactly("b");
        assertThat(ids(get("/api/incidents?tenant=t1&rule=bulk-export"))).containsExactly("b", "a");
        assertThat(ids(get("/api/incidents?since=2025-11-03T02:00:15Z"))).containsExactly("d", "c");
        assertThat(ids(get("/api/incidents?since=" + T0.plusSeconds(25).toEpochMilli()))).containsExactly("d");
        assertThat(ids(get("/api/incidents?limit=2"))).containsExactly("d", "c");
    }

    private static List<String> ids(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).isEqualTo(200);
        return json(response).get("incidents").findValuesAsText("incident_id");
    }

    @Test
    void rejectsBadQueryParametersWith400NamingTheParameter() throws Exception {
        start(null);
        for (var entry : Map.of(
                "severity=URGENT", "severity",
                "since=yesterday", "since",
                "limit=0", "limit",
                "limit=many", "limit",
                "rule=", "rule",
                "user=u-1", "user",
                "tenant=a&tenant=b", "tenant").entrySet()) {
            var response = get("/api/incidents?" + entry.getKey());
            assertThat(response.statusCode()).as(entry.getKey()).isEqualTo(400);
            assertThat(json(response).get("error").asText()).as(entry.getKey()).contains("'" + entry.getValue() + "'");
        }
    }

    @Test
    void showsAnActorsWindowsAndBaseline() throws Exception {
        start(null);
        view.actors.put("t 1/u-1", new ActorState("t 1", "u-1",
                Map.of("bulk-export-sum", List.of(new ActorState.WindowValue(T0, 12_000L))),
                Map.of("export-baseline", new Baseline(40.0, 12.5, 30, "own"))));

        var response = get("/api/actors/t%201/u-1");
        assertThat(response.statusCode()).isEqualTo(200);
        var body = json(response);
        assertThat(body.get("tenant").asText()).isEqualTo("t 1");
        var window = body.get("windows").get("bulk-export-sum").get(0);
        assertThat(window.get("window_start").asText()).isEqualTo("2025-11-03T02:00:00Z");
        assertThat(window.get("value").asLong()).isEqualTo(12_000);
        assertThat(body.get("values").get("export-baseline").get("stddev").asDouble()).isEqualTo(12.5);
    }

    @Test
    void answersUnknownPathsAndIncompleteActorPathsWith404() throws Exception {
        start(null);
        for (var path : List.of("/nope", "/api/actors/t1", "/api/actors/t1/u1/extra", "/metrics/x")) {
            var response = get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(json(response).has("error")).isTrue();
        }
    }

    @Test
    void describesTheTopologyAsText() throws Exception {
        start(null);
        var response = get("/api/topology");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).startsWith("Topologies:");
    }

    @Test
    void isReadOnly() throws Exception {
        start(null);
        for (var method : List.of("POST", "PUT", "DELETE", "PATCH")) {
            var response = send(method, "/api/incidents");
            assertThat(response.statusCode()).as(method).isEqualTo(405);
            assertThat(response.headers().firstValue("Allow")).hasValue("GET, HEAD");
        }
    }

    @Test
    void answersHeadWithoutABody() throws Exception {
        start(null);
        var response = send("HEAD", "/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void requiresTheBearerTokenWhenOneIsConfigured() throws Exception {
        start("s3cret-token");
        view.state = KafkaStreams.State.RUNNING;
        for (var path : List.of("/metrics", "/api/incidents", "/api/topology", "/api/actors/t1/u1")) {
            assertThat(get(path).statusCode()).as(path + " without token").isEqualTo(401);
            assertThat(get(path, "Authorization", "Bearer wrong").statusCode()).as(path + " wrong token").isEqualTo(401);
            assertThat(get(path, "Authorization", "Bearer s3cret-token-longer").statusCode()).as(path).isEqualTo(401);
            assertThat(get(path, "Authorization", "Basic czNjcmV0LXRva2Vu").statusCode()).as(path).isEqualTo(401);
            assertThat(get(path, "Authorization", "Bearer s3cret-token").statusCode()).as(path + " right token").isEqualTo(200);
        }
        var rejected = get("/metrics");
        assertThat(rejected.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(json(rejected).get("error").asText()).contains("token");
    }

    @Test
    void leavesHealthProbesOpenWhenATokenIsConfigured() throws Exception {
        start("s3cret-token");
        view.state = KafkaStreams.State.RUNNING;
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
        assertThat(get("/health/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void answers503WhileAStoreIsNotQueryable() throws Exception {
        start(null);
        view.failure = new StreamsView.NotQueryableException("store 'incidents' is not queryable now (state REBALANCING); retry shortly");
        var response = get("/api/incidents");
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(json(response).get("error").asText()).contains("retry");
    }

    @Test
    void hidesInternalErrorsBehindAGenericMessage() throws Exception {
        start(null);
        view.failure = new IllegalStateException("secret internals at io.breachwatch.Something");
        var response = get("/api/incidents");
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).doesNotContain("secret internals").doesNotContain("at io.breachwatch")
                .doesNotContain("Exception");
    }

    @Test
    void failsToStartWithAMessageNamingTheAddressWhenThePortIsTaken() {
        start(null);
        var second = new HttpApi(new HttpConfig("127.0.0.1", api.port(), null), view, () -> "");
        org.assertj.core.api.Assertions.assertThatThrownBy(second::start)
                .hasMessageContaining("127.0.0.1:" + api.port())
                .hasMessageContaining("http.port");
    }

    @Test
    void listsOpenObligationsEarliestDueFirstWithTimeUntilDue() throws Exception {
        var now = T0.plusSeconds(3_600);
        api = new HttpApi(new HttpConfig("127.0.0.1", 0, null), view, () -> "", java.time.Clock.fixed(now, java.time.ZoneOffset.UTC)).start();
        view.incidents.add(withObligations(incident("i-late", "bulk-export", Severity.HIGH, "acme", T0),
                new io.breachwatch.schema.Obligation("CAC_INCIDENT_REPORT", "yes", "major", T0.plusSeconds(4 * 3_600).toEpochMilli()),
                new io.breachwatch.schema.Obligation("PIPL_57_INDIVIDUALS", "assess", "PI", T0.plusSeconds(72 * 3_600).toEpochMilli()),
                new io.breachwatch.schema.Obligation("GDPR_33", "no", "not an EU tenant", T0.plusSeconds(60).toEpochMilli()),
                new io.breachwatch.schema.Obligation("PIPL_38_CROSS_BORDER", "assess", "no deadline", null)));
        view.incidents.add(withObligations(incident("i-overdue", "record-enumeration", Severity.CRITICAL, "beta", T0),
                new io.breachwatch.schema.Obligation("PIPL_57_AUTHORITY", "yes", "leak", T0.plusSeconds(1_800).toEpochMilli())));
        var resolved = withObligations(incident("i-resolved", "bulk-export", Severity.HIGH, "acme", T0),
                new io.breachwatch.schema.Obligation("PIPL_57_AUTHORITY", "yes", "leak", T0.toEpochMilli()));
        resolved.setStatus(io.breachwatch.schema.IncidentStatus.RESOLVED);
        view.incidents.add(resolved);

        var body = json(get("/api/obligations"));

        assertThat(body.get("count").asInt()).isEqualTo(3);
        var list = body.get("obligations");
        assertThat(list).extracting(o -> o.get("incident_id").asText() + ":" + o.get("obligation").asText())
                .containsExactly("i-overdue:PIPL_57_AUTHORITY", "i-late:CAC_INCIDENT_REPORT", "i-late:PIPL_57_INDIVIDUALS");
        assertThat(list.get(0).get("seconds_until_due").asLong()).isEqualTo(-1_800);
        assertThat(list.get(1).get("seconds_until_due").asLong()).isEqualTo(3 * 3_600);
        assertThat(list.get(1).get("due_at").asText()).isEqualTo(T0.plusSeconds(4 * 3_600).toString());
        assertThat(list.get(1).get("rule_id").asText()).isEqualTo("bulk-export");
        assertThat(list.get(1).get("severity").asText()).isEqualTo("HIGH");
        assertThat(list.get(1).get("applies").asText()).isEqualTo("yes");
        assertThat(json(get("/api/obligations?tenant=acme&obligation=CAC_INCIDENT_REPORT")).get("count").asInt()).isEqualTo(1);
        assertThat(json(get("/api/obligations?limit=1")).get("obligations")).hasSize(1);
    }

    @Test
    void rejectsBadObligationParametersNamingThem() throws Exception {
        start(null);

        var unknown = get("/api/obligations?severity=HIGH");
        var badLimit = get("/api/obligations?limit=0");

        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(json(unknown).get("error").asText()).contains("severity").contains("tenant");
        assertThat(badLimit.statusCode()).isEqualTo(400);
        assertThat(json(badLimit).get("error").asText()).contains("limit");
    }

    private static io.breachwatch.schema.Incident withObligations(io.breachwatch.schema.Incident incident,
                                                                io.breachwatch.schema.Obligation... obligations) {
        incident.setObligations(List.of(obligations));
        return incident;
    }
}
