package io.breachwatch.incident;

import io.breachwatch.config.ConfigException;
import io.breachwatch.config.Field;
import io.breachwatch.config.Settings;
import io.breachwatch.detect.Rule;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Settings of the incident stage: retention, the PI catalog, the legal-obligation policy, the allowlist and the
 * exfiltration-chain correlation.
 *
 * @param retention     how long (event time after an incident's last_seen) the incident and its open case stay in
 *                      the stores; afterwards the compacted incidents topic is the record
 * @param resolveAfter  how long (event time after an incident's last_seen) a quiet incident stays open before it is
 *                      emitted once more with status RESOLVED; shorter than {@code retention}
 * @param pseudonymizer applied to incidents before they leave the topology; when enabled, incident ids are derived
 *                      from the pseudonymized entity
 */
public record IncidentConfig(Duration retention, Duration updateInterval, Duration resolveAfter, PiCatalog pi,
                             ObligationPolicy obligations, Allowlist allowlist, ExfiltrationChain.Config chain,
                             Pseudonymizer pseudonymizer) {
    public static final Field<Duration> RETENTION = Field.duration("incident.retention", "7d",
            "How long an incident stays queryable and mergeable after its last activity (event time)");

    public static final Field<Duration> UPDATE_INTERVAL = Field.duration("incident.update-interval", "5m",
            "Small changes to an open incident (a few more events) are emitted as a revision at most this often (stream time), and after this long of wall-clock time when the traffic pauses; material growth (+25%, new severity or obligations) is emitted at once");

    public static final Field<Duration> RESOLVE_AFTER = Field.duration("incident.resolve-after", "24h",
            "An incident without new activity for this long (event time after its last_seen) is emitted once more as its last revision, status RESOLVED; activity after that opens a new incident. Must be shorter than incident.retention");

    public static List<Field<?>> fields() {
        var out = new ArrayList<Field<?>>(List.of(RETENTION, UPDATE_INTERVAL, RESOLVE_AFTER));
        out.addAll(ExfiltrationChain.Config.fields());
        out.addAll(PiCatalog.fields());
        out.addAll(ObligationPolicy.fields());
        out.addAll(Allowlist.fields());
        out.addAll(Pseudonymizer.fields());
        return List.copyOf(out);
    }

    /** Reads the settings; retention must outlast every rule's window, grace and merge gap, and the chain's reach. */
    public static IncidentConfig from(Settings settings, List<Rule> rules) {
        var retention = settings.get(RETENTION);
        for (var rule : rules) {
            var needed = rule.horizon();
            if (retention.compareTo(needed) < 0) {
                throw new ConfigException(RETENTION.key(), "must be at least " + needed + " (window + grace + merge gap of rule "
                        + rule.ruleId() + "), got " + retention);
            }
        }
        var chain = ExfiltrationChain.Config.from(settings);
        if (chain.enabled() && retention.compareTo(chain.within()) < 0) {
            throw new ConfigException(RETENTION.key(), "must be at least " + chain.within() + " ("
                    + ExfiltrationChain.Config.WITHIN.key() + "), got " + retention);
        }
        var resolveAfter = settings.get(RESOLVE_AFTER);
        if (resolveAfter.compareTo(retention) >= 0) {
            throw new ConfigException(RESOLVE_AFTER.key(), "must be shorter than " + RETENTION.key() + " (" + retention
                    + "): an incident is forgotten after that and could no longer be resolved, got " + resolveAfter);
        }
        return new IncidentConfig(retention, settings.get(UPDATE_INTERVAL), resolveAfter, PiCatalog.from(settings),
                ObligationPolicy.from(settings), Allowlist.from(settings), chain, Pseudonymizer.from(settings));
    }

    /** How often (stream time) stale entries are purged. */
    Duration purgeInterval() {
        var quarter = retention.dividedBy(4);
        return quarter.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : quarter;
    }
}
