package io.breachwatch.detect;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Live (everywhere but replay's offline stores): a key-value store of String keys that holds the values written since the last commit as
 * the objects the processor wrote, and writes them to the store beneath (value serde, RocksDB and the changelog) when
 * Kafka Streams commits, instead of at every put. A key written again before the commit (a user in the middle of a
 * burst) costs neither an encoding, nor a RocksDB read or write, nor a changelog record; a read of it costs no
 * decoding. It takes the place of Kafka Streams' record cache, which keeps encoded bytes in a tree ordered by key
 * and cost 14 % of the stream thread's time with 100,000 users (a lookup per get and put, a second per key at the
 * flush, a metric per hit), where this costs a hash lookup.
 *
 * <p>The commit: Kafka Streams flushes the caches of its stores before it flushes the producer and commits the
 * offsets (and, exactly-once, the transaction): {@link #flushCache()} writes what is held there, so every value
 * reaches the changelog in the transaction of the events that made it. An aborted transaction drops what is held
 * ({@link #clearCache()}), as Kafka Streams' own cache does; so does {@link #init} (a revived task starts over from
 * the changelog). {@code CachedStateStore} is Kafka Streams' internal interface for exactly this, implemented by
 * its caching stores; the fault tests against a real broker ({@code AppCrashIT}, {@code RestartIT},
 * {@code InstanceFailoverIT}) check that no incident is lost or changed through a crash, a restart and a failover.
 *
 * <p>At most {@code maxHeld} keys are held: the next put writes them all beneath first (an at-least-once commit
 * interval is 30 s). Scans ({@code range}, {@code all}, {@code prefixScan}) and counts write what is held first and
 * then read the store beneath. Reads from a thread other than the one writing (interactive queries of the HTTP
 * API) go to the store beneath and see the values as of the last commit: the values held may be changed in place by
 * the processor between its read and its put.
 *
 * <p>As {@link ObjectKeyValueStore}: a value read is the held object, so only for processors that write back every
 * value they change and hand nothing mutable of it to others.
 */
final class BufferedKeyValueStore<V> implements ObjectStore<V>, CachedStateStore<String, V> {
    /** Per store and task: the 9 such stores of each of 4 tasks hold at most 36,864 values between commits. */
    static final int DEFAULT_MAX_HELD = 1024;

    private final KeyValueStore<String, V> beneath;
    private final int maxHeld;
    /** Insertion order: the changelog gets the keys in the order they were first written since the last commit. */
    private final LinkedHashMap<String, V> held = new LinkedHashMap<>();
    /** The thread that writes this store (the stream thread of its task); any other only reads what was committed. */
    private volatile Thread writer;

    BufferedKeyValueStore(KeyValueStore<String, V> beneath, int maxHeld) {
        if (maxHeld < 1) {
            throw new IllegalArgumentException("maxHeld must be at least 1, got " + maxHeld);
        }
        this.beneath = beneath;
        this.maxHeld = maxHeld;
    }

    /** {@code live} with this store on top; {@code live} should have no record cache (this replaces it). */
    static <V> StoreBuilder<KeyValueStore<String, V>> builder(StoreBuilder<KeyValueStore<String, V>> live, int maxHeld) {
        return new StoreBuilder<>() {
            @Override
            public StoreBuilder<KeyValueStore<String, V>> withCachingEnabled() {
                live.withCachingEnabled();
                return this;
            }

            @Override
            public StoreBuilder<KeyValueStore<String, V>> withCachingDisabled() {
                live.withCachingDisabled();
                return this;
            }

            @Override
            public StoreBuilder<KeyValueStore<String, V>> withLoggingEnabled(Map<String, String> config) {
                live.withLoggingEnabled(config);
                return this;
            }

            @Override
            public StoreBuilder<KeyValueStore<String, V>> withLoggingDisabled() {
                live.withLoggingDisabled();
                return this;
            }

            @Override
            public KeyValueStore<String, V> build() {
                return new BufferedKeyValueStore<>(live.build(), maxHeld);
            }

            @Override
            public Map<String, String> logConfig() {
                return live.logConfig();
            }

            @Override
            public boolean loggingEnabled() {
                return live.loggingEnabled();
            }

            @Override
            public String name() {
                return live.name();
            }
        };
    }

    @Override
    public String name() {
        return beneath.name();
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        held.clear();
        writer = null;
        beneath.init(context, root);
    }

    @Override
    public V get(String key) {
        if (Thread.currentThread() == writer) {
            var value = held.get(key);
            if (value != null) {
                return value;
            }
        }
        return beneath.get(key);
    }

    @Override
    public void put(String key, V value) {
        if (value == null) {
            delete(key);
            return;
        }
        writer = Thread.currentThread();
        if (held.size() >= maxHeld && !held.containsKey(key)) {
            writeHeld();
        }
        held.put(key, value);
    }

    @Override
    public V delete(String key) {
        writer = Thread.currentThread();
        var value = held.remove(key);
        var old = beneath.delete(key);
        return value != null ? value : old;
    }

    @Override
    public KeyValueIterator<String, V> range(String from, String to) {
        writeHeldIfWriter();
        return beneath.range(from, to);
    }

    @Override
    public KeyValueIterator<String, V> reverseRange(String from, String to) {
        writeHeldIfWriter();
        return beneath.reverseRange(from, to);
    }

    @Override
    public KeyValueIterator<String, V> all() {
        writeHeldIfWriter();
        return beneath.all();
    }

    @Override
    public KeyValueIterator<String, V> reverseAll() {
        writeHeldIfWriter();
        return beneath.reverseAll();
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<String, V> prefixScan(P prefix, PS prefixKeySerializer) {
        writeHeldIfWriter();
        return beneath.prefixScan(prefix, prefixKeySerializer);
    }

    @Override
    public long approximateNumEntries() {
        writeHeldIfWriter();
        return beneath.approximateNumEntries();
    }

    /** Before Kafka Streams flushes the producer and commits: everything held goes beneath, into the changelog. */
    @Override
    public void flushCache() {
        writeHeld();
        if (beneath instanceof CachedStateStore<?, ?> cached) {
            cached.flushCache();
        }
    }

    /** The transaction was aborted (or the task is recycled): what is held was never committed. */
    @Override
    public void clearCache() {
        held.clear();
        if (beneath instanceof CachedStateStore<?, ?> cached) {
            cached.clearCache();
        }
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<String, V> listener, boolean sendOldValues) {
        return false; // nothing is forwarded from here: the processors forward their findings themselves
    }

    @Override
    @SuppressWarnings("deprecation")
    public void flush() {
        writeHeld(); // held is empty here after a commit's flushCache; whatever is not must not be lost
        beneath.flush();
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        writeHeld();
        beneath.commit(changelogOffsets);
    }

    @Override
    public Long committedOffset(TopicPartition partition) {
        return beneath.committedOffset(partition);
    }

    @Override
    public boolean managesOffsets() {
        return beneath.managesOffsets();
    }

    @Override
    public long approximateNumUncommittedBytes() {
        return beneath.approximateNumUncommittedBytes();
    }

    @Override
    public void close() {
        held.clear();
        beneath.close();
    }

    @Override
    public boolean persistent() {
        return beneath.persistent();
    }

    @Override
    public boolean isOpen() {
        return beneath.isOpen();
    }

    @Override
    public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
        return beneath.query(query, positionBound, config);
    }

    @Override
    public Position getPosition() {
        return beneath.getPosition();
    }

    int heldCount() {
        return held.size();
    }

    private void writeHeldIfWriter() {
        if (Thread.currentThread() == writer) {
            writeHeld();
        }
    }

    private void writeHeld() {
        if (held.isEmpty()) {
            return;
        }
        // one write batch (one call into RocksDB) for them all; the changelog gets a record per key as with put
        var entries = new ArrayList<KeyValue<String, V>>(held.size());
        held.forEach((key, value) -> entries.add(KeyValue.pair(key, value)));
        beneath.putAll(entries);
        held.clear();
    }
}
