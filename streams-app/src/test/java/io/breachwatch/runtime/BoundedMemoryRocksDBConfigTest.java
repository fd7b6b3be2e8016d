package io.breachwatch.runtime;

import org.junit.jupiter.api.Test;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

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
            assertThat(((BlockBasedTableConfig) first.tableFormatConfig()).cacheIndexAndFilterBlocks()).isTrue();
            setter.close("store-a", first);
            assertThat(BoundedMemoryRocksDBConfig.shared(Map.of())).isSameAs(shared); // closing a store keeps the cache
        }
    }

    private static Options optionsWithTable() {
        var options = new Options();
        options.setTableFormatConfig(new BlockBasedTableConfig());
        return options;
    }
}
