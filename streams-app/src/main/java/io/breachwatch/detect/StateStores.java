package io.breachwatch.detect;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.kstream.Materialized;
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

    /** Applies the changelog choice to a store builder made elsewhere (e.g. a windowed or timestamped store). */
    public <S extends StateStore> StoreBuilder<S> logged(StoreBuilder<S> builder) {
        return changelog ? builder : builder.withLoggingDisabled();
    }

    /** Applies the store type and changelog choice to a DSL-materialized store (windowed aggregations). */
    public <K, V, S extends StateStore> Materialized<K, V, S> apply(Materialized<K, V, S> materialized) {
        var typed = materialized.withStoreType(inMemory ? Materialized.StoreType.IN_MEMORY : Materialized.StoreType.ROCKS_DB);
        return changelog ? typed : typed.withLoggingDisabled();
    }
}
