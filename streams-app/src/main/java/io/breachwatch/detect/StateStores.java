package io.breachwatch.detect;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Where the topology keeps its state, for every store it creates: RocksDB (the default: bounded memory,
 * survives restarts without a full changelog restore) or memory ({@code state.in-memory=true}), and with or
 * without changelog topics ({@code state.changelog=false} only offline, in {@code replay}, where there is nothing
 * to restore and the test driver would keep every changelog record in memory).
 */
public record StateStores(boolean inMemory, boolean changelog) {

    public <K, V> StoreBuilder<KeyValueStore<K, V>> keyValue(String name, Serde<K> keySerde, Serde<V> valueSerde) {
        var supplier = inMemory ? Stores.inMemoryKeyValueStore(name) : Stores.persistentKeyValueStore(name);
        return logged(Stores.keyValueStoreBuilder(supplier, keySerde, valueSerde));
    }

    /**
     * A key-value store with a record cache where it pays: with a changelog or on RocksDB, repeated writes of one
     * key between commits reach neither. Only for stores whose processor forwards on its own (the cache never
     * decides what is forwarded); not offline (in memory, no changelog), where the cache would only add copies.
     */
    public <K, V> StoreBuilder<KeyValueStore<K, V>> keyValueWithCache(String name, Serde<K> keySerde, Serde<V> valueSerde) {
        var builder = keyValue(name, keySerde, valueSerde);
        return offline() ? builder : builder.withCachingEnabled();
    }

    /**
     * Offline (in memory, no changelog), a store of the value objects themselves instead of {@code live}
     * ({@link ObjectKeyValueStore}: no key or value serde per access, the same iteration order); otherwise
     * {@code live}. Only for a store whose processor writes back every value it changes and hands out nothing
     * mutable of it, and for small values (see {@link ObjectKeyValueStore}).
     */
    public <V> StoreBuilder<KeyValueStore<String, V>> objectsOffline(StoreBuilder<KeyValueStore<String, V>> live) {
        return offline() ? ObjectKeyValueStore.builder(live.name()) : live;
    }

    /** In memory without a changelog ({@code replay}): every start begins with empty stores, nothing is restored. */
    public boolean offline() {
        return inMemory && !changelog;
    }

    /** Applies the changelog choice to a store builder made elsewhere (e.g. a windowed or timestamped store). */
    public <S extends StateStore> StoreBuilder<S> logged(StoreBuilder<S> builder) {
        return changelog ? builder : builder.withLoggingDisabled();
    }
}
