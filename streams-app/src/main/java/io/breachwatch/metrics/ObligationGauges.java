package io.breachwatch.metrics;

import io.breachwatch.incident.Obligations;
import io.breachwatch.schema.Incident;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The deadline watch as metrics: per obligation code and applies value, how many duties are open
 * ({@link MetricNames#OBLIGATIONS_OPEN}) and the time until the earliest open deadline
 * ({@link MetricNames#OBLIGATION_NEXT_DUE}; negative when overdue, NaN when none is open).
 *
 * <p>Scanning the incident store is not free, so a background thread does it every {@link #REFRESH} rather than
 * every scrape; the time until due is computed at scrape time from the earliest deadline found, so it moves with
 * the clock between scans. Labels are obligation codes and applies values only: bounded, and no personal information.
 */
public final class ObligationGauges implements AutoCloseable {
    public static final Duration REFRESH = Duration.ofSeconds(15);
    private static final Logger LOG = LoggerFactory.getLogger(ObligationGauges.class);
    private static final List<String> KNOWN_CODES = List.of(Obligations.PIPL_57_AUTHORITY, Obligations.PIPL_57_INDIVIDUALS,
            Obligations.CAC_INCIDENT_REPORT, Obligations.PIPL_38_CROSS_BORDER, Obligations.GDPR_33);

    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<Key, Summary> snapshot = new ConcurrentHashMap<>();
    private ScheduledExecutorService scanner;

    private record Key(String obligation, String applies) {
    }

    /** Open count and earliest deadline (epoch ms; Long.MAX_VALUE when none) of one key. */
    private record Summary(long open, long earliestDueMillis) {
        static final Summary NONE = new Summary(0, Long.MAX_VALUE);

        Summary plus(OpenObligation o) {
            return new Summary(open + 1, Math.min(earliestDueMillis, o.dueAt().toEpochMilli()));
        }
    }

    public ObligationGauges(MeterRegistry registry, Clock clock) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.clock = Objects.requireNonNull(clock, "clock");
        for (var code : KNOWN_CODES) {
            for (var applies : OpenObligation.OPEN_APPLIES) {
                register(new Key(code, applies));
            }
        }
    }

    /**
     * Recomputes the gauges from every incident {@code incidents} passes to its consumer (e.g. a scan of the
     * incident store). Keys no longer seen go back to 0 open.
     */
    public void refresh(Consumer<Consumer<Incident>> incidents) {
        var next = new ConcurrentHashMap<Key, Summary>();
        incidents.accept(incident -> OpenObligation.of(incident).forEach(o ->
                next.merge(new Key(o.obligation(), o.applies()), Summary.NONE.plus(o),
                        (a, b) -> new Summary(a.open() + b.open(), Math.min(a.earliestDueMillis(), b.earliestDueMillis())))));
        next.keySet().stream().filter(key -> !snapshot.containsKey(key)).forEach(this::register);
        for (var key : snapshot.keySet()) { // key by key: a scrape never sees a half-cleared snapshot
            snapshot.put(key, next.getOrDefault(key, Summary.NONE));
        }
    }

    /** Refreshes now and then every {@link #REFRESH} on a daemon thread; a failed scan (store not queryable) keeps the last values. */
    public synchronized ObligationGauges start(Consumer<Consumer<Incident>> incidents) {
        if (scanner != null) {
            return this;
        }
        scanner = Executors.newSingleThreadScheduledExecutor(r -> {
            var thread = new Thread(r, "breachwatch-obligation-gauges");
            thread.setDaemon(true);
            return thread;
        });
        scanner.scheduleWithFixedDelay(() -> {
            try {
                refresh(incidents);
            } catch (RuntimeException e) {
                LOG.debug("Obligation gauges not refreshed: {}", e.getMessage());
            }
        }, 0, REFRESH.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    @Override
    public synchronized void close() {
        if (scanner != null) {
            scanner.shutdownNow();
            scanner = null;
        }
    }

    private void register(Key key) {
        snapshot.putIfAbsent(key, Summary.NONE);
        Gauge.builder(MetricNames.OBLIGATIONS_OPEN, snapshot, s -> s.getOrDefault(key, Summary.NONE).open())
                .tags("obligation", key.obligation(), "applies", key.applies())
                .description("Open notification obligations (applies yes or assess, incident not resolved or suppressed)")
                .register(registry);
        Gauge.builder(MetricNames.OBLIGATION_NEXT_DUE, snapshot, s -> secondsUntil(s.getOrDefault(key, Summary.NONE)))
                .tags("obligation", key.obligation(), "applies", key.applies())
                .baseUnit("seconds")
                .description("Seconds until the earliest open deadline of the obligation; negative when overdue, NaN when none is open")
                .register(registry);
    }

    private double secondsUntil(Summary summary) {
        if (summary.open() == 0) {
            return Double.NaN;
        }
        return (summary.earliestDueMillis() - clock.millis()) / 1000.0;
    }
}
