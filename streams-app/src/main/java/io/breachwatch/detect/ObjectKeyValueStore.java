package io.breachwatch.detect;

import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeSet;

/**
 * Offline only (in memory, no changelog, no cache): a key-value store of String keys that keeps the value
 * objects themselves, not their bytes, so a read costs neither a key encoding nor a value decoding. An iterator
 * walks the keys as they were when it was made, reads the value of each when reached and skips keys deleted
 * meanwhile, as Kafka Streams' in-memory store does. {@code range} and {@code prefixScan} give keys in the byte
 * order of their UTF-8 encoding (RocksDB's and the in-memory store's order); {@code all} in no order, which its
 * contract allows: the keys are sorted only when a range is asked for, not on each new key (keeping them sorted
 * cost a tenth of replay with 100,000 users, for purges that do not care).
 *
 * <p>A value read is the stored object: only for processors that write back every value they change (and hand
 * nothing mutable of it to others). For small values: many entities' large object graphs (the rule windows)
 * cost more in garbage collection than their encoding saves (measured with 95k users).
 */
final class ObjectKeyValueStore<V> implements ObjectStore<V> {
    /** UTF-8 byte order is code point order; String.compareTo is UTF-16 order, which differs above U+D7FF. */
    static final Comparator<String> UTF8_ORDER = ObjectKeyValueStore::compareCodePoints;

    private final String name;
    private final HashMap<String, V> map = new HashMap<>();
    private volatile boolean open;

    private ObjectKeyValueStore(String name) {
        this.name = name;
    }

    /** A builder of the store; caching and logging stay off whatever is asked (offline: nothing to restore). */
    static <V> StoreBuilder<KeyValueStore<String, V>> builder(String name) {
        return new StoreBuilder<>() {
            @Override
            public StoreBuilder<KeyValueStore<String, V>> withCachingEnabled() {
                return this;
            }

            @Override
            public StoreBuilder<KeyValueStore<String, V>> withCachingDisabled() {
                return this;
            }

            @Override
            public StoreBuilder<KeyValueStore<String, V>> withLoggingEnabled(Map<String, String> config) {
                throw new UnsupportedOperationException("store " + name + " keeps objects offline: it has no changelog");
            }

            @Override
            public StoreBuilder<KeyValueStore<String, V>> withLoggingDisabled() {
                return this;
            }

            @Override
            public KeyValueStore<String, V> build() {
                return new ObjectKeyValueStore<>(name);
            }

            @Override
            public Map<String, String> logConfig() {
                return Map.of();
            }

            @Override
            public boolean loggingEnabled() {
                return false;
            }

            @Override
            public String name() {
                return name;
            }
        };
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        context.register(root, (key, value) -> {
            throw new IllegalStateException("store " + name + " has no changelog to restore from");
        });
        open = true;
    }

    @Override
    public void close() {
        map.clear();
        open = false;
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public V get(String key) {
        return map.get(key);
    }

    @Override
    public void put(String key, V value) {
        if (value == null) {
            delete(key);
        } else {
            map.put(key, value);
        }
    }

    @Override
    public V delete(String key) {
        return map.remove(key);
    }

    @Override
    public KeyValueIterator<String, V> range(String from, String to) {
        if (from != null && to != null && UTF8_ORDER.compare(from, to) > 0) {
            return iterator(List.of());
        }
        var keys = sortedKeys();
        return iterator(from == null ? (to == null ? keys : keys.headSet(to, true))
                : to == null ? keys.tailSet(from, true) : keys.subSet(from, true, to, true));
    }

    @Override
    public KeyValueIterator<String, V> all() {
        return iterator(map.keySet());
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<String, V> prefixScan(P prefix, PS prefixKeySerializer) {
        if (!(prefix instanceof String text && prefixKeySerializer instanceof StringSerializer)) {
            throw new UnsupportedOperationException("store " + name + " scans String prefixes only");
        }
        var matching = new ArrayList<String>();
        for (var key : sortedKeys().tailSet(text, true)) {
            if (!key.startsWith(text)) {
                break;
            }
            matching.add(key);
        }
        return iterator(matching);
    }

    @Override
    public long approximateNumEntries() {
        return map.size();
    }

    private TreeSet<String> sortedKeys() {
        var sorted = new TreeSet<>(UTF8_ORDER);
        sorted.addAll(map.keySet());
        return sorted;
    }

    /** Over a snapshot of the keys, reading each value when reached (as the in-memory store does). */
    private KeyValueIterator<String, V> iterator(Collection<String> keys) {
        var snapshot = new ArrayList<>(keys).iterator();
        return new KeyValueIterator<>() {
            private KeyValue<String, V> next;

            @Override
            public boolean hasNext() {
                while (next == null && snapshot.hasNext()) {
                    var key = snapshot.next();
                    var value = map.get(key);
                    if (value != null) {
                        next = KeyValue.pair(key, value);
                    }
                }
                return next != null;
            }

            @Override
            public KeyValue<String, V> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                var out = next;
                next = null;
                return out;
            }

            @Override
            public String peekNextKey() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return next.key;
            }

            @Override
            public void close() {
            }
        };
    }

    private static int compareCodePoints(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                return x >= Character.MIN_SURROGATE && y >= Character.MIN_SURROGATE ? codePointRank(x) - codePointRank(y) : x - y;
            }
        }
        return a.length() - b.length();
    }

    /** For chars from U+D800: surrogates (code points above U+FFFF) rank above U+E000..U+FFFF. */
    private static int codePointRank(char c) {
        return c >= 0xE000 ? c - 0x800 : c + 0x2000;
    }
}
