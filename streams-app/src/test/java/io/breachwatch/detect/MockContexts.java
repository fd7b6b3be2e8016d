package io.breachwatch.detect;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/** Stores for a processor under a {@link MockProcessorContext}. */
public final class MockContexts {
    private MockContexts() {
    }

    /** Adds an in-memory key-value store without changelog, as the topology's store of {@code name} is to the processor. */
    public static <V> KeyValueStore<String, V> addStore(MockProcessorContext<?, ?> context, String name, Serde<V> values) {
        var store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), values).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        return store;
    }
}
