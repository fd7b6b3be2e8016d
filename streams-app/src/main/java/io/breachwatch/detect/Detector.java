package io.breachwatch.detect;

import io.breachwatch.schema.AccessEvent;
import org.apache.kafka.streams.kstream.KStream;

import java.time.Duration;

/**
 * One windowed threshold rule: which events it counts, per which entity, what it observes in a window, and how
 * it says what happened. The shared plumbing (windows, late records, stores, incidents) lives in
 * {@link WindowedDetection} and {@code io.breachwatch.incident}; a detector class is only the rule itself.
 */
public interface Detector extends Rule {

    WindowRuleConfig config();

    @Override
    default RuleSettings settings() {
        return config().ruleSettings();
    }

    /** Windowed rules see data leave unless they say otherwise. */
    @Override
    default boolean dataLeft() {
        return true;
    }

    /**
     * The value whose distinct count the rule observes or reports, or null (the default: nothing counted as
     * distinct). Opt-in because the window keeps up to {@link WindowAggregate#MAX_DISTINCT} hashes and rewrites
     * them on every update: only rules that compare or report a distinct count pay for it.
     */
    default String distinctValue(AccessEvent event) {
        return null;
    }

    /** The value compared with the threshold. */
    double observed(WindowAggregate window);

    @Override
    default KStream<String, Finding> findings(KStream<String, AccessEvent> eventsByEntity, RuleContext context) {
        return WindowedDetection.findings(eventsByEntity, this, context);
    }

    @Override
    default Duration horizon() {
        return config().window().plus(config().grace()).plus(config().mergeGap());
    }
}
