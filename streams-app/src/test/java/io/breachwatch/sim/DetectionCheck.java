package io.breachwatch.sim;

import com.fasterxml.jackson.databind.JsonNode;
import io.breachwatch.config.Settings;
import io.breachwatch.schema.Incident;
import io.breachwatch.serde.InMemorySchemaRegistry;
import io.breachwatch.topology.BreachwatchTopology;
import io.breachwatch.topology.TopologyConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks incidents against the simulator's labels: every scenario found by its rule, nothing else flagged. */
public final class DetectionCheck {
    private static final Duration SLACK = Duration.ofHours(2);

    private DetectionCheck() {
    }

    /** The parts of an incident the check needs. */
    public record Found(String incidentId, String rule, String tenantId, String userId, String sourceIp, Instant firstSeen, Instant lastSeen) {
        public static Found of(Incident i) {
            return new Found(i.getIncidentId(), i.getRuleId(), i.getTenantId(), i.getUserId(), i.getSourceIp(), i.getFirstSeen(), i.getLastSeen());
        }

        public static Found of(JsonNode i) {
            return new Found(i.get("incident_id").asText(), i.get("rule_id").asText(), text(i, "tenant_id"), text(i, "user_id"),
                    text(i, "source_ip"), Instant.parse(i.get("first_seen").asText()), Instant.parse(i.get("last_seen").asText()));
        }

        private static String text(JsonNode node, String field) {
            var value = node.get(field);
            return value == null || value.isNull() ? null : value.asText();
        }
    }

    /** False while the detector topology is still the empty stub: detection can then not be asserted. */
    public static boolean detectorsPresent() {
        var topology = BreachwatchTopology.build(TopologyConfig.from(Settings.empty()), new InMemorySchemaRegistry(), new SimpleMeterRegistry());
        return !topology.describe().subtopologies().isEmpty();
    }

    public static void assertEveryScenarioDetectedAndNothingElse(Collection<ScenarioLabel> labels, Collection<Found> incidents) {
        for (var label : labels) {
            assertThat(incidents.stream().anyMatch(i -> explains(label, i)))
                    .as("scenario %s (%s by %s in %s, %s..%s) detected by %s; incidents: %s", label.scenarioId(), label.kind(),
                            label.actor(), label.tenantId(), label.start(), label.end(), label.expectedRule(), incidents)
                    .isTrue();
        }
        for (var incident : incidents) {
            assertThat(labels.stream().anyMatch(l -> concerns(l, incident)))
                    .as("incident %s (%s, user %s, ip %s) matches an injected scenario, not a benign account",
                            incident.incidentId(), incident.rule(), incident.userId(), incident.sourceIp())
                    .isTrue();
        }
    }

    /** Labels no incident explains yet; empty when every scenario was detected. */
    public static List<String> undetected(Collection<ScenarioLabel> labels, Collection<Incident> incidents) {
        var found = found(incidents);
        return labels.stream().filter(l -> found.stream().noneMatch(i -> explains(l, i)))
                .map(l -> l.scenarioId() + " " + l.actor() + " expected " + l.expectedRule()).toList();
    }

    public static boolean explains(ScenarioLabel label, Found incident) {
        return label.expectedRule().equals(incident.rule()) && concerns(label, incident);
    }

    /**
     * Whether the incident is about the scenario's actor around its time, whatever the rule: one breach may rightly
     * trip several rules (a departing employee's night export of ID numbers mailed abroad is also off-hours,
     * sensitive and cross-border).
     */
    public static boolean concerns(ScenarioLabel label, Found incident) {
        var actor = label.actorIsIp() ? incident.sourceIp() : incident.userId();
        return label.actor().equals(actor)
                && (incident.tenantId() == null || Objects.equals(label.tenantId(), incident.tenantId()))
                && !incident.lastSeen().isBefore(label.start().minus(SLACK))
                && !incident.firstSeen().isAfter(label.end().plus(SLACK));
    }

    public static List<Found> found(Collection<Incident> incidents) {
        return incidents.stream().map(Found::of).toList();
    }
}
