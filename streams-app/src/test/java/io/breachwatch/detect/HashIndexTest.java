package io.breachwatch.detect;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The shared tables' hash index must give what a map of boxed longs gave, through growth and colliding keys. */
class HashIndexTest {

    @Test
    void givesEachHashTheIndexItFirstGotThroughGrowth() {
        var index = new CompactCodec.HashIndex(1);
        var expected = new HashMap<Long, Integer>();
        var random = new Random(7);
        int next = 0;
        for (int i = 0; i < 50_000; i++) {
            // random hashes, keys that differ only in high bits (same low bits), 0 and negatives, and repeats
            long hash = switch (i % 4) {
                case 0 -> random.nextLong();
                case 1 -> (long) (i / 4) << 40;
                case 2 -> -(i / 4);
                default -> i / 8;
            };
            int got = index.indexOf(hash, next);
            var known = expected.putIfAbsent(hash, next);
            assertThat(got).as("hash %d", hash).isEqualTo(known == null ? next : known);
            if (known == null) {
                next++;
            }
        }
        assertThat(next).isEqualTo(expected.size());
    }
}
