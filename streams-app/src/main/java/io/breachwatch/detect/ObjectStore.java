package io.breachwatch.detect;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.List;

/**
 * A key-value store of value objects ({@link ObjectKeyValueStore} offline, {@link BufferedKeyValueStore} live):
 * the compound writes in terms of {@code get}, {@code put} and {@code delete}.
 */
interface ObjectStore<V> extends KeyValueStore<String, V> {

    @Override
    default V putIfAbsent(String key, V value) {
        var old = get(key);
        if (old == null) {
            put(key, value);
        }
        return old;
    }

    @Override
    default void putAll(List<KeyValue<String, V>> entries) {
        entries.forEach(kv -> put(kv.key, kv.value));
    }
}
