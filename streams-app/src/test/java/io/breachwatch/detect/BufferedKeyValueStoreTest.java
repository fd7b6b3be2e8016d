package io.breachwatch.detect;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the store beneath sees (RocksDB and the changelog, live): each key's last value once per commit, nothing of
 * an aborted transaction, and a scan sees every value written. Real commits, aborts and restores against a broker:
 * {@code AppCrashIT}, {@code RestartIT}, {@code InstanceFailoverIT}.
 */
class BufferedKeyValueStoreTest {
    /** The store beneath, recording every write that reaches it. */
    private final KeyValueStore<String, Long> objects = ObjectKeyValueStore.<Long>builder("s").build();
    private final List<String> writes = new ArrayList<>();
    @SuppressWarnings("unchecked")
    private final KeyValueStore<String, Long> beneath = (KeyValueStore<String, Long>) Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[]{KeyValueStore.class}, (proxy, method, args) -> {
                switch (method.getName()) {
                    case "put" -> writes.add("put " + args[0] + "=" + args[1]);
                    case "putAll" -> writes.add("putAll " + args[0]);
                    case "delete" -> writes.add("delete " + args[0]);
                    default -> { }
                }
                return method.invoke(objects, args);
            });

    private BufferedKeyValueStore<Long> store(int maxHeld) {
        return new BufferedKeyValueStore<>(beneath, maxHeld);
    }

    @Test
    void aKeyWrittenManyTimesReachesTheStoreBeneathOnceAtTheCommitWithItsLastValue() {
        var store = store(100);
        store.put("a", 1L);
        store.put("b", 5L);
        store.put("a", 2L);

        assertThat(store.get("a")).isEqualTo(2L);
        assertThat(writes).isEmpty();
        assertThat(beneath.get("a")).isNull();

        store.flushCache();
        assertThat(writes).containsExactly("putAll [KeyValue(a, 2), KeyValue(b, 5)]");
        assertThat(store.heldCount()).isZero();
        assertThat(store.get("a")).isEqualTo(2L);
    }

    @Test
    void anAbortedTransactionLeavesTheCommittedValues() {
        var store = store(100);
        store.put("a", 1L);
        store.flushCache();
        store.put("a", 2L);
        store.put("c", 3L);

        store.clearCache();
        assertThat(store.get("a")).isEqualTo(1L);
        assertThat(store.get("c")).isNull();
        store.flushCache();
        assertThat(writes).containsExactly("putAll [KeyValue(a, 1)]");
    }

    @Test
    void atMostMaxHeldKeysAreHeldAndTheRestGoesBeneathFirst() {
        var store = store(2);
        store.put("a", 1L);
        store.put("b", 2L);
        store.put("a", 3L); // held already: nothing written
        assertThat(writes).isEmpty();

        store.put("c", 4L);
        assertThat(writes).containsExactly("putAll [KeyValue(a, 3), KeyValue(b, 2)]");
        assertThat(store.heldCount()).isEqualTo(1);
        assertThatThrownBy(() -> store(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxHeld");
    }

    @Test
    void scansAndCountsSeeEveryValueWrittenAndDeletesReachBeneathAtOnce() {
        var store = store(100);
        store.put("b", 2L);
        store.put("a", 1L);
        store.flushCache();
        store.put("c", 3L);
        store.put("a", 4L);
        assertThat(store.delete("b")).isEqualTo(2L);
        assertThat(store.delete("c")).isEqualTo(3L);

        var all = new ArrayList<KeyValue<String, Long>>();
        try (var it = store.range("a", "z")) {
            it.forEachRemaining(all::add);
        }
        assertThat(all).containsExactly(KeyValue.pair("a", 4L));
        assertThat(store.approximateNumEntries()).isEqualTo(1);
        assertThat(writes).containsExactly("putAll [KeyValue(b, 2), KeyValue(a, 1)]", "delete b", "delete c", "putAll [KeyValue(a, 4)]");
    }

    @Test
    void anotherThreadReadsTheValuesAsOfTheLastCommit() throws Exception {
        var store = store(100);
        store.put("a", 1L);
        store.flushCache();
        store.put("a", 2L);
        store.put("new", 9L);

        assertThat(CompletableFuture.supplyAsync(() -> List.of(String.valueOf(store.get("a")), String.valueOf(store.get("new")))).get())
                .containsExactly("1", "null");
        assertThat(store.get("a")).isEqualTo(2L);
    }
}
