package io.breachwatch.topology;

import io.breachwatch.config.Field;
import io.breachwatch.config.Settings;

import java.util.List;

/**
 * Everything the topology depends on: topic names and every detector's settings.
 * STUB: the detector work replaces this with the full typed config.
 */
public record TopologyConfig(String inputTopic, String incidentsTopic, String dlqTopic) {
    public static final Field<String> INPUT_TOPIC = Field.string("topics.input", "crm.access-events", "Topic of CRM access events (Avro, Confluent wire format)");
    public static final Field<String> INCIDENTS_TOPIC = Field.string("topics.incidents", "crm.incidents", "Topic the incidents are written to (key incident_id, compacted)");
    public static final Field<String> DLQ_TOPIC = Field.string("topics.dlq", "crm.access-events.dlq", "Dead-letter topic: records that cannot be read or fail validation, with headers saying why");

    public static List<Field<?>> fields() {
        return List.of(INPUT_TOPIC, INCIDENTS_TOPIC, DLQ_TOPIC);
    }

    public static TopologyConfig from(Settings settings) {
        return new TopologyConfig(settings.get(INPUT_TOPIC), settings.get(INCIDENTS_TOPIC), settings.get(DLQ_TOPIC));
    }
}
