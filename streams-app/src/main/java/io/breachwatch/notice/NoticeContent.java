package io.breachwatch.notice;

import io.breachwatch.schema.Incident;
import io.breachwatch.schema.Obligation;
import io.breachwatch.schema.Severity;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a notice says that matters to its recipient, as the notice store keeps it per {@code incident_id|obligation}:
 * the revision of the last notice issued and the content it had, plus the incident's last_seen (for expiry).
 * A notice is issued again only when this content changes materially ({@link #changesSince}), never for a mere
 * incident revision.
 */
record NoticeContent(int revision, Severity severity, long affected, Set<String> piCategories, long dueAt, long lastSeen) {
    static final String SEVERITY = "severity";
    static final String AFFECTED = "affected_individuals";
    static final String PI_CATEGORIES = "pi_categories";
    static final String DUE_AT = "due_at";

    static NoticeContent of(Incident incident, Obligation obligation, int revision) {
        return new NoticeContent(revision, incident.getSeverity(), incident.getAffectedIndividuals(),
                new TreeSet<>(incident.getPiCategories()), obligation.getDueAt(), incident.getLastSeen().toEpochMilli());
    }

    /**
     * The material changes since {@code issued} (the content of the last notice): severity rose, the affected
     * individuals grew by at least {@code growth} (a fraction), a PI category was added, or the deadline moved.
     * Empty when nothing changed materially.
     */
    List<String> changesSince(NoticeContent issued, double growth) {
        var out = new ArrayList<String>();
        if (severity.ordinal() > issued.severity.ordinal()) {
            out.add(SEVERITY);
        }
        if (affected > issued.affected && affected >= issued.affected * (1 + growth)) {
            out.add(AFFECTED);
        }
        if (!issued.piCategories.containsAll(piCategories)) {
            out.add(PI_CATEGORIES);
        }
        if (dueAt != issued.dueAt) {
            out.add(DUE_AT);
        }
        return out;
    }

    /** The issued content, with the incident's latest last_seen (the store entry lives as long as the incident). */
    NoticeContent seenUntil(long lastSeen) {
        return new NoticeContent(revision, severity, affected, piCategories, dueAt, Math.max(this.lastSeen, lastSeen));
    }

    String encode() {
        return revision + "|" + severity.name() + "|" + affected + "|" + String.join(",", piCategories) + "|" + dueAt + "|" + lastSeen;
    }

    static NoticeContent decode(String text) {
        var p = text.split("\\|", -1);
        var categories = new TreeSet<String>();
        for (var c : p[3].split(",")) {
            if (!c.isEmpty()) {
                categories.add(c);
            }
        }
        return new NoticeContent(Integer.parseInt(p[0]), Severity.valueOf(p[1]), Long.parseLong(p[2]), categories,
                Long.parseLong(p[4]), Long.parseLong(p[5]));
    }
}
