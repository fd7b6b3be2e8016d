package io.breachwatch.detect;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The offline object store must read, write and scan ranges exactly as Kafka Streams' byte stores do. */
class ObjectKeyValueStoreTest {

    private static KeyValueStore<String, Long> store() {
        return ObjectKeyValueStore.<Long>builder("s").build();
    }

    private static List<KeyValue<String, Long>> all(KeyValueStore<String, Long> store) {
        return read(store.all());
    }

    private static List<KeyValue<String, Long>> read(KeyValueIterator<String, Long> iterator) {
        var out = new ArrayList<KeyValue<String, Long>>();
        try (iterator) {
            iterator.forEachRemaining(out::add);
        }
        return out;
    }

    @Test
    void rangesFollowTheByteOrderOfTheUtf8KeysAndAllHoldsEachKeyOnce() {
        // U+FF21 sorts before U+1F600 in UTF-8 (and code points) but after its surrogates in UTF-16 (String.compareTo)
        var keys = List.of("t/b", "t/a", "t/\uFF21", "t/\uD83D\uDE00", "t/\u00E9", "t", "t/ab", "t/\uD7FF");
        var store = store();
        keys.forEach(k -> store.put(k, (long) k.length()));

        var expected = keys.stream().sorted(Comparator.comparing(k -> Bytes.wrap(k.getBytes(StandardCharsets.UTF_8)))).toList();
        assertThat(read(store.range(null, null))).extracting(kv -> kv.key).isEqualTo(expected);
        assertThat(all(store)).extracting(kv -> kv.key).containsExactlyInAnyOrderElementsOf(keys);
        assertThat(expected).isNotEqualTo(keys.stream().sorted().toList());
    }

    @Test
    void iteratorSeesValuesAsReachedAndSkipsKeysDeletedMeanwhile() {
        var store = store();
        store.put("a", 1L);
        store.put("b", 2L);
        store.put("c", 3L);
        var seen = new ArrayList<KeyValue<String, Long>>();
        var rest = new ArrayList<>(List.of("a", "b", "c"));
        KeyValue<String, Long> first;
        try (var it = store.all()) {
            first = it.next();
            seen.add(first);
            rest.remove(first.key);
            store.delete(rest.get(0));
            store.put(rest.get(1), 30L);
            store.put("d", 4L); // after the snapshot: not seen
            it.forEachRemaining(seen::add);
        }
        assertThat(seen).containsExactly(first, KeyValue.pair(rest.get(1), 30L));
    }

    @Test
    void deletesAndUpdatesKeepOneEntryPerKey() {
        var store = store();
        for (long i = 0; i < 10; i++) {
            store.put("k" + i, i);
        }
        store.put("k3", 33L);
        store.put("k4", null);
        assertThat(store.delete("k1")).isEqualTo(1L);
        assertThat(store.get("k1")).isNull();
        assertThat(store.putIfAbsent("k2", 22L)).isEqualTo(2L);
        assertThat(store.approximateNumEntries()).isEqualTo(8);
        assertThat(all(store)).extracting(kv -> kv.key + "=" + kv.value)
                .containsExactlyInAnyOrder("k0=0", "k2=2", "k3=33", "k5=5", "k6=6", "k7=7", "k8=8", "k9=9");
    }

    @Test
    void rangeAndPrefixScanFollowTheSameOrder() {
        var store = store();
        for (var k : List.of("g1|a", "g1|b", "g10|a", "g2|a", "g1")) {
            store.put(k, 1L);
        }
        // byte order: '0' < '|', so g10|a sorts between g1 and g1|a
        assertThat(read(store.range(null, null))).extracting(kv -> kv.key).containsExactly("g1", "g10|a", "g1|a", "g1|b", "g2|a");
        assertThat(read(store.prefixScan("g1|", new StringSerializer()))).extracting(kv -> kv.key).containsExactly("g1|a", "g1|b");
        assertThat(read(store.range("g10|a", "g1|b"))).extracting(kv -> kv.key).containsExactly("g10|a", "g1|a", "g1|b");
    }
}
