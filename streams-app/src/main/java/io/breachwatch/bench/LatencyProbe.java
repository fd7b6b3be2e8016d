package io.breachwatch.bench;

import io.breachwatch.embedded.AvroClients;
import io.breachwatch.schema.AccessEvent;
import io.breachwatch.schema.Incident;
import io.breachwatch.serde.AvroSerde;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

/**
 * Event-to-incident latency at a fixed input rate. One thread produces the events at {@code rate} per second
 * (scheduled against the clock, so a slow send is caught up rather than lowering the rate) and records, for each
 * event, the wall-clock time of its send under the keys {@code tenant/user@timestamp} and {@code tenant/ip@timestamp}.
 * Another thread reads the incidents topic read_committed (so an incident counts once its transaction commits:
 * what a downstream consumer sees) and, for each revision 1, looks up the incident's actor and {@code last_seen}:
 * the event that made the case cross its threshold is the latest event of that actor with that event time.
 * Latency = when the incident was read minus when that event was sent. Both times come from one clock in this JVM.
 * Incidents whose event is not found (e.g. emitted by a punctuation for an earlier event) are counted, not timed.
 */
public final class LatencyProbe {
    /** What one latency run saw. */
    public record Result(int rate, long eventsSent, double sendSeconds, List<Long> latenciesMs, long unmatched, long lagAtEndOfFeed,
                         Map<String, List<Long>> latenciesByRuleMs) {
    }

    private final BenchCluster cluster;
    private final String input;
    private final String incidents;
    private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
    private final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, List<Long>> byRule = new TreeMap<>();
    private final AtomicLong unmatched = new AtomicLong();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final CountDownLatch readerReady = new CountDownLatch(1);
    private final long baseMillis = System.currentTimeMillis();
    private final long baseNanos = System.nanoTime();

    public LatencyProbe(BenchCluster cluster, String input, String incidents) {
        this.cluster = cluster;
        this.input = input;
        this.incidents = incidents;
    }

    /** Feeds {@code events} at {@code rate}/s for {@code seconds}, then waits up to {@code drain} for the app to catch up. */
    public Result run(AppUnderTest app, Iterator<AccessEvent> events, int rate, int seconds, Duration drain) throws InterruptedException {
        var reader = new Thread(this::readIncidents, "bench-latency-reader");
        reader.start();
        if (!readerReady.await(60, TimeUnit.SECONDS)) {
            stop.set(true);
            throw new IllegalStateException("the incident reader did not start within 60 s");
        }
        long sent = 0;
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        try (var producer = AvroClients.eventProducer(cluster.bootstrapServers(), cluster.registry().registry())) {
            while (events.hasNext() && System.nanoTime() < end) {
                long due = start + sent * 1_000_000_000L / rate;
                for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
                var event = events.next();
                long now = now();
                var tenant = event.getTenantId() + "/";
                var ts = "@" + event.getTimestamp().toEpochMilli();
                sentAt.put(tenant + event.getUserId() + ts, now);
                if (event.getSourceIp() != null) {
                    sentAt.put(tenant + "ip:" + event.getSourceIp() + ts, now);
                }
                producer.send(AvroClients.record(input, event));
                sent++;
            }
            producer.flush();
        }
        double sendSeconds = (System.nanoTime() - start) / 1e9;
        long lag = cluster.endOffsets(input) - cluster.committed(app.applicationId(), input);
        long drainEnd = System.nanoTime() + drain.toNanos();
        while (System.nanoTime() < drainEnd && cluster.committed(app.applicationId(), input) < cluster.endOffsets(input)) {
            TimeUnit.MILLISECONDS.sleep(200);
        }
        TimeUnit.SECONDS.sleep(1); // the last transaction's incidents: committed with the offsets, read within a poll
        stop.set(true);
        reader.join(TimeUnit.SECONDS.toMillis(30));
        synchronized (latencies) {
            var perRule = new TreeMap<String, List<Long>>();
            byRule.forEach((rule, l) -> perRule.put(rule, List.copyOf(l)));
            return new Result(rate, sent, sendSeconds, List.copyOf(latencies), unmatched.get(), lag, perRule);
        }
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
                    var key = incident.getTenantId() + "/" + (incident.getUserId() != null ? incident.getUserId() : "ip:" + incident.getSourceIp())
                            + "@" + incident.getLastSeen().toEpochMilli();
                    var sent = sentAt.get(key);
                    if (sent == null) {
                        unmatched.incrementAndGet();
                    } else {
                        synchronized (latencies) {
                            latencies.add(seen - sent);
                            byRule.computeIfAbsent(incident.getRuleId(), r -> new ArrayList<>()).add(seen - sent);
                        }
                    }
                }
            }
        }
    }

    /** Wall-clock milliseconds from one monotonic base, the same for sender and reader. */
    private long now() {
        return baseMillis + (System.nanoTime() - baseNanos) / 1_000_000;
    }
}
