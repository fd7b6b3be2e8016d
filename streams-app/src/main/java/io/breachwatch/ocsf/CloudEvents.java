package io.breachwatch.ocsf;

import io.breachwatch.schema.Incident;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;

/**
 * CloudEvents 1.0 Kafka protocol binding, binary content mode: the OCSF JSON is the record value, the event
 * attributes are {@code ce_*} headers (UTF-8), the media type is the {@code content-type} header.
 *
 * <p>{@code ce_type} is one per lifecycle step, from the incident's status:
 * {@code io.breachwatch.incident.created} (NEW), {@code .updated} (UPDATED), {@code .resolved} (RESOLVED),
 * {@code .suppressed} (SUPPRESSED). {@code ce_id} is {@code incident_id-revision}: unique per revision and the
 * same when a revision is written again, so consumers can drop duplicates.
 */
public final class CloudEvents {
    public static final String SPEC_VERSION = "1.0";
    public static final String TYPE_PREFIX = "io.breachwatch.incident.";
    public static final String CONTENT_TYPE = "application/json";
    public static final String DATA_SCHEMA = "https://schema.ocsf.io/" + OcsfFinding.SCHEMA_VERSION + "/classes/detection_finding";

    private CloudEvents() {
    }

    /** The headers of one incident revision's event. */
    public static Headers headers(Incident incident, String source) {
        var headers = new RecordHeaders();
        add(headers, "ce_specversion", SPEC_VERSION);
        add(headers, "ce_id", incident.getIncidentId() + "-" + incident.getRevision());
        add(headers, "ce_source", source);
        add(headers, "ce_type", type(incident));
        add(headers, "ce_time", incident.getDetectedAt().toString()); // RFC 3339, UTC
        add(headers, "ce_subject", incident.getIncidentId());
        add(headers, "ce_dataschema", DATA_SCHEMA);
        add(headers, "content-type", CONTENT_TYPE);
        return headers;
    }

    public static String type(Incident incident) {
        return TYPE_PREFIX + switch (incident.getStatus()) {
            case NEW -> "created";
            case UPDATED -> "updated";
            case RESOLVED -> "resolved";
            case SUPPRESSED -> "suppressed";
        };
    }

    private static void add(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
