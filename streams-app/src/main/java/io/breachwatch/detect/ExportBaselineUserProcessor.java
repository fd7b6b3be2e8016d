package io.breachwatch.detect;

import io.breachwatch.metrics.DetectorMetrics;
import io.breachwatch.schema.AccessEvent;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * export-baseline on the user's partition (key {@code tenant/user}): adds each export to the user's day, closes
 * the previous day into the baseline when the first export of a new local day arrives (so today's burst never
 * inflates its own baseline), keeps the peer group informed, and alerts while the day's volume is at or above the
 * threshold (one finding per export, which the incident stage merges into one incident per user-day burst).
 * Exports for a day already closed are late: counted in {@code breachwatch.events.late}, not added.
 * A stream-time punctuation forgets users without exports for the retention. During the learning period after the
 * first export the task sees, the new-user floor does not fire (every user looks new then).
 */
final class ExportBaselineUserProcessor implements Processor<String, AccessEvent, String, ExportBaselineSignal> {
    static final Duration PURGE_INTERVAL = Duration.ofHours(1);
    /** Key of the learning store: event time of the first export this task saw. */
    static final String LEARNING_SINCE = "since";

    private final ExportBaselineRule rule;
    private final ExportBaselineConfig config;
    private final DetectorMetrics metrics;
    private ProcessorContext<String, ExportBaselineSignal> context;
    private KeyValueStore<String, ExportBaselineState> users;
    private KeyValueStore<String, Long> learning;
    private Long learningSince;

    ExportBaselineUserProcessor(ExportBaselineRule rule, DetectorMetrics metrics) {
        this.rule = rule;
        this.config = rule.config();
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, ExportBaselineSignal> context) {
        this.context = context;
        this.users = context.getStateStore(ExportBaselineRule.USERS_STORE);
        this.learning = context.getStateStore(ExportBaselineRule.LEARNING_STORE);
        this.learningSince = learning.get(LEARNING_SINCE);
        context.schedule(PURGE_INTERVAL, PunctuationType.STREAM_TIME, this::forgetInactive);
    }

    @Override
    public void process(Record<String, AccessEvent> record) {
        var entity = record.key();
        var event = record.value();
        if (learningSince == null) {
            learningSince = record.timestamp();
            learning.put(LEARNING_SINCE, learningSince);
        }
        var day = config.day(record.timestamp());
        var user = users.get(entity);
        if (user != null && expired(user, Math.max(context.currentStreamTimeMs(), record.timestamp()))) {
            user = null; // whether the purge has run yet must not change the result
        }
        if (user == null) {
            user = ExportBaselineState.startingOn(day);
        } else if (day < user.day()) {
            metrics.late(rule.ruleId());
            return;
        }
        var previousGroup = user.group(event.getTenantId());
        var dayClosed = day > user.day() && user.rollOver(day, config.alpha());
        user.add(event);
        informPeers(entity, user, previousGroup, event.getTenantId(), dayClosed, record.timestamp());
        users.put(entity, user);

        var comparison = ExportBaselineComparison.choose(user, config);
        if (comparison.fires(user.volume()) && !(comparison.isNewUser() && inLearningPeriod(record.timestamp()))) {
            var finding = finding(entity, user, comparison);
            context.forward(new Record<>(entity, new ExportBaselineSignal.Alert(finding), record.timestamp(), record.headers()));
        }
    }

    /**
     * Sends the user's baseline to their peer group when a day closed, when they (un)subscribe from the group's
     * statistics, or when their role changed (then the old group drops them).
     */
    private void informPeers(String entity, ExportBaselineState user, String previousGroup, String tenant,
                             boolean dayClosed, long timestamp) {
        var group = user.group(tenant);
        var wantsPeers = group != null && user.days() < config.minDays();
        var groupChanged = !Objects.equals(group, previousGroup);
        if (previousGroup != null && groupChanged) {
            toPeers(previousGroup, ExportBaselinePeerUpdate.leaving(entity, user.day()), timestamp);
        }
        if (group != null && (dayClosed || groupChanged || wantsPeers != user.subscribed())) {
            toPeers(group, new ExportBaselinePeerUpdate(entity, user.mean(), user.days(), user.day(), wantsPeers), timestamp);
        }
        user.subscribed(wantsPeers);
    }

    private void toPeers(String group, ExportBaselinePeerUpdate update, long timestamp) {
        context.forward(new Record<>(group, new ExportBaselineSignal.ToPeers(update), timestamp));
    }

    private Finding finding(String entity, ExportBaselineState user, ExportBaselineComparison comparison) {
        var volume = user.volume();
        var attributes = new LinkedHashMap<String, String>();
        attributes.put("baseline_source", comparison.source());
        attributes.put("effective_threshold", Long.toString((long) comparison.threshold()));
        attributes.put("own_days", Integer.toString(comparison.ownDays()));
        attributes.put("day", LocalDate.ofEpochDay(user.day()).toString());
        attributes.put("time_zone", config.timeZone().getId());
        if (user.role() != null) {
            attributes.put("role", user.role());
        }
        if (comparison.baseline() != null) {
            attributes.put("z_score", String.format(Locale.ROOT, "%.1f", comparison.z(volume)));
            attributes.put("ratio", String.format(Locale.ROOT, "%.1f", comparison.ratio(volume)));
        }
        if (comparison.peerUsers() > 0) {
            attributes.put("peer_users", Integer.toString(comparison.peerUsers()));
        }
        return new Finding(rule, entity, config.dayStart(user.day()), config.dayStart(user.day() + 1), volume,
                user.today(), comparison.baseline(), false, List.of(), attributes);
    }

    /**
     * Whether {@code timestamp} lies in the learning period that starts at the first export this task saw: on a
     * fresh deployment (or a replay) every user looks new, and the new-user floor would flag every heavy account.
     */
    private boolean inLearningPeriod(long timestamp) {
        return timestamp < learningSince + config.learningPeriod().toMillis();
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
