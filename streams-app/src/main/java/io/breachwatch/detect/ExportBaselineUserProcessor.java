package io.breachwatch.detect;

import io.breachwatch.metrics.DetectorMetrics;
import io.breachwatch.schema.AccessEvent;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * export-baseline on the user's partition (key {@code tenant/user}): adds each export to the user's day, closes
 * the previous day into the baseline when the first export of a new local day arrives (so today's burst never
 * inflates its own baseline), keeps the peer group informed, and alerts while the day's volume is at or above the
 * threshold (one finding per export, which the incident stage merges into one incident per user-day burst).
 * Exports for a day already closed are late: counted in {@code breachwatch.events.late}, not added.
 * A stream-time punctuation forgets users without exports for the retention. During the learning period after the
 * task's data begins ({@link ExportBaselineLearningClock}), a user with too little history (no peers, short or no own history) does not fire:
 * every user looks new then. Events other than exports only start that clock.
 */
final class ExportBaselineUserProcessor implements Processor<String, AccessEvent, String, ExportBaselineSignal> {
    static final Duration PURGE_INTERVAL = Duration.ofHours(1);

    private final ExportBaselineRule rule;
    private final ExportBaselineConfig config;
    private final DetectorMetrics metrics;
    private ProcessorContext<String, ExportBaselineSignal> context;
    private KeyValueStore<String, ExportBaselineState> users;
    private ExportBaselineEvaluation evaluation;

    ExportBaselineUserProcessor(ExportBaselineRule rule, DetectorMetrics metrics) {
        this.rule = rule;
        this.config = rule.config();
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, ExportBaselineSignal> context) {
        this.context = context;
        this.users = context.getStateStore(ExportBaselineRule.USERS_STORE);
        this.evaluation = new ExportBaselineEvaluation(rule, context.getStateStore(ExportBaselineRule.LEARNING_STORE));
        context.schedule(PURGE_INTERVAL, PunctuationType.STREAM_TIME, this::forgetInactive);
    }

    @Override
    public void process(Record<String, AccessEvent> record) {
        var entity = record.key();
        var event = record.value();
        evaluation.clock().observe(record.timestamp());
        if (!ExportBaselineRule.isExport(event)) {
            return;
        }
        var day = config.day(record.timestamp());
        var user = users.get(entity);
        if (user != null && expired(user, KeyedStateDetection.streamTime(context, record))) {
            user = null; // whether the purge has run yet must not change the result
        }
        if (user == null) {
            user = ExportBaselineState.startingOn(day, evaluation.clock().learning(record.timestamp()));
        } else if (day < user.day()) {
            metrics.late(rule.ruleId());
            return;
        }
        var previousGroup = user.group(event.getTenantId());
        var dayClosed = day > user.day() && user.rollOver(day, config.alpha());
        user.add(event);
        var updates = peerUpdates(entity, user, previousGroup, event.getTenantId(), dayClosed);
        // stored before the updates go: in a single task the group answers, and the inbox reads the user, at once
        users.put(entity, user);
        var deferred = updates.stream().anyMatch(update -> update.value.subscribed());
        var urgent = deferred && mayFireOnAnswer(user, record.timestamp());
        var headers = urgent ? Urgency.marked(record.headers()) : record.headers();
        updates.forEach(update -> context.forward(new Record<>(update.key, new ExportBaselineSignal.ToPeers(update.value), record.timestamp(), headers)));
        if (urgent) {
            context.commit();
        }
        if (deferred) {
            return; // the group's answer follows and judges the day with current statistics (ExportBaselinePeerInbox)
        }
        var finding = evaluation.evaluate(entity, user, record.timestamp());
        if (finding != null) {
            context.forward(new Record<>(entity, new ExportBaselineSignal.Alert(finding), record.timestamp(), record.headers()));
        }
    }

    /**
     * Whether a deferred day will likely fire on the group's answer, so its update travels marked ({@link Urgency}):
     * it fires on the statistics the user holds, or, before the user's first answer, it has reached the rule's floor
     * (the least any peer baseline fires from). A user's first answer comes once; after it, a day judged again on
     * fresh statistics that the held ones did not make fire is judged at the pace of the commit interval.
     */
    private boolean mayFireOnAnswer(ExportBaselineState user, long timestamp) {
        return user.peers() == null ? user.volume() >= config.floor() : evaluation.fires(user, timestamp);
    }

    /**
     * What goes to which peer group (a subscribed update asks for the group's statistics): the user's baseline when
     * a day closed, when they (un)subscribe from the group's statistics, when their role changed (then the old group
     * drops them), and at every export while the last statistics received had too few peers (peers' days close in
     * the course of the morning; an export is rare enough that asking again each time costs little). Records in the
     * user whether they are subscribed.
     */
    private List<KeyValue<String, ExportBaselinePeerUpdate>> peerUpdates(String entity, ExportBaselineState user, String previousGroup,
                                                                         String tenant, boolean dayClosed) {
        var group = user.group(tenant);
        var wantsPeers = group != null && user.days() < config.minDays();
        var groupChanged = !Objects.equals(group, previousGroup);
        var out = new ArrayList<KeyValue<String, ExportBaselinePeerUpdate>>(2);
        if (previousGroup != null && groupChanged) {
            out.add(KeyValue.pair(previousGroup, ExportBaselinePeerUpdate.leaving(entity, user.day())));
        }
        var peersTooFew = wantsPeers && (user.peers() == null || user.peers().users() < config.minPeers());
        if (group != null && (dayClosed || groupChanged || wantsPeers != user.subscribed() || peersTooFew)) {
            out.add(KeyValue.pair(group, new ExportBaselinePeerUpdate(entity, user.mean(), user.days(), user.day(), wantsPeers)));
        }
        user.subscribed(wantsPeers);
        return out;
    }

    private boolean expired(ExportBaselineState user, long now) {
        return user.lastEventTime() + config.retention().toMillis() <= now;
    }

    /** Forgets users whose last export is older than the retention (event time). */
    private void forgetInactive(long streamTime) {
        var stale = new ArrayList<String>();
        try (var all = users.all()) {
            all.forEachRemaining(kv -> {
                if (expired(kv.value, streamTime)) {
                    stale.add(kv.key);
                }
            });
        }
        stale.forEach(users::delete);
    }
}
