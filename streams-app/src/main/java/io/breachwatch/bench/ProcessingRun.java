package io.breachwatch.bench;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Watches one application work through a preloaded topic: polls the consumer group's committed offsets (an admin
 * client, every 200 ms) until they reach the topic's end and the application's repartition topics are drained too
 * ({@link BenchCluster#internalLag}: the events that moved between tasks are processed), or the time bound passes.
 *
 * <p>Polling starts when the JVM is launched, but the clock starts at the first committed offset: JVM start, topic
 * checks, group join and task assignment are excluded (reported as startup: launch to first commit), and the rate is
 * (events committed after that first commit) / (time from it to the last). With exactly_once_v2 commits come every
 * 100 ms, so the first commit is within a fraction of a second of the first record.
 */
public final class ProcessingRun {
    private static final long POLL_MS = 200;
    private static final long HEAP_EVERY_MS = 5_000;

    /**
     * @param total     events in the topic
     * @param processed events committed when the run ended
     * @param seconds   from the first commit to the last sample
     * @param finished  all events were committed, and every repartition topic drained, within the bound
     * @param peakHeap  largest heap sample (bytes), -1 when not known
     * @param peakRss   VmHWM of the JVM at the end (bytes), -1 when not known
     * @param stateBytes size of the state directory at the end
     */
    public record Result(long total, long processed, long firstCommitted, double seconds, double startupSeconds, boolean finished,
                         long peakHeap, long peakRss, long stateBytes) {
        public double rate() {
            return seconds > 0 ? (processed - firstCommitted) / seconds : Double.NaN; // all committed at once: too small to time
        }
    }

    private ProcessingRun() {
    }

    /**
     * @param sampleHeap scrape the app's /metrics every 5 s for its heap: a Prometheus scrape costs the app CPU, so
     *                   only where the heap is reported (the state-scale run)
     */
    public static Result measure(BenchCluster cluster, AppUnderTest app, String topic, Duration bound, boolean sampleHeap)
            throws InterruptedException {
        long total = cluster.endOffsets(topic);
        long start = app.launchedNanos();
        long deadline = start + bound.toNanos();
        long firstAt = 0;
        long firstCommitted = -1;
        long committed = 0;
        boolean finished = false;
        long lastAt = start;
        long peakHeap = -1;
        long nextHeap = start;
        while (true) {
            committed = cluster.committed(app.applicationId(), topic);
            lastAt = System.nanoTime();
            if (firstCommitted < 0 && committed > 0) {
                firstCommitted = committed;
                firstAt = lastAt;
            }
            if (sampleHeap && lastAt >= nextHeap) {
                peakHeap = Math.max(peakHeap, app.heapUsedBytes().orElse(-1));
                nextHeap = lastAt + TimeUnit.MILLISECONDS.toNanos(HEAP_EVERY_MS);
            }
            finished = committed >= total && cluster.internalLag(app.applicationId()) == 0;
            if (finished || lastAt > deadline) {
                break;
            }
            if (!app.jvm().isAlive()) { // a crash, or a configuration the app refused
                throw new IllegalStateException(app.applicationId() + " exited during the run; " + app.jvm().tail());
            }
            TimeUnit.MILLISECONDS.sleep(POLL_MS);
        }
        if (sampleHeap) {
            peakHeap = Math.max(peakHeap, app.heapUsedBytes().orElse(-1));
        }
        long rss = app.jvm().peakRssBytes().orElse(-1L);
        double seconds = firstCommitted < 0 ? 0 : (lastAt - firstAt) / 1e9;
        double startup = firstCommitted < 0 ? (lastAt - start) / 1e9 : (firstAt - start) / 1e9;
        return new Result(total, committed, Math.max(0, firstCommitted), seconds, startup, finished,
                peakHeap, rss, app.stateDirBytes());
    }
}
