package io.breachwatch.detect;

import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;

/**
 * Where the topology keeps its state: RocksDB (the default: bounded memory, survives restarts without a full
 * changelog restore) or memory ({@code state.in-memory=true}: for {@code replay} and tests, where RocksDB's
 * per-commit flushes would dominate). Every store the topology creates goes through here.
 */
public record StateStores(boolean inMemory) {

    public KeyValueBytesStoreSupplier keyValue(String name) {
        return inMemory ? Stores.inMemoryKeyValueStore(name) : Stores.persistentKeyValueStore(name);
    }

    /** The store type for DSL-materialized stores (windowed aggregations). */
    public Materialized.StoreType dslStoreType() {
        return inMemory ? Materialized.StoreType.IN_MEMORY : Materialized.StoreType.ROCKS_DB;
    }
}
