package io.breachwatch.serde;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.breachwatch.schema.AccessEvent;
import io.breachwatch.schema.Action;
import io.breachwatch.schema.Incident;
import io.breachwatch.schema.Obligation;
import io.breachwatch.schema.Outcome;
import io.breachwatch.schema.Severity;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonEventsTest {

    @Test
    void roundTripsAFullEvent() {
        var event = AccessEvent.newBuilder()
                .setEventId("e-1").setTimestamp(Instant.ofEpochMilli(1_740_000_000_123L))
                .setTenantId("t1").setUserId("u1").setUserRole("sales").setSessionId("s1")
                .setSourceIp("10.0.0.1").setCountry("CN").setLatitude(31.2).setLongitude(121.5)
                .setUserAgent("Mozilla/5.0").setAction(Action.EXPORT).setOutcome(Outcome.SUCCESS)
                .setObjectType("Contact").setRecordId("r1").setCustomerId(null).setRecordCount(5000)
                .setFields(List.of("name", "mobile")).setDestination("download").setDestinationCountry("CN").setBytes(12345L)
                .build();

        var line = JsonEvents.toJson(event);

        assertThat(line).doesNotContain("customer_id").contains("\"timestamp\":1740000000123").contains("\"action\":\"EXPORT\"");
        assertThat(JsonEvents.parseEvent(line)).isEqualTo(event);
    }

    @Test
    void appliesDefaultsAndNullsForAbsentFields() {
        var event = JsonEvents.parseEvent("{\"event_id\":\"e\",\"timestamp\":\"2025-03-01T09:30:00+08:00\",\"tenant_id\":\"t\",\"user_id\":\"u\",\"future_field\":{\"x\":[1]}}");

        assertThat(event.getTimestamp()).isEqualTo(Instant.parse("2025-03-01T01:30:00Z"));
        assertThat(event.getAction()).isEqualTo(Action.OTHER);
        assertThat(event.getOutcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(event.getRecordCount()).isEqualTo(1L);
        assertThat(event.getFields()).isEmpty();
        assertThat(event.getSourceIp()).isNull();
    }

    @Test
    void acceptsLowerCaseEnumsAndNumericIds() {
        var event = JsonEvents.parseEvent("{\"event_id\":42,\"timestamp\":1,\"tenant_id\":\"t\",\"user_id\":7,\"action\":\"login_failed\",\"outcome\":\"denied\"}");

        assertThat(event.getEventId()).isEqualTo("42");
        assertThat(event.getAction()).isEqualTo(Action.LOGIN_FAILED);
        assertThat(event.getOutcome()).isEqualTo(Outcome.DENIED);
    }

    @Test
    void namesTheFieldThatIsWrong() {
        assertThatThrownBy(() -> JsonEvents.parseEvent("{\"timestamp\":1,\"tenant_id\":\"t\",\"user_id\":\"u\"}"))
                .isInstanceOf(JsonEvents.LineException.class).hasMessageContaining("missing required field 'event_id'");
        assertThatThrownBy(() -> JsonEvents.parseEvent("{\"event_id\":\"e\",\"timestamp\":\"yesterday\",\"tenant_id\":\"t\",\"user_id\":\"u\"}"))
                .hasMessageContaining("field 'timestamp'");
        assertThatThrownBy(() -> JsonEvents.parseEvent("{\"event_id\":\"e\",\"timestamp\":1,\"tenant_id\":\"t\",\"user_id\":\"u\",\"action\":\"STEAL\"}"))
                .hasMessageContaining("field 'action'").hasMessageContaining("LOGIN_FAILED");
        assertThatThrownBy(() -> JsonEvents.parseEvent("{\"event_id\":\"e\",\"timestamp\":1,\"tenant_id\":\"t\",\"user_id\":\"u\",\"record_count\":\"many\"}"))
                .hasMessageContaining("field 'record_count'");
        assertThatThrownBy(() -> JsonEvents.parseEvent("{\"event_id\":\"e\",\"timestamp\":1,\"tenant_id\":\"t\",\"user_id\":\"u\",\"fields\":\"name\"}"))
                .hasMessageContaining("field 'fields'");
        assertThatThrownBy(() -> JsonEvents.parseEvent("{\"event_id\":\"e\",")).hasMessageContaining("malformed JSON");
        assertThatThrownBy(() -> JsonEvents.parseEvent("[1]")).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> JsonEvents.parseEvent("  ")).hasMessageContaining("empty line");
    }

    @Test
    void rendersIncidentWithSchemaFieldNames() throws Exception {
        var t = Instant.parse("2025-03-03T02:00:00Z");
        var incident = Incident.newBuilder()
                .setIncidentId("bulk-export:t1/u1:1").setRevision(2).setRuleId("bulk-export").setType("bulk_export")
                .setSeverity(Severity.HIGH).setTenantId("t1").setUserId("u1").setSourceIp(null).setEntity("t1/u1")
                .setFirstSeen(t).setLastSeen(t).setWindowStart(t).setWindowEnd(t).setDetectedAt(t)
                .setEventCount(3).setRecordCount(30000).setObserved(30000).setThreshold(10000).setBaseline(null)
                .setSummary("u1 exported 30000 records")
                .setObligations(List.of(Obligation.newBuilder().setCode("PIPL_57_AUTHORITY").setApplies("yes").setReason("PI leaked").setDueAt(t.toEpochMilli()).build()))
                .setAttributes(Map.of("k", "v"))
                .build();

        var tree = new ObjectMapper().readTree(JsonEvents.toJson(incident));

        assertThat(tree.get("incident_id").asText()).isEqualTo("bulk-export:t1/u1:1");
        assertThat(tree.get("severity").asText()).isEqualTo("HIGH");
        assertThat(tree.get("first_seen").asText()).isEqualTo("2025-03-03T02:00:00Z");
        assertThat(tree.get("source_ip").isNull()).isTrue();
        assertThat(tree.get("obligations").get(0).get("due_at").asLong()).isEqualTo(t.toEpochMilli());
        assertThat(tree.get("attributes").get("k").asText()).isEqualTo("v");
        assertThat(JsonEvents.toTree(incident).get("revision").asInt()).isEqualTo(2);
    }
}
