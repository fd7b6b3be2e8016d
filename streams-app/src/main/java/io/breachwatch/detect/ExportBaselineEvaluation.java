package io.breachwatch.detect;

import org.apache.kafka.streams.state.KeyValueStore;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;

/**
 * Whether a user's day so far fires, and the finding it makes: used on each export and whenever new peer
 * statistics reach the user (they travel asynchronously, so the day is judged again when they arrive).
 */
final class ExportBaselineEvaluation {
    private final ExportBaselineRule rule;
    private final ExportBaselineConfig config;
    private final ExportBaselineLearningClock clock;

    ExportBaselineEvaluation(ExportBaselineRule rule, KeyValueStore<String, Long> learningStore) {
        this.rule = rule;
        this.config = rule.config();
        this.clock = new ExportBaselineLearningClock(learningStore, config.learningPeriod());
    }

    ExportBaselineLearningClock clock() {
        return clock;
    }

    /**
     * The finding for the user's day so far, or null when it stays below the threshold, or when the user has too
     * little history while the task is still learning or was first seen while it was.
     */
    Finding evaluate(String entity, ExportBaselineState user, long timestamp) {
        var comparison = ExportBaselineComparison.choose(user, config);
        return fires(comparison, user, timestamp) ? finding(entity, user, comparison) : null;
    }

    /** Whether {@link #evaluate} makes a finding, without making it. */
    boolean fires(ExportBaselineState user, long timestamp) {
        return fires(ExportBaselineComparison.choose(user, config), user, timestamp);
    }

    private boolean fires(ExportBaselineComparison comparison, ExportBaselineState user, long timestamp) {
        var quiet = comparison.tooLittleHistory() && (user.seenFromStart() || clock.learning(timestamp));
        return comparison.fires(user.volume()) && !quiet;
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
}
