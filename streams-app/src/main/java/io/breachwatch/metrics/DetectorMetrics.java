package io.breachwatch.metrics;

import io.breachwatch.schema.Action;
import io.breachwatch.schema.Outcome;
import io.breachwatch.schema.Severity;
import io.breachwatch.topology.DeadLetterReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * The meters the topology records, named by {@link MetricNames}. Every tag value is bounded (action, outcome,
 * reason, rule, severity): callers never pass ids, IPs or anything else personal. Meters are created once and
 * cached, so the per-record cost is a map look-up and an increment.
 */
public final class DetectorMetrics {
    /**
     * Header the ingest stage puts on every valid record: wall-clock millis (8 bytes, big-endian) when the record
     * entered the topology. Headers travel through repartition topics and windowed aggregations, so the incident
     * stage can measure ingest latency.
     */
    public static final String INGEST_TIME_HEADER = "breachwatch.ingest.ms";
    private static final int OUTCOMES = Outcome.values().length;

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    /** The two counters every input record touches, by index, so the hot path builds no cache key (filled on first use). */
    private final AtomicReferenceArray<Counter> perRecord = new AtomicReferenceArray<>(1 + Action.values().length * OUTCOMES);

    public DetectorMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "a MeterRegistry is required (use SimpleMeterRegistry when none is exported)");
    }

    /**
     * Also registers every series these meters can have at 0, for the given rules: incidents emitted and revised
     * per rule and severity, incidents suppressed, latency timers and late records per rule, events consumed per action and
     * outcome, dead-lettered records per reason. Dashboards and alerts then show a flat 0 before the first
     * event instead of "no data", and {@code rate()} sees the first increment.
     */
    public DetectorMetrics(MeterRegistry registry, Collection<String> rules) {
        this(registry, rules, List.of());
    }

    /** As above, and the notice counters of {@code noticeObligations} (the obligation codes notices can carry). */
    public DetectorMetrics(MeterRegistry registry, Collection<String> rules, Collection<String> noticeObligations) {
        this(registry);
        recordsConsumedCounter();
        for (var action : Action.values()) {
            for (var outcome : Outcome.values()) {
                consumedCounter(action, outcome);
            }
        }
        for (var reason : DeadLetterReason.values()) {
            deadLetteredCounter(reason.code());
        }
        for (var rule : rules) {
            lateCounter(rule);
            suppressedCounter(rule);
            resolvedCounter(rule);
            for (var severity : Severity.values()) {
                emittedCounter(rule, severity);
                revisedCounter(rule, severity);
            }
            detectionTimer(rule);
            ingestTimer(rule);
        }
        noticeObligations.forEach(this::noticeCounter);
    }

    /** An input record, counted once whatever becomes of it (valid or dead-lettered). */
    public void recordConsumed() {
        perRecord(0, this::recordsConsumedCounter).increment();
    }

    /** A decoded, valid input record. */
    public void consumed(Action action, Outcome outcome) {
        perRecord(1 + action.ordinal() * OUTCOMES + outcome.ordinal(), () -> consumedCounter(action, outcome)).increment();
    }

    private Counter perRecord(int index, Supplier<Counter> create) {
        var counter = perRecord.get(index);
        if (counter == null) {
            counter = create.get(); // the same meter whichever thread gets here first: it comes from the cache
            perRecord.set(index, counter);
        }
        return counter;
    }

    /** A record sent to the dead-letter topic; {@code reason} is a short code from a closed set. */
    public void deadLettered(String reason) {
        deadLetteredCounter(reason).increment();
    }

    /** A record that arrived after every window of {@code rule} it belongs to had closed. */
    public void late(String rule) {
        lateCounter(rule).increment();
    }

    public void incidentEmitted(String rule, Severity severity) {
        emittedCounter(rule, severity).increment();
    }

    public void incidentRevised(String rule, Severity severity) {
        revisedCounter(rule, severity).increment();
    }

    /** An incident emitted with status SUPPRESSED because the allowlist covers it. */
    public void incidentSuppressed(String rule) {
        suppressedCounter(rule).increment();
    }

    /** An incident emitted with status RESOLVED: quiet for incident.resolve-after. */
    public void incidentResolved(String rule) {
        resolvedCounter(rule).increment();
    }

    /** A notice task written; {@code obligation} is an obligation code from a closed set, never anything personal. */
    public void noticeEmitted(String obligation) {
        noticeCounter(obligation).increment();
    }

    /** Event time of the triggering event to stream time at emit. */
    public void detectionLatency(String rule, Duration latency) {
        detectionTimer(rule).record(nonNegative(latency));
    }

    /** Wall clock from ingest of the triggering event to emit. */
    public void ingestLatency(String rule, Duration latency) {
        ingestTimer(rule).record(nonNegative(latency));
    }

    private Counter recordsConsumedCounter() {
        return counter(MetricNames.RECORDS_CONSUMED, "Input records read, valid or dead-lettered");
    }

    private Counter consumedCounter(Action action, Outcome outcome) {
        return counter(MetricNames.EVENTS_CONSUMED, "Input records decoded and validated", "action", action.name(), "outcome", outcome.name());
    }

    private Counter deadLetteredCounter(String reason) {
        return counter(MetricNames.EVENTS_DEAD_LETTERED, "Records sent to the dead-letter topic", "reason", reason);
    }

    private Counter lateCounter(String rule) {
        return counter(MetricNames.EVENTS_LATE, "Records later than the grace period, left out of the rule", "rule", rule);
    }

    private Counter emittedCounter(String rule, Severity severity) {
        return counter(MetricNames.INCIDENTS_EMITTED, "Incidents emitted (revision 1)", "rule", rule, "severity", severity.name());
    }

    private Counter revisedCounter(String rule, Severity severity) {
        return counter(MetricNames.INCIDENTS_REVISED, "Incident re-emits with a higher revision", "rule", rule, "severity", severity.name());
    }

    private Counter suppressedCounter(String rule) {
        return counter(MetricNames.INCIDENTS_SUPPRESSED, "Incidents suppressed by the allowlist (still emitted, status SUPPRESSED)", "rule", rule);
    }

    private Counter resolvedCounter(String rule) {
        return counter(MetricNames.INCIDENTS_RESOLVED, "Incidents resolved after incident.resolve-after without activity", "rule", rule);
    }

    private Counter noticeCounter(String obligation) {
        return counter(MetricNames.NOTICES_EMITTED, "Breach-notice tasks written, by obligation", "obligation", obligation);
    }

    private Timer detectionTimer(String rule) {
        return timer(MetricNames.DETECTION_LATENCY, "Event time of the triggering event to incident emit (stream time)", rule);
    }

    private Timer ingestTimer(String rule) {
        return timer(MetricNames.INGEST_LATENCY, "Wall clock from ingest of the triggering event to incident emit", rule);
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }

    private Counter counter(String name, String description, String... tags) {
        return counters.computeIfAbsent(cacheKey(name, tags),
                k -> Counter.builder(name).description(description).tags(tags).register(registry));
    }

    private Timer timer(String name, String description, String rule) {
        return timers.computeIfAbsent(cacheKey(name, "rule", rule),
                k -> Timer.builder(name).description(description).tag("rule", rule)
                        .publishPercentileHistogram()
                        // out-of-order events and slow consumers reach minutes; beyond an hour is one bucket
                        .minimumExpectedValue(Duration.ofMillis(1))
                        .maximumExpectedValue(Duration.ofHours(1))
                        .register(registry));
    }

    private static String cacheKey(String name, String... tags) {
        return name + '|' + String.join("|", tags);
    }
}
