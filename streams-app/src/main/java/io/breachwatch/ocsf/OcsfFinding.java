package io.breachwatch.ocsf;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.breachwatch.schema.Baseline;
import io.breachwatch.schema.Incident;
import io.breachwatch.schema.IncidentStatus;
import io.breachwatch.schema.Severity;
import io.breachwatch.serde.JsonEvents;

import java.util.Objects;

/**
 * One incident revision as an OCSF Detection Finding (class 2004, category Findings), schema version
 * {@value #SCHEMA_VERSION}.
 *
 * <p>Status to activity: NEW is Create (1), UPDATED is Update (2), RESOLVED is Close (3) with status Resolved (4),
 * SUPPRESSED (allowlisted) is Close (3) with status Suppressed (3): a SIEM should not alert on a case the operator
 * declared benign, and may still show it. Open findings have status New (1): Breachwatch does not know whether
 * someone reviews them. {@code is_alert} is true for Create and Update only.
 *
 * <p>Times are epoch milliseconds (OCSF {@code timestamp_t}). Identities are ids only: {@code actor.user.uid} (and
 * {@code name}) are the CRM user id, {@code src_endpoint.ip} the source IP of IP-keyed rules (credential-stuffing).
 * What OCSF has no place for (tenant, PIPL obligations, PI categories, affected individuals, related incidents)
 * goes under {@code unmapped}, field names as in Incident.avsc.
 */
public final class OcsfFinding {
    public static final String SCHEMA_VERSION = "1.6.0";
    public static final int CLASS_UID = 2004;
    public static final int CATEGORY_UID = 2;
    public static final String PRODUCT_NAME = "Breachwatch";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private OcsfFinding() {
    }

    /** The OCSF activity of a status. */
    public enum Activity {
        CREATE(1, "Create"), UPDATE(2, "Update"), CLOSE(3, "Close");

        public final int id;
        public final String caption;

        Activity(int id, String caption) {
            this.id = id;
            this.caption = caption;
        }

        public static Activity of(IncidentStatus status) {
            return switch (status) {
                case NEW -> CREATE;
                case UPDATED -> UPDATE;
                case RESOLVED, SUPPRESSED -> CLOSE;
            };
        }
    }

    public static ObjectNode from(Incident incident, OcsfConfig config) {
        Objects.requireNonNull(incident, "incident");
        var activity = Activity.of(incident.getStatus());
        var finding = JSON.objectNode();
        finding.put("class_uid", CLASS_UID)
                .put("class_name", "Detection Finding")
                .put("category_uid", CATEGORY_UID)
                .put("category_name", "Findings")
                .put("activity_id", activity.id)
                .put("activity_name", activity.caption)
                .put("type_uid", CLASS_UID * 100 + activity.id)
                .put("type_name", "Detection Finding: " + activity.caption)
                .put("time", incident.getDetectedAt().toEpochMilli())
                .put("start_time", incident.getFirstSeen().toEpochMilli())
                .put("end_time", incident.getLastSeen().toEpochMilli())
                .put("severity_id", severityId(incident.getSeverity()))
                .put("severity", caption(incident.getSeverity()))
                .put("status_id", statusId(incident.getStatus()))
                .put("status", statusCaption(incident.getStatus()))
                .put("is_alert", activity != Activity.CLOSE)
                .put("message", incident.getSummary());
        finding.set("metadata", metadata(incident, config));
        finding.set("finding_info", findingInfo(incident));
        if (incident.getUserId() != null) {
            var user = finding.putObject("actor").putObject("user");
            user.put("uid", incident.getUserId());
            user.put("name", incident.getUserId()); // the CRM's user id: Breachwatch never sees people's names
        }
        if (incident.getSourceIp() != null) {
            finding.putObject("src_endpoint").put("ip", incident.getSourceIp());
        }
        if (!incident.getEvidenceEventIds().isEmpty()) {
            var evidences = finding.putArray("evidences");
            incident.getEvidenceEventIds().forEach(id -> evidences.addObject()
                    .put("uid", id)
                    .put("name", "crm_access_event")
                    .set("data", JSON.objectNode().put("event_id", id)));
        }
        if (incident.getBaseline() != null) {
            finding.set("anomaly_analyses", anomalyAnalyses(incident, incident.getBaseline()));
        }
        finding.set("unmapped", unmapped(incident));
        return finding;
    }

    private static ObjectNode metadata(Incident incident, OcsfConfig config) {
        var metadata = JSON.objectNode();
        metadata.put("version", SCHEMA_VERSION)
                .put("uid", incident.getIncidentId() + "-" + incident.getRevision())
                .put("correlation_uid", incident.getIncidentId())
                .put("log_name", config.topic())
                .put("log_provider", PRODUCT_NAME);
        metadata.putObject("product")
                .put("name", PRODUCT_NAME)
                .put("vendor_name", config.vendorName())
                .put("version", config.productVersion());
        return metadata;
    }

    private static ObjectNode findingInfo(Incident incident) {
        var info = JSON.objectNode();
        var statistical = incident.getBaseline() != null;
        info.put("uid", incident.getIncidentId())
                .put("title", "Breachwatch " + incident.getRuleId() + ": " + incident.getType().replace('_', ' '))
                .put("desc", incident.getSummary())
                .put("first_seen_time", incident.getFirstSeen().toEpochMilli())
                .put("last_seen_time", incident.getLastSeen().toEpochMilli())
                .put("modified_time", incident.getDetectedAt().toEpochMilli())
                .put("related_events_count", incident.getEventCount());
        info.putObject("analytic")
                .put("uid", incident.getRuleId())
                .put("name", incident.getRuleId())
                .put("type_id", statistical ? 3 : 1)
                .put("type", statistical ? "Statistical" : "Rule");
        info.putArray("types").add(incident.getType());
        return info;
    }

    /** The day's export volume against the user's (or peers') baseline: one target, one baseline, one anomaly. */
    private static ArrayNode anomalyAnalyses(Incident incident, Baseline baseline) {
        var parameter = "records_exported_per_day";
        var analysis = JSON.objectNode();
        analysis.putArray("analysis_targets").addObject()
                .put("name", incident.getUserId() != null ? incident.getUserId() : incident.getEntity())
                .put("type", "User Account");
        var baselines = analysis.putArray("baselines");
        baselines.addObject()
                .put("observation_parameter", parameter + "_mean")
                .put("observation_type", "Volume Analysis")
                .put("observed_pattern", "NORMAL_VOLUME")
                .set("observations", observation(baseline.getMean(), baseline.getDays()));
        baselines.addObject()
                .put("observation_parameter", parameter + "_stddev")
                .put("observation_type", "Volume Analysis")
                .set("observations", observation(baseline.getStddev(), baseline.getDays()));
        analysis.putArray("anomalies").addObject()
                .put("observation_parameter", parameter)
                .put("observation_type", "Volume Analysis")
                .put("observed_pattern", "HIGH_VOLUME")
                .set("observations", observation(incident.getObserved(), 1));
        var analyses = JSON.arrayNode();
        analyses.add(analysis);
        return analyses;
    }

    private static ArrayNode observation(double value, int count) {
        var observations = JSON.arrayNode();
        observations.addObject().put("value", number(value)).put("count", count);
        return observations;
    }

    /** Observation values are strings in OCSF; whole numbers without a trailing ".0". */
    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }

    private static ObjectNode unmapped(Incident incident) {
        var unmapped = JSON.objectNode();
        unmapped.put("revision", incident.getRevision())
                .put("incident_status", incident.getStatus().name())
                .put("tenant_id", incident.getTenantId())
                .put("record_count", incident.getRecordCount())
                .put("affected_individuals", incident.getAffectedIndividuals())
                .put("sensitive_pi", incident.getSensitivePi())
                .put("cross_border", incident.getCrossBorder());
        strings(unmapped.putArray("pi_categories"), incident.getPiCategories());
        strings(unmapped.putArray("destination_countries"), incident.getDestinationCountries());
        strings(unmapped.putArray("related_incident_ids"), incident.getRelatedIncidentIds());
        var obligations = unmapped.putArray("obligations");
        incident.getObligations().forEach(obligation -> obligations.add(JsonEvents.toTree(obligation)));
        if (incident.getBaseline() != null) {
            unmapped.set("baseline", JsonEvents.toTree(incident.getBaseline()));
        }
        return unmapped;
    }

    private static void strings(ArrayNode array, Iterable<String> values) {
        values.forEach(array::add);
    }

    /** OCSF severity_id: 2 Low, 3 Medium, 4 High, 5 Critical. */
    static int severityId(Severity severity) {
        return switch (severity) {
            case LOW -> 2;
            case MEDIUM -> 3;
            case HIGH -> 4;
            case CRITICAL -> 5;
        };
    }

    private static String caption(Severity severity) {
        var name = severity.name();
        return name.charAt(0) + name.substring(1).toLowerCase(java.util.Locale.ROOT);
    }

    /** OCSF finding status_id: 1 New, 3 Suppressed, 4 Resolved. */
    static int statusId(IncidentStatus status) {
        return switch (status) {
            case NEW, UPDATED -> 1;
            case SUPPRESSED -> 3;
            case RESOLVED -> 4;
        };
    }

    private static String statusCaption(IncidentStatus status) {
        return switch (status) {
            case NEW, UPDATED -> "New";
            case SUPPRESSED -> "Suppressed";
            case RESOLVED -> "Resolved";
        };
    }
}
