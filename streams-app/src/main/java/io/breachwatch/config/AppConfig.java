package io.breachwatch.config;

import io.breachwatch.http.HttpConfig;
import io.breachwatch.serde.RegistryConfig;
import io.breachwatch.topology.TopologyConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The whole application's configuration: the runtime's own keys plus every other part's {@link Field}s
 * ({@link HttpConfig}, {@link TopologyConfig}, {@link RegistryConfig}). {@link #fields()} is the one list that validation,
 * {@code --help}, {@code breachwatch config} and the README table are made from.
 *
 * @param stateDir       null: Kafka Streams' default ({@code <java.io.tmpdir>/kafka-streams})
 * @param commitInterval null: Kafka Streams' default for the processing guarantee
 * @param settings       the raw merged settings, for the other parts' typed configs ({@link #topology()})
 */
public record AppConfig(String applicationId, String bootstrapServers, String processingGuarantee, int numThreads,
                        String stateDir, Duration commitInterval, int replicationFactor, int numStandbyReplicas,
                        long rocksDbCacheBytes, long rocksDbWriteBufferBytes,
                        Duration startupTimeout, Duration shutdownTimeout,
                        boolean createTopics, int topicPartitions, int topicReplicationFactor,
                        Settings settings) {

    public static final String EXACTLY_ONCE_V2 = "exactly_once_v2";
    public static final String AT_LEAST_ONCE = "at_least_once";

    public static final Field<String> APPLICATION_ID = Field.string("application.id", "breachwatch",
            "Kafka Streams application id: consumer group, prefix of internal topics and of the state directory");
    public static final Field<String> BOOTSTRAP_SERVERS = Field.string("kafka.bootstrap.servers", "localhost:9092",
            "Kafka brokers (host:port,...). Every other kafka.* key (env KAFKA_*) is passed to the Kafka clients as is, e.g. kafka.security.protocol");
    public static final Field<String> PROCESSING_GUARANTEE = Field.oneOf("streams.processing-guarantee", EXACTLY_ONCE_V2,
            "exactly_once_v2: no incident lost or duplicated (needs 3 brokers or a single broker with transaction replication factor 1); at_least_once: faster, duplicates possible after a crash",
            EXACTLY_ONCE_V2, AT_LEAST_ONCE);
    public static final Field<Integer> NUM_THREADS = Field.intRange("streams.num-threads", 1, 1, 64,
            "Stream threads in this instance");
    public static final Field<String> STATE_DIR = Field.optionalString("streams.state-dir",
            "Directory of the local state stores (RocksDB); unset: <java.io.tmpdir>/kafka-streams. Keep it on a persistent volume");
    public static final Field<Duration> COMMIT_INTERVAL = Field.duration("streams.commit-interval", null,
            "How often progress is committed (and, with exactly_once_v2, incidents become visible); unset: 100ms with exactly_once_v2, 30s with at_least_once");
    public static final Field<Integer> REPLICATION_FACTOR = replicationFactor("streams.replication-factor",
            "Replication factor of the internal changelog and repartition topics");
    public static final Field<Integer> NUM_STANDBY_REPLICAS = Field.intRange("streams.num-standby-replicas", 0, 0, 10,
            "Warm copies of each state store on other instances, for fast fail-over");
    public static final Field<Long> ROCKSDB_CACHE_SIZE = Field.byteSize("rocksdb.cache-size", "128MiB",
            "Off-heap memory shared by all RocksDB state stores of this process (block cache, indexes, filters and write buffers)");
    public static final Field<Long> ROCKSDB_WRITE_BUFFER_SIZE = Field.byteSize("rocksdb.write-buffer-size", "64MiB",
            "Part of rocksdb.cache-size that the stores' write buffers (memtables) may use; must be smaller than rocksdb.cache-size");
    public static final Field<Duration> STARTUP_TIMEOUT = Field.duration("startup.timeout", "15s",
            "How long run waits for the Kafka cluster at start before giving up with exit code 1");
    public static final Field<Duration> SHUTDOWN_TIMEOUT = Field.duration("shutdown.timeout", "30s",
            "How long a stop (SIGTERM, Ctrl-C) may take to commit and close cleanly");
    public static final Field<Boolean> TOPICS_CREATE = Field.bool("topics.create", true,
            "Create the input, incidents (compacted), dead-letter, breach-notices (when notices.enabled) and OCSF (when ocsf.enabled) topics at start when they are missing");
    public static final Field<Integer> TOPICS_PARTITIONS = Field.intRange("topics.partitions", 6, 1, 10_000,
            "Partitions of topics that run creates; the most instances x threads that can share the work");
    public static final Field<Integer> TOPICS_REPLICATION_FACTOR = replicationFactor("topics.replication-factor",
            "Replication factor of topics that run creates");

    /** Every key Breachwatch reads, in documentation order: the runtime's and HTTP's, then the topology's, then the registry's. */
    public static List<Field<?>> fields() {
        var all = new ArrayList<Field<?>>(List.of(APPLICATION_ID, BOOTSTRAP_SERVERS, PROCESSING_GUARANTEE, NUM_THREADS,
                STATE_DIR, COMMIT_INTERVAL, REPLICATION_FACTOR, NUM_STANDBY_REPLICAS, ROCKSDB_CACHE_SIZE,
                ROCKSDB_WRITE_BUFFER_SIZE, STARTUP_TIMEOUT, SHUTDOWN_TIMEOUT));
        all.addAll(HttpConfig.fields());
        all.addAll(List.of(TOPICS_CREATE, TOPICS_PARTITIONS, TOPICS_REPLICATION_FACTOR));
        all.addAll(TopologyConfig.fields());
        all.addAll(RegistryConfig.fields());
        return List.copyOf(all);
    }

    /** Defaults &lt; {@code file} (optional, may be null) &lt; {@code env}; validated. */
    public static AppConfig load(Path file, Map<String, String> env) {
        return from(Settings.load(file, env, fields()));
    }

    /** Validates every key (unknown key or bad value: {@link ConfigException} naming the key) and reads the runtime's. */
    public static AppConfig from(Settings settings) {
        settings.validate(fields());
        var config = new AppConfig(settings.get(APPLICATION_ID), settings.get(BOOTSTRAP_SERVERS),
                settings.get(PROCESSING_GUARANTEE), settings.get(NUM_THREADS), settings.get(STATE_DIR),
                settings.get(COMMIT_INTERVAL), settings.get(REPLICATION_FACTOR), settings.get(NUM_STANDBY_REPLICAS),
                settings.get(ROCKSDB_CACHE_SIZE), settings.get(ROCKSDB_WRITE_BUFFER_SIZE),
                settings.get(STARTUP_TIMEOUT), settings.get(SHUTDOWN_TIMEOUT),
                settings.get(TOPICS_CREATE), settings.get(TOPICS_PARTITIONS), settings.get(TOPICS_REPLICATION_FACTOR),
                settings);
        io.breachwatch.incident.Pseudonymizer.from(settings); // a missing or short key fails here, before any connection
        if (config.rocksDbWriteBufferBytes >= config.rocksDbCacheBytes) {
            throw new ConfigException(ROCKSDB_WRITE_BUFFER_SIZE.key(), "must be smaller than "
                    + ROCKSDB_CACHE_SIZE.key() + " (" + config.rocksDbCacheBytes + " bytes), it is a part of it");
        }
        return config;
    }

    /** Where the HTTP API listens (http.address, http.port, http.token), read from the same settings. */
    public HttpConfig http() {
        return HttpConfig.from(settings);
    }

    /** The topology's typed configuration, read from the same settings. */
    public TopologyConfig topology() {
        return TopologyConfig.from(settings);
    }

    /** The pass-through {@code kafka.*} client properties without the prefix (including bootstrap.servers when set). */
    public Map<String, String> kafkaProperties() {
        return settings.kafkaProperties();
    }

    public boolean exactlyOnce() {
        return EXACTLY_ONCE_V2.equals(processingGuarantee);
    }

    private static Field<Integer> replicationFactor(String key, String description) {
        return new Field<>(key, "-1", description + "; -1 uses the broker's default.replication.factor",
                "-1 (broker default) or an integer from 1 to 32767", Integer::valueOf, v -> v == -1 || (v >= 1 && v <= Short.MAX_VALUE));
    }
}
