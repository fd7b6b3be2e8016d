package io.breachwatch.bench;

import io.breachwatch.embedded.AvroClients;
import io.breachwatch.schema.Incident;
import io.breachwatch.serde.AvroSerde;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToLongFunction;
import java.util.stream.IntStream;

/**
 * Event-to-incident latency at a fixed input rate. One thread produces the events at {@code rate} per second
 * (scheduled against the clock, so a slow send is caught up rather than lowering the rate), events made and serialized
 * before the feed ({@link PreparedEvents}: making them on the way stopped the feed for seconds), and records, for each
 * event, the wall-clock time of its send under the keys {@code tenant/user@timestamp} and {@code tenant/ip@timestamp}.
 * Another thread reads the incidents topic read_committed (so an incident counts once its transaction commits:
 * what a downstream consumer sees) and, for each revision 1, looks up the incident's actor and {@code last_seen}:
 * the event that made the case cross its threshold is the latest event of that actor with that event time.
 * Latency = when the incident was read minus when that event was sent. Both times come from one clock in this JVM.
 * The incidents topic keeps the broker's append time as record timestamps ({@link #INCIDENT_TOPIC_CONFIG}): it
 * splits the latency into event to incident appended (ingest, processing, the app producer's batching) and appended
 * to visible (the transaction's commit and markers, the reader's fetch); broker and bench share the machine's clock.
 * The event's acknowledgement by the broker (acks=all) marks when the app could first fetch it.
 * Incidents whose event is not found (e.g. emitted by a punctuation for an earlier event) are counted, not timed.
 * The feed begins with a warm-up at the same rate whose incidents are reported apart: a fresh app JVM is seconds
 * behind in its first 20-30 s (JIT, empty caches), which is its start-up, not its steady latency. On two shared cores
 * it can end those seconds tens of thousands of events behind and take a minute more to work that off; timed from
 * there, p99 would be how long the start-up's backlog took to drain. So the warm-up lasts its seconds and then until
 * the app has caught up ({@link #CAUGHT_UP}), at most {@value #MAX_CATCH_UP_SECONDS} s more; how long it took, and
 * whether the app caught up, is reported. A third thread samples how far behind the app is every 200 ms.
 */
public final class LatencyProbe {
    /** How long the warm-up may go on past its seconds, waiting for the app to catch up. */
    public static final int MAX_CATCH_UP_SECONDS = 90;
    /** Caught up: at most half a second of the feed behind ... */
    private static final double CAUGHT_UP_SECONDS_BEHIND = 0.5;
    /** ... in this many samples in a row (one second). */
    private static final int CAUGHT_UP_SAMPLES = 5;
    /** What counts as caught up (the two bounds above, sampled every 200 ms), in words, for the results. */
    public static final String CAUGHT_UP = "at most 0.5 s of events behind for 1 s";

    /**
     * What one latency run saw (the timed part; the warm-up's apart).
     *
     * @param ackedMs    for each timed incident: from the event's send to the broker's acknowledgement of the event
     * @param appendedMs for each timed incident: from the event's send to the broker's append of the incident
     * @param behindSamples events the app had yet to finish, sampled every 200 ms while timing
     * @param slowest    the {@value #SLOWEST} slowest timed incidents, slowest first
     * @param warmup     what the warm-up before timing saw: in none of the figures above
     */
    public record Result(int rate, long eventsSent, double sendSeconds, List<Long> latenciesMs, long unmatched, long lagAtEndOfFeed,
                         Map<String, List<Long>> latenciesByRuleMs, List<Long> ackedMs, List<Long> appendedMs, List<Long> behindSamples,
                         List<Timed> slowest, Warmup warmup) {
    }

    /** How many of the slowest incidents a result names. */
    public static final int SLOWEST = 3;

    /**
     * One timed incident: where its time went, and when in the timed part its event was sent (to set it beside the
     * samples of how far behind the app was).
     *
     * @param latencyMs  event sent to incident read
     * @param ackedMs    event sent to the event acknowledged by the broker
     * @param appendedMs event sent to incident appended by the broker
     * @param sentAtSeconds when the event was sent, in seconds from the start of timing
     */
    public record Timed(String rule, long latencyMs, long ackedMs, long appendedMs, double sentAtSeconds) {
    }

    /**
     * What the warm-up saw: the app starts with a cold JIT and empty caches, and is behind for its first seconds.
     *
     * @param seconds       how long it fed before timing started
     * @param caughtUp      whether the app had caught up then (false: the catch-up allowance ran out)
     * @param latenciesMs   event-to-incident latencies of the incidents of its events
     * @param behindSamples events the app had yet to finish, every 200 ms
     */
    public record Warmup(double seconds, boolean caughtUp, List<Long> latenciesMs, List<Long> behindSamples) {
    }

    /** Config of the incidents topic a latency run reads: record timestamps are the broker's append time. */
    public static final Map<String, String> INCIDENT_TOPIC_CONFIG = Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime");

    private final BenchCluster cluster;
    private final String input;
    private final String incidents;
    /** When each event was sent, and when the broker acknowledged it (acks=all): what the app could fetch from then on. */
    private final SendTimes times = new SendTimes();
    /** The timed incidents; every figure of a {@link Result} but the samples is made from them. */
    private final List<Timed> timed = new ArrayList<>();
    private final AtomicLong unmatched = new AtomicLong();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicBoolean feeding = new AtomicBoolean(true);
    private final List<Long> behindSamples = Collections.synchronizedList(new ArrayList<>());
    private final List<Long> warmupBehind = Collections.synchronizedList(new ArrayList<>());
    private final List<Long> warmupLatencies = new ArrayList<>(); // guarded by timed
    /** Wall-clock ms from which events are timed; those sent before are the warm-up's. */
    private volatile long timedFrom = Long.MAX_VALUE;
    /** The latest samples in a row that found the app caught up. */
    private volatile int caughtUpSamples;
    /** Events the app may be behind and count as caught up (set before the sampler thread starts). */
    private long caughtUpBehind;
    private final CountDownLatch readerReady = new CountDownLatch(1);
    private final long baseMillis = System.currentTimeMillis();
    private final long baseNanos = System.nanoTime();

    public LatencyProbe(BenchCluster cluster, String input, String incidents) {
        this.cluster = cluster;
        this.input = input;
        this.incidents = incidents;
    }

    /**
     * Feeds {@code events} at {@code rate}/s for {@code warmupSeconds}, then until the app has caught up (at most
     * {@value #MAX_CATCH_UP_SECONDS} s more; not at all when {@code warmupSeconds} is 0), then {@code seconds} more,
     * timing the incidents of the events sent after the warm-up; then waits up to {@code drain} for the app to catch
     * up. {@code events} should last {@link #feedSeconds} at the rate.
     */
    public Result run(AppUnderTest app, PreparedEvents events, int rate, int warmupSeconds, int seconds, Duration drain)
            throws InterruptedException {
        var reader = new Thread(this::readIncidents, "bench-latency-reader");
        reader.start();
        if (!readerReady.await(60, TimeUnit.SECONDS)) {
            stop.set(true);
            throw new IllegalStateException("the incident reader did not start within 60 s");
        }
        caughtUpBehind = (long) (rate * CAUGHT_UP_SECONDS_BEHIND); // before the sampler starts: it reads it
        var sampler = new Thread(() -> sampleBehind(app.applicationId()), "bench-latency-behind");
        sampler.start();
        long sent = 0;
        long start = System.nanoTime();
        long warmupEnd = start + TimeUnit.SECONDS.toNanos(warmupSeconds);
        long lastChance = warmupEnd + TimeUnit.SECONDS.toNanos(MAX_CATCH_UP_SECONDS);
        long end = Long.MAX_VALUE;
        double warmupTook = 0;
        boolean caughtUp = false;
        try (var producer = AvroClients.bytesProducer(cluster.bootstrapServers())) {
            while (sent < events.size()) {
                long t = System.nanoTime();
                // no warm-up asked for (0 s): the cold start is timed too, caught up or not
                var caughtUpNow = caughtUpSamples >= CAUGHT_UP_SAMPLES;
                if (end == Long.MAX_VALUE && t >= warmupEnd && (warmupSeconds == 0 || caughtUpNow || t >= lastChance)) {
                    caughtUp = caughtUpNow;
                    warmupTook = warmupSeconds == 0 ? 0 : (t - start) / 1e9;
                    timedFrom = now();
                    end = t + TimeUnit.SECONDS.toNanos(seconds);
                }
                if (t >= end) {
                    break;
                }
                long due = start + sent * 1_000_000_000L / rate;
                for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
                int i = (int) sent;
                var record = events.record(i);
                long now = now();
                long userKey = events.userKey(i);
                long ipKey = events.ipKey(i);
                times.sent(userKey, now);
                if (ipKey != PreparedEvents.NO_KEY) {
                    times.sent(ipKey, now);
                }
                producer.send(record, (metadata, failure) -> {
                    if (failure != null) {
                        return; // not on the broker: its incident, if any, is never matched to an acknowledgement
                    }
                    long at = now();
                    times.acked(userKey, at);
                    if (ipKey != PreparedEvents.NO_KEY) {
                        times.acked(ipKey, at);
                    }
                });
                sent++;
            }
            producer.flush();
        }
        double sendSeconds = (System.nanoTime() - start) / 1e9;
        feeding.set(false);
        sampler.join(TimeUnit.SECONDS.toMillis(30));
        long lag = cluster.behind(app.applicationId(), input);
        long drainEnd = System.nanoTime() + drain.toNanos();
        while (System.nanoTime() < drainEnd && cluster.behind(app.applicationId(), input) > 0) {
            TimeUnit.MILLISECONDS.sleep(200);
        }
        TimeUnit.SECONDS.sleep(1); // the last transaction's incidents: committed with the offsets, read within a poll
        stop.set(true);
        reader.join(TimeUnit.SECONDS.toMillis(30));
        synchronized (timed) {
            var perRule = new TreeMap<String, List<Long>>();
            timed.forEach(t -> perRule.computeIfAbsent(t.rule(), r -> new ArrayList<>()).add(t.latencyMs()));
            perRule.replaceAll((rule, l) -> List.copyOf(l));
            return new Result(rate, sent, sendSeconds, each(Timed::latencyMs), unmatched.get(), lag, perRule,
                    each(Timed::ackedMs), each(Timed::appendedMs), List.copyOf(behindSamples),
                    timed.stream().sorted(Comparator.comparingLong(Timed::latencyMs).reversed()).limit(SLOWEST).toList(),
                    new Warmup(warmupTook, caughtUp, List.copyOf(warmupLatencies), List.copyOf(warmupBehind)));
        }
    }

    /** One figure of every timed incident, in the order they were read (the caller holds the lock on {@link #timed}). */
    private List<Long> each(ToLongFunction<Timed> figure) {
        return timed.stream().map(figure::applyAsLong).toList();
    }

    private void readIncidents() {
        var serde = AvroSerde.<Incident>forValues(cluster.registry().registry(), Incident.getClassSchema());
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50), new StringDeserializer(), serde.deserializer())) {
            int partitions = consumer.partitionsFor(incidents).size();
            var assigned = IntStream.range(0, partitions).mapToObj(p -> new TopicPartition(incidents, p)).toList();
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            assigned.forEach(consumer::position);
            readerReady.countDown();
            while (!stop.get()) {
                for (var record : consumer.poll(Duration.ofMillis(100))) {
                    long seen = now();
                    var incident = record.value();
                    if (incident == null || incident.getRevision() != 1) {
                        continue;
                    }
                    var lastSeen = incident.getLastSeen().toEpochMilli();
                    var matchKey = incident.getUserId() != null ? PreparedEvents.userMatchKey(incident.getTenantId(), incident.getUserId(), lastSeen)
                            : PreparedEvents.ipMatchKey(incident.getTenantId(), incident.getSourceIp(), lastSeen);
                    var key = SendTimes.hash(matchKey);
                    var sent = times.sentAt(key);
                    if (sent == SendTimes.NONE) {
                        unmatched.incrementAndGet();
                    } else {
                        synchronized (timed) {
                            if (sent < timedFrom) {
                                warmupLatencies.add(seen - sent);
                                continue;
                            }
                            var acked = times.ackedAt(key);
                            timed.add(new Timed(incident.getRuleId(), seen - sent, (acked == SendTimes.NONE ? seen : acked) - sent,
                                    record.timestamp() - sent, (sent - timedFrom) / 1_000.0));
                        }
                    }
                }
            }
        }
    }

    /** Every 200 ms while the feed runs: how many events the app has yet to finish (consumer lag, repartitions included). */
    private void sampleBehind(String applicationId) {
        while (feeding.get()) {
            long behind = cluster.behind(applicationId, input);
            (now() < timedFrom ? warmupBehind : behindSamples).add(behind);
            caughtUpSamples = behind <= caughtUpBehind ? caughtUpSamples + 1 : 0;
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
    }

    /** The longest a run may feed: what its events should last. */
    public static int feedSeconds(int warmupSeconds, int seconds) {
        return warmupSeconds + MAX_CATCH_UP_SECONDS + seconds;
    }

    /** Wall-clock milliseconds from one monotonic base, the same for sender and reader. */
    private long now() {
        return baseMillis + (System.nanoTime() - baseNanos) / 1_000_000;
    }
}
