package io.breachwatch.detect;

import io.breachwatch.config.Field;
import io.breachwatch.config.Settings;
import io.breachwatch.schema.AccessEvent;
import io.breachwatch.schema.Action;
import io.breachwatch.schema.Incident;
import io.breachwatch.schema.Outcome;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * export-baseline: a user's export volume today (records of EXPORT, BULK_API and REPORT_RUN per local day) far
 * above their own history, or, while they have little history, above their role's peers in the tenant.
 * <pre>
 * events by user -> [export-baseline-track] (store export-baseline-users) --alert--> Finding
 *                                   | day closed / (un)subscribe, key tenant/role
 *                                   v  topic export-baseline-to-peers
 *                              [export-baseline-peer-group] (store export-baseline-peers)
 *                                   | to a subscriber's update: the other users' statistics, key tenant/user
 *                                   v  topic export-baseline-from-peers
 *                              [export-baseline-peer-inbox] -> into the subscriber's state; the day judged again --alert--> Finding
 * </pre>
 * Peer statistics need other users, who live on other partitions: the group's partition keeps one entry per user
 * and answers each update of a subscriber (a user with too little history: when they subscribe, and at their first
 * export of each day); the answer travels back to the subscriber's partition, where the user processor reads it
 * locally at their next export. One answer per update, no fan-out; findings are always made on the user's
 * partition (the incident stage keeps one case per user there).
 */
public record ExportBaselineRule(ExportBaselineConfig config) implements Rule {
    public static final String RULE = ExportBaselineConfig.RULE;
    /** Key-value: {@code tenant/user} -> the user's baseline, today's volume and the peer statistics received. */
    public static final String USERS_STORE = RULE + "-users";
    /** Key-value: {@code tenant/role|tenant/user} -> the user's entry in their peer group. */
    public static final String PEERS_STORE = RULE + "-peers";
    /** Key-value, per task: when its data began and whether the learning period is over ({@link ExportBaselineLearningClock}). */
    public static final String LEARNING_STORE = RULE + "-learning";
    public static final String TO_PEERS_TOPIC = RULE + "-to-peers";
    public static final String FROM_PEERS_TOPIC = RULE + "-from-peers";
    public static final List<Field<?>> KEYS = ExportBaselineConfig.KEYS;
    private static final Set<Action> EXPORTS = EnumSet.of(Action.EXPORT, Action.BULK_API, Action.REPORT_RUN);

    /** The rule configured from {@code settings}, or null when it is disabled; fails naming the key on a bad value. */
    public static ExportBaselineRule create(Settings settings) {
        var config = ExportBaselineConfig.read(settings);
        return config.enabled() ? new ExportBaselineRule(config) : null;
    }

    @Override
    public RuleSettings settings() {
        return config.ruleSettings();
    }

    @Override
    public String incidentType() {
        return "bulk_export";
    }


    @Override
    public boolean dataLeft() {
        return true;
    }

    /**
     * A user's activity: exports make up the volume, and any activity starts the learning clock (the rule must see
     * when the data begins, not when the first export of a partition happens to arrive). Failed logins are not
     * activity (and are not routed to user rules otherwise).
     */
    @Override
    public boolean counts(AccessEvent event) {
        return event.getAction() != Action.LOGIN_FAILED && event.getOutcome() != Outcome.FAILED;
    }

    /** What adds to a day's export volume. */
    static boolean isExport(AccessEvent event) {
        return EXPORTS.contains(event.getAction());
    }

    @Override
    public boolean distinctAreCustomers() {
        return false;
    }

    /** Exports rarely name customers: the exported rows are the estimate. */
    @Override
    public long affectedIndividuals(Incident incident) {
        return incident.getRecordCount();
    }

    @Override
    public KStream<String, Finding> findings(KStream<String, AccessEvent> eventsByEntity, RuleContext context) {
        var builder = context.builder();
        builder.addStateStore(context.stores().keyValue(USERS_STORE, Serdes.String(), ExportBaselineState.SERDE));
        builder.addStateStore(context.stores().keyValue(PEERS_STORE, Serdes.String(), ExportBaselinePeerUpdate.SERDE));
        builder.addStateStore(context.stores().keyValue(LEARNING_STORE, Serdes.String(), Serdes.Long()));
        var signals = eventsByEntity
                .process(() -> new ExportBaselineUserProcessor(this, context.metrics()), Named.as(RULE + "-track"), USERS_STORE, LEARNING_STORE)
                .split(Named.as(RULE + "-"))
                .branch((key, signal) -> signal instanceof ExportBaselineSignal.ToPeers, Branched.as("peers"))
                .defaultBranch(Branched.as("alerts"));
        var updates = signals.get(RULE + "-peers")
                .mapValues(signal -> ((ExportBaselineSignal.ToPeers) signal).update(), Named.as(RULE + "-peer-update"));
        var answers = context.repartition(updates, Repartitioned.<String, ExportBaselinePeerUpdate>as(TO_PEERS_TOPIC)
                        .withKeySerde(Serdes.String()).withValueSerde(ExportBaselinePeerUpdate.SERDE))
                .process(() -> new ExportBaselinePeerProcessor(config), Named.as(RULE + "-peer-group"), PEERS_STORE);
        var judgedAgain = context.repartition(answers, Repartitioned.<String, ExportBaselinePeerStats>as(FROM_PEERS_TOPIC)
                        .withKeySerde(Serdes.String()).withValueSerde(ExportBaselinePeerStats.SERDE))
                .process(() -> new ExportBaselinePeerInbox(this), Named.as(RULE + "-peer-inbox"), USERS_STORE, LEARNING_STORE);
        return signals.get(RULE + "-alerts")
                .merge(judgedAgain, Named.as(RULE + "-all-alerts"))
                .map((entity, signal) -> {
                    var finding = ((ExportBaselineSignal.Alert) signal).finding();
                    return KeyValue.pair(finding.caseKey(), finding);
                }, Named.as(RULE + "-finding"));
    }

    /**
     * "User u-7 of tenant acme exported 48,000 records today (2025-03-17, Asia/Shanghai), 9.6x their 14-day average
     * of 5,000 (z = 12.3; fires from 15,000)."
     */
    @Override
    public String summary(Incident incident) {
        var a = incident.getAttributes();
        var head = Summaries.user(incident) + " exported " + Summaries.count(incident.getObserved()) + " records today ("
                + a.get("day") + ", " + a.get("time_zone") + "), ";
        var threshold = Summaries.count(Double.parseDouble(a.get("effective_threshold")));
        var baseline = incident.getBaseline();
        if (baseline == null) {
            return head + "with no export history and no peer baseline (new users fire from " + threshold + ").";
        }
        var tail = " (z = " + a.get("z_score") + "; fires from " + threshold + ").";
        if (ExportBaselineComparison.PEER.equals(baseline.getSource())) {
            return head + a.get("ratio") + "x the median of " + Summaries.count(Math.round(baseline.getMean())) + " of "
                    + a.get("peer_users") + " " + a.get("role") + " peers" + tail.substring(0, tail.length() - 1)
                    + "; " + days(Integer.parseInt(a.get("own_days"))) + " of own history.";
        }
        return head + a.get("ratio") + "x their " + baseline.getDays() + "-day average of "
                + Summaries.count(Math.round(baseline.getMean())) + tail;
    }

    private static String days(int n) {
        return n == 1 ? "1 day" : n + " days";
    }
}
