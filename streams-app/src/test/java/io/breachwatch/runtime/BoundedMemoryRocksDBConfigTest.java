package io.breachwatch.runtime;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.slf4j.LoggerFactory;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BoundedMemoryRocksDBConfigTest {

    @Test
    void everyStoreSharesOneCacheSizedFromTheConfigs() {
        RocksDB.loadLibrary();
        var configs = Map.<String, Object>of(BoundedMemoryRocksDBConfig.TOTAL_BYTES_CONFIG, Long.toString(32L << 20),
                BoundedMemoryRocksDBConfig.WRITE_BUFFER_BYTES_CONFIG, Long.toString(4L << 20));
        var setter = new BoundedMemoryRocksDBConfig();
        try (var first = optionsWithTable(); var second = optionsWithTable()) {
            setter.setConfig("store-a", first, configs);
            setter.setConfig("store-b", second, Map.of(BoundedMemoryRocksDBConfig.TOTAL_BYTES_CONFIG, "1"));
            var shared = BoundedMemoryRocksDBConfig.shared(Map.of());
            assertThat(shared.totalBytes()).isEqualTo(32L << 20); // the first store fixed the budget
            assertThat(shared.writeBufferBytes()).isEqualTo(4L << 20);
            assertThat(first.writeBufferSize()).isEqualTo(4L << 20);
            assertThat(first.maxWriteBufferNumber()).isEqualTo(3);
            assertThat(first.arenaBlockSize()).isEqualTo(BoundedMemoryRocksDBConfig.ARENA_BLOCK_SIZE);
            assertThat(((BlockBasedTableConfig) first.tableFormatConfig()).cacheIndexAndFilterBlocks()).isTrue();
            setter.close("store-a", first);
            assertThat(BoundedMemoryRocksDBConfig.shared(Map.of())).isSameAs(shared); // closing a store keeps the cache
        }
    }

    @Test
    void storesCrowdTheWriteBuffersWhenTheirFirstMemtableBlocksTakeHalf() {
        // the defaults: 17 stores in each of 4 tasks share 64 MiB
        assertThat(BoundedMemoryRocksDBConfig.crowded(68, 64L << 20)).isFalse();
        // 128 stores' first blocks are 32 MiB, half of 64 MiB
        assertThat(BoundedMemoryRocksDBConfig.crowded(127, 64L << 20)).isFalse();
        assertThat(BoundedMemoryRocksDBConfig.crowded(128, 64L << 20)).isTrue();
        assertThat(BoundedMemoryRocksDBConfig.crowded(128, 128L << 20)).isFalse();
    }

    @Test
    void theStoreThatCrowdsTheWriteBuffersIsWarnedAboutOnce() {
        var captured = new ListAppender<ILoggingEvent>();
        captured.start();
        var logger = (Logger) LoggerFactory.getLogger(BoundedMemoryRocksDBConfig.class);
        logger.addAppender(captured);
        // other tests may hold stores open: a budget that the second store from here crowds
        int open = BoundedMemoryRocksDBConfig.openStores();
        long writeBuffers = 2L * (open + 2) * BoundedMemoryRocksDBConfig.ARENA_BLOCK_SIZE;
        try {
            BoundedMemoryRocksDBConfig.storeOpened(writeBuffers);
            assertThat(captured.list).isEmpty();
            BoundedMemoryRocksDBConfig.storeOpened(writeBuffers);
            BoundedMemoryRocksDBConfig.storeOpened(writeBuffers);
            assertThat(captured.list).singleElement().satisfies(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.WARN);
                assertThat(event.getFormattedMessage()).startsWith((open + 2) + " RocksDB stores are open")
                        .contains("rocksdb.write-buffer-size");
            });
        } finally {
            logger.detachAppender(captured);
            for (int i = 0; i < 3; i++) {
                BoundedMemoryRocksDBConfig.storeClosed();
            }
        }
        assertThat(BoundedMemoryRocksDBConfig.openStores()).isEqualTo(open);
    }

    private static Options optionsWithTable() {
        var options = new Options();
        options.setTableFormatConfig(new BlockBasedTableConfig());
        return options;
    }
}
