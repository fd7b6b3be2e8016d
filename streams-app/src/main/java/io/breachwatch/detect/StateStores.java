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
     * A store of value objects for a processor that writes back every value it changes and hands out nothing mutable
     * of it: offline (in memory, no changelog) the objects themselves ({@link ObjectKeyValueStore}: no key or value
     * serde per access); otherwise {@code live} (without a record cache) under a {@link BufferedKeyValueStore}, which
     * holds the values written since the last commit as objects and encodes and writes each once per commit.
     */
    public <V> StoreBuilder<KeyValueStore<String, V>> ofObjects(StoreBuilder<KeyValueStore<String, V>> live) {
        return offline() ? ObjectKeyValueStore.builder(live.name())
                : BufferedKeyValueStore.builder(live, BufferedKeyValueStore.DEFAULT_MAX_HELD);
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
