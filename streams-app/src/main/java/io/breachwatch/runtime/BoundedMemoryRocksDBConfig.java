package io.breachwatch.runtime;

import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.Map;

/**
 * Bounds the off-heap memory of every RocksDB store in this process to one budget: one block cache and one
 * write-buffer manager, static and shared by all stores, index and filter blocks counted in the cache.
 * The pattern of the Kafka Streams memory-management guide ({@code BoundedMemoryRocksDBConfig}).
 *
 * <p>The sizes come from the Streams configs ({@link #TOTAL_BYTES_CONFIG}, {@link #WRITE_BUFFER_BYTES_CONFIG}, set
 * by {@link StreamsProperties}); the first store opened fixes them for the life of the JVM, because the cache is
 * shared by every Kafka Streams instance of the process.
 *
 * <p>Every store's memtable takes a small fixed block of the write buffers as soon as it holds one entry
 * ({@link #ARENA_BLOCK_SIZE}), so that dozens of stores fit in the budget with room for the busy ones to fill theirs;
 * a warning names the number of stores when even those blocks would take half of it.
 */
public class BoundedMemoryRocksDBConfig implements RocksDBConfigSetter {
    private static final Logger log = LoggerFactory.getLogger(BoundedMemoryRocksDBConfig.class);
    public static final String TOTAL_BYTES_CONFIG = "breachwatch.rocksdb.total.bytes";
    public static final String WRITE_BUFFER_BYTES_CONFIG = "breachwatch.rocksdb.write.buffer.bytes";
    static final long DEFAULT_TOTAL_BYTES = 128L << 20;
    static final long DEFAULT_WRITE_BUFFER_BYTES = 64L << 20;

    /** Share of the cache reserved for index and filter blocks (high priority), as in the Kafka guide. */
    private static final double INDEX_FILTER_BLOCK_RATIO = 0.1;
    private static final long BLOCK_SIZE = 16L << 10;
    private static final int MEMTABLES_PER_STORE = 3;
    private static final long MEMTABLE_SIZE = 8L << 20;
    /**
     * What a memtable allocates at a time, so what a store with anything unflushed holds of the write buffers at
     * least. RocksDB's default is an eighth of the memtable, 1 MiB here: 17 stores in each of 4 tasks made 68 MiB of
     * nearly empty memtables against the 64 MiB default budget, which was therefore always full, so every write
     * flushed its store's memtable and the stream thread waited in {@code RocksDB.put} (at 5,000 events/s the app
     * fell 86,621 events behind, p99 latency 21.8 s; with 256 KiB blocks it kept up, p99 554-747 ms in five runs).
     */
    static final long ARENA_BLOCK_SIZE = 256L << 10;

    private static int openStores;

    private static Shared shared;

    record Shared(Cache cache, WriteBufferManager writeBufferManager, long totalBytes, long writeBufferBytes) {
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        var resources = shared(configs);
        var tableConfig = (BlockBasedTableConfig) options.tableFormatConfig();
        // these three bound the store's memory to the shared cache
        tableConfig.setBlockCache(resources.cache());
        tableConfig.setCacheIndexAndFilterBlocks(true);
        options.setWriteBufferManager(resources.writeBufferManager());
        // recommended with a bounded cache: keep index/filter blocks hot, the top-level index pinned
        tableConfig.setCacheIndexAndFilterBlocksWithHighPriority(true);
        tableConfig.setPinTopLevelIndexAndFilter(true);
        tableConfig.setBlockSize(BLOCK_SIZE);
        options.setMaxWriteBufferNumber(MEMTABLES_PER_STORE);
        options.setWriteBufferSize(Math.min(MEMTABLE_SIZE, resources.writeBufferBytes()));
        options.setArenaBlockSize(ARENA_BLOCK_SIZE);
        options.setTableFormatConfig(tableConfig);
        storeOpened(resources.writeBufferBytes());
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache and write-buffer manager are shared by every store: never close them here.
        storeClosed();
    }

    static synchronized void storeClosed() {
        openStores--;
    }

    static synchronized int openStores() {
        return openStores;
    }

    /** Counts a store opened; warns when this one makes the stores crowd the write buffers (once per crossing). */
    static synchronized void storeOpened(long writeBufferBytes) {
        openStores++;
        if (crowded(openStores, writeBufferBytes) && !crowded(openStores - 1, writeBufferBytes)) {
            log.warn("{} RocksDB stores are open in this process and share {} of write buffers: their memtables' first "
                            + "blocks alone take half of it, and a full budget flushes memtables on every write (the stream "
                            + "threads then wait in RocksDB); raise rocksdb.write-buffer-size (and rocksdb.cache-size) to at "
                            + "least {}", openStores, mebibytes(writeBufferBytes), mebibytes(4L * openStores * ARENA_BLOCK_SIZE));
        }
    }

    private static String mebibytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }

    /** True when the first memtable block of each of {@code stores} stores takes half of the write buffers or more. */
    static boolean crowded(int stores, long writeBufferBytes) {
        return 2L * stores * ARENA_BLOCK_SIZE >= writeBufferBytes;
    }

    /** The shared resources, created on first use from {@code configs}. */
    static synchronized Shared shared(Map<String, ?> configs) {
        if (shared == null) {
            var total = bytes(configs, TOTAL_BYTES_CONFIG, DEFAULT_TOTAL_BYTES);
            var writeBuffers = bytes(configs, WRITE_BUFFER_BYTES_CONFIG, DEFAULT_WRITE_BUFFER_BYTES);
            var cache = new LRUCache(total, -1, false, INDEX_FILTER_BLOCK_RATIO);
            shared = new Shared(cache, new WriteBufferManager(writeBuffers, cache), total, writeBuffers);
        }
        return shared;
    }

    private static long bytes(Map<String, ?> configs, String key, long fallback) {
        var value = configs.get(key);
        return value == null ? fallback : Long.parseLong(value.toString().trim());
    }
}
