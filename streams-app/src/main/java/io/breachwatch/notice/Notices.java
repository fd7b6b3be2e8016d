package io.breachwatch.notice;

import io.breachwatch.schema.AffectedIndividuals;
import io.breachwatch.schema.BreachNotice;
import io.breachwatch.schema.Incident;
import io.breachwatch.schema.NoticeText;
import io.breachwatch.schema.Obligation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Makes the notice task of one incident revision and one obligation: structured fields and rendered texts. */
final class Notices {
    /** Attribute an incident sets when its distinct count is a lower bound (the distinct sketch saturated). */
    private static final String LOWER_BOUND = "distinct_count_is_lower_bound";

    private final NoticeConfig config;

    Notices(NoticeConfig config) {
        this.config = config;
    }

    static String noticeId(String incidentId, NoticeKind kind, int revision) {
        return incidentId + "/" + kind.code() + "/" + revision;
    }

    BreachNotice build(Incident incident, Obligation obligation, NoticeKind kind, int revision, List<String> changes, long issuedAt) {
        var noticeId = noticeId(incident.getIncidentId(), kind, revision);
        var facts = new EnumMap<Language, Map<String, String>>(Language.class);
        for (var language : Language.values()) {
            facts.put(language, facts(language, incident, obligation, kind, noticeId, revision));
        }
        var texts = new HashMap<String, NoticeText>();
        for (var item : NoticeTemplates.RULE_ITEMS) {
            texts.put(item, new NoticeText(
                    config.templates().ruleText(Language.ZH_CN, incident.getRuleId(), item, facts.get(Language.ZH_CN)),
                    config.templates().ruleText(Language.EN, incident.getRuleId(), item, facts.get(Language.EN))));
        }
        var contact = config.contacts().contactOf(incident.getTenantId());
        return BreachNotice.newBuilder()
                .setNoticeId(noticeId)
                .setNoticeRevision(revision)
                .setChanges(new ArrayList<>(changes))
                .setIncidentId(incident.getIncidentId())
                .setIncidentRevision(incident.getRevision())
                .setIncidentStatus(incident.getStatus().name())
                .setObligation(kind.code())
                .setApplies(obligation.getApplies())
                .setReason(obligation.getReason())
                .setRecipient(kind.recipient())
                .setDueAt(obligation.getDueAt())
                .setIssuedAt(Instant.ofEpochMilli(issuedAt))
                .setTenantId(incident.getTenantId())
                .setSeverity(incident.getSeverity().name())
                .setRuleId(incident.getRuleId())
                .setAffected(affected(incident))
                .setPiCategories(new ArrayList<>(incident.getPiCategories()))
                .setSensitivePi(incident.getSensitivePi())
                .setCrossBorder(incident.getCrossBorder())
                .setDestinationCountries(new ArrayList<>(incident.getDestinationCountries()))
                .setCause(texts.get("cause"))
                .setPossibleHarm(texts.get("possible_harm"))
                .setRemedialMeasures(texts.get("remedial_measures"))
                .setWhatIndividualsCanDo(texts.get("what_individuals_can_do"))
                .setProcessorContact(contact)
                .setTextZhCn(render(Language.ZH_CN, facts.get(Language.ZH_CN), texts, contact))
                .setTextEn(render(Language.EN, facts.get(Language.EN), texts, contact))
                .build();
    }

    private String render(Language language, Map<String, String> facts, Map<String, NoticeText> texts, String contact) {
        var values = new HashMap<>(facts);
        texts.forEach((item, text) -> values.put(item, language.pick(text.getZhCn(), text.getEn())));
        values.put(NoticeTemplates.CONTACT, contact);
        return config.templates().notice(language, values);
    }

    /** The count and where a notifier finds the individuals: this actor's activity in the CRM over this time range. */
    private static AffectedIndividuals affected(Incident incident) {
        var byIds = incident.getDistinctCustomers() > 0 && incident.getDistinctCustomers() >= incident.getAffectedIndividuals();
        return AffectedIndividuals.newBuilder()
                .setCount(incident.getAffectedIndividuals())
                .setBasis(byIds ? "distinct_customers" : "records")
                .setCountIsLowerBound(Boolean.parseBoolean(incident.getAttributes().get(LOWER_BOUND)))
                .setTenantId(incident.getTenantId())
                .setUserId(incident.getUserId())
                .setSourceIp(incident.getSourceIp())
                .setFrom(incident.getFirstSeen())
                .setTo(incident.getLastSeen())
                .setEvidenceEventIds(new ArrayList<>(incident.getEvidenceEventIds()))
                .build();
    }

    private Map<String, String> facts(Language l, Incident i, Obligation o, NoticeKind kind, String noticeId, int revision) {
        var zone = config.timeZone();
        var actor = i.getUserId() != null ? i.getUserId() : i.getSourceIp();
        var f = new HashMap<String, String>();
        f.put("notice_id", noticeId);
        f.put("notice_revision", Integer.toString(revision));
        f.put("incident_id", i.getIncidentId());
        f.put("incident_revision", Integer.toString(i.getRevision()));
        f.put("incident_status", i.getStatus().name());
        f.put("obligation", kind.code());
        f.put("obligation_name", kind.name(l));
        f.put("recipient", l.recipient(kind.recipient()));
        f.put("applies", l.applies(o.getApplies()));
        f.put("due_at", l.time(o.getDueAt(), zone));
        f.put("tenant_id", i.getTenantId() == null ? l.none() : i.getTenantId());
        f.put("actor", actor == null ? l.none() : actor);
        f.put("rule_id", i.getRuleId());
        f.put("severity", l.severity(i.getSeverity().name()));
        f.put("affected_individuals", l.count(i.getAffectedIndividuals()));
        f.put("record_count", l.count(i.getRecordCount()));
        f.put("event_count", l.count(i.getEventCount()));
        f.put("first_seen", l.time(i.getFirstSeen().toEpochMilli(), zone));
        f.put("last_seen", l.time(i.getLastSeen().toEpochMilli(), zone));
        f.put("pi_categories", l.categories(i.getPiCategories()));
        f.put("sensitive_pi", l.yesNo(i.getSensitivePi()));
        f.put("cross_border", l.yesNo(i.getCrossBorder()));
        f.put("destination_countries", l.list(i.getDestinationCountries(), l.none()));
        f.put("evidence_event_ids", l.list(i.getEvidenceEventIds(), l.none()));
        f.put("summary", i.getSummary());
        return f;
    }
}
