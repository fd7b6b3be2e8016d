package io.breachwatch.topology;

import io.breachwatch.config.ConfigException;
import io.breachwatch.config.Field;
import io.breachwatch.config.Settings;
import io.breachwatch.detect.Rule;
import io.breachwatch.detect.StateStores;
import io.breachwatch.detect.Detectors;
import io.breachwatch.incident.IncidentConfig;
import io.breachwatch.notice.NoticeConfig;
import io.breachwatch.ocsf.OcsfConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything the topology depends on: topic names, the enabled rules with their settings, the incident
 * stage's settings, the input validation bounds and the breach-notice settings. Built from {@link Settings}; a bad value fails naming its key.
 */
public record TopologyConfig(String inputTopic, String incidentsTopic, String dlqTopic,
                             List<Rule> rules, IncidentConfig incidents, StateStores stores,
                             ValidationConfig validation, NoticeConfig notices, OcsfConfig ocsf) {
    public static final Field<String> INPUT_TOPIC = Field.string("topics.input", "crm.access-events", "Topic of CRM access events (Avro, Confluent wire format)");
    public static final Field<String> INCIDENTS_TOPIC = Field.string("topics.incidents", "crm.incidents", "Topic the incidents are written to (key incident_id, compacted)");
    public static final Field<Boolean> IN_MEMORY_STATE = Field.bool("state.in-memory", false,
            "Keep all state in memory instead of RocksDB (replay and tests; in production state then grows the heap and is restored from changelogs on every restart)");
    public static final Field<Boolean> CHANGELOG = Field.bool("state.changelog", true,
            "Back every state store with a changelog topic (false only for offline replay: state then cannot be restored)");
    public static final Field<String> DLQ_TOPIC = Field.string("topics.dlq", "crm.access-events.dlq", "Dead-letter topic: records that cannot be read or fail validation, with headers saying why");

    public TopologyConfig {
        rules = List.copyOf(rules);
    }

    /** Every key the topology reads: topics, every rule's keys, the incident stage's keys. */
    public static List<Field<?>> fields() {
        var out = new ArrayList<Field<?>>(List.of(INPUT_TOPIC, INCIDENTS_TOPIC, DLQ_TOPIC, IN_MEMORY_STATE, CHANGELOG));
        out.addAll(ValidationConfig.fields());
        out.addAll(Detectors.fields());
        out.addAll(IncidentConfig.fields());
        out.addAll(NoticeConfig.fields());
        out.addAll(OcsfConfig.fields());
        return List.copyOf(out);
    }

    public static TopologyConfig from(Settings settings) {
        var input = settings.get(INPUT_TOPIC);
        var incidents = settings.get(INCIDENTS_TOPIC);
        var dlq = settings.get(DLQ_TOPIC);
        requireDistinct(INCIDENTS_TOPIC, incidents, input);
        requireDistinct(DLQ_TOPIC, dlq, input);
        requireDistinct(DLQ_TOPIC, dlq, incidents);
        var notices = NoticeConfig.from(settings);
        var ocsf = OcsfConfig.from(settings);
        var topics = new java.util.ArrayList<>(List.of(input, incidents, dlq));
        if (notices.enabled()) {
            for (var other : topics) {
                requireDistinct(NoticeConfig.TOPIC, notices.topic(), other);
            }
            topics.add(notices.topic());
        }
        if (ocsf.enabled()) {
            for (var other : topics) {
                requireDistinct(OcsfConfig.TOPIC, ocsf.topic(), other);
            }
        }
        var rules = Detectors.enabled(settings);
        return new TopologyConfig(input, incidents, dlq, rules, IncidentConfig.from(settings, rules),
                new StateStores(settings.get(IN_MEMORY_STATE), settings.get(CHANGELOG)), ValidationConfig.from(settings), notices, ocsf);
    }

    private static void requireDistinct(Field<String> field, String value, String other) {
        if (value.equals(other)) {
            throw new ConfigException(field.key(), "must differ from the other topics, got '" + value + "' twice");
        }
    }
}
