package io.breachwatch.incident;

import io.breachwatch.config.ConfigException;
import io.breachwatch.config.Settings;
import io.breachwatch.schema.Incident;
import io.breachwatch.serde.JsonEvents;
import io.breachwatch.topology.TopologyHarness;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.breachwatch.topology.TopologyHarness.denied;
import static io.breachwatch.topology.TopologyHarness.export;
import static io.breachwatch.topology.TopologyHarness.loginFailed;
import static io.breachwatch.topology.TopologyHarness.minutes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PseudonymizerTest {
    private static final String KEY = "k3y-for-tests-only-0123456789abcdefghij";
    private static final String OTHER_KEY = "another-key-for-tests-0123456789abcdefgh";

    private static Pseudonymizer withKey(String key) {
        return Pseudonymizer.withKey(key.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void sameKeyGivesTheSamePseudonym() {
        var a = withKey(KEY).id("u-7");

        assertThat(a).matches("hmac:[0-9a-f]{32}").isEqualTo(withKey(KEY).id("u-7"));
        assertThat(a).isNotEqualTo(withKey(KEY).id("u-8"));
    }

    @Test
    void differentKeysGiveDifferentPseudonyms() {
        assertThat(withKey(KEY).id("u-7")).isNotEqualTo(withKey(OTHER_KEY).id("u-7"));
    }

    @Test
    void entityKeepsItsTenant() {
        var p = withKey(KEY);

        assertThat(p.entity("acme/u-7")).isEqualTo("acme/" + p.id("u-7"));
    }

    @Test
    void disabledLeavesIncidentsAlone() {
        var incident = incident("u-7", null, "acme/u-7", "User u-7 of tenant acme exported 12,400 records.");

        assertThat(Pseudonymizer.disabled().apply(incident)).isSameAs(incident);
        assertThat(Pseudonymizer.from(Settings.empty()).enabled()).isFalse();
    }

    @Test
    void replacesUserIdEntityAndTheirMentionsButNotTheTenant() {
        var p = withKey(KEY);
        var incident = incident("u-7", null, "acme/u-7", "User u-7 of tenant acme exported 12,400 records (not u-70).");
        incident.getAttributes().put("customer_ids", "c-1,c-2");
        incident.getAttributes().put("note", "seen for u-7");

        var out = p.apply(incident);

        assertThat(out.getUserId()).isEqualTo(p.id("u-7"));
        assertThat(out.getEntity()).isEqualTo("acme/" + p.id("u-7"));
        assertThat(out.getTenantId()).isEqualTo("acme");
        assertThat(out.getSummary()).isEqualTo("User " + p.id("u-7") + " of tenant acme exported 12,400 records (not u-70).");
        assertThat(out.getAttributes()).containsEntry("customer_ids", p.id("c-1") + "," + p.id("c-2"))
                .containsEntry("note", "seen for " + p.id("u-7"));
        assertThat(out.getIncidentId()).isEqualTo(incident.getIncidentId());
        assertThat(incident.getUserId()).as("the input is not modified").isEqualTo("u-7");
    }

    @Test
    void serializedIncidentsCarryNoRawIdWhenEnabled() {
        var settings = new HashMap<>(TopologyHarness.only(Map.of(
                "detect.bulk-export.threshold", "100", "detect.access-denied-burst.threshold", "3",
                "detect.credential-stuffing.threshold", "3"),
                "bulk-export", "access-denied-burst", "credential-stuffing", "exfiltration-chain"));
        settings.put("pseudonymize.enabled", "true");
        settings.put("pseudonymize.key", KEY);
        try (var h = TopologyHarness.start(settings)) {
            for (int i = 0; i < 5; i++) {
                h.send(denied("alice.wang", minutes(1 + i)));
                h.send(loginFailed("victim-" + i, "203.0.113.77", minutes(1 + i)));
            }
            var incidents = h.send(export("alice.wang", minutes(20), 5_000)).incidents();

            assertThat(incidents).extracting(Incident::getRuleId)
                    .contains("bulk-export", "access-denied-burst", "credential-stuffing", "exfiltration-chain");
            for (var incident : incidents) {
                var json = JsonEvents.toJson(incident);
                assertThat(json).as("incident %s", incident.getRuleId())
                        .doesNotContain("alice.wang").doesNotContain("203.0.113.77").contains("acme");
            }
            var p = withKey(KEY);
            var user = incidents.stream().filter(i -> i.getRuleId().equals("bulk-export")).findFirst().orElseThrow();
            assertThat(user.getUserId()).isEqualTo(p.id("alice.wang"));
            assertThat(user.getIncidentId()).as("derived from the pseudonymized entity")
                    .isEqualTo(IncidentIds.of("bulk-export", p.entity("acme/alice.wang"), user.getWindowStart().toEpochMilli()))
                    .isNotEqualTo(IncidentIds.of("bulk-export", "acme/alice.wang", user.getWindowStart().toEpochMilli()));
        }
    }

    @Test
    void enabledWithoutKeyIsAClearError() {
        var settings = Settings.of(Map.of("pseudonymize.enabled", "true"));

        assertThatThrownBy(() -> Pseudonymizer.from(settings)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("pseudonymize.key").hasMessageContaining("BREACHWATCH_PSEUDONYMIZE_KEY");
    }

    @Test
    void shortKeyIsAClearErrorThatDoesNotEchoTheKey() {
        var settings = Settings.of(Map.of("pseudonymize.enabled", "true", "pseudonymize.key", "too-short-secret"));

        assertThatThrownBy(() -> Pseudonymizer.from(settings)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("at least 32 bytes").hasMessageContaining("16 bytes")
                .hasMessageNotContaining("too-short-secret");
        assertThat(withKey(KEY).toString()).doesNotContain(KEY);
    }

    @Test
    void configCheckRejectsAShortKeyWithExitCodeTwoWithoutPrintingIt() {
        var err = new java.io.StringWriter();
        var code = io.breachwatch.app.Main.execute(new String[]{"config", "--check"},
                Map.of("BREACHWATCH_PSEUDONYMIZE_ENABLED", "true", "BREACHWATCH_PSEUDONYMIZE_KEY", "short-secret-value"),
                new java.io.PrintWriter(new java.io.StringWriter(), true), new java.io.PrintWriter(err, true));

        assertThat(code).isEqualTo(io.breachwatch.app.Main.EXIT_CONFIG);
        assertThat(err.toString()).contains("configuration error: pseudonymize.key: must be at least 32 bytes")
                .doesNotContain("short-secret-value");
    }

    private static Incident incident(String user, String ip, String entity, String summary) {
        var time = java.time.Instant.parse("2025-03-03T10:00:00Z");
        return Incident.newBuilder()
                .setIncidentId(IncidentIds.of("bulk-export", entity, 0))
                .setRevision(1).setRuleId("bulk-export").setType("bulk_export")
                .setSeverity(io.breachwatch.schema.Severity.HIGH)
                .setTenantId("acme").setUserId(user).setSourceIp(ip).setEntity(entity)
                .setFirstSeen(time).setLastSeen(time).setWindowStart(time).setWindowEnd(time).setDetectedAt(time)
                .setEventCount(1).setRecordCount(12_400).setObserved(12_400).setThreshold(10_000)
                .setSummary(summary).setEvidenceEventIds(List.of("ev-1"))
                .setAttributes(new HashMap<>())
                .build();
    }
}
