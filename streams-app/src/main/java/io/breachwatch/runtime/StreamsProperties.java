package io.breachwatch.runtime;

import io.breachwatch.config.AppConfig;
import io.breachwatch.topology.BreachwatchTopology;
import org.apache.kafka.streams.StreamsConfig;

import java.util.Properties;

/**
 * The Kafka Streams properties for an {@link AppConfig}: Breachwatch's choices first (with the topology's,
 * {@link BreachwatchTopology#streamsOverrides}), pass-through {@code kafka.*} last.
 */
public final class StreamsProperties {
    private StreamsProperties() {
    }

    public static Properties from(AppConfig config) {
        var props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, config.processingGuarantee());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(config.numThreads()));
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, Integer.toString(config.replicationFactor()));
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, Integer.toString(config.numStandbyReplicas()));
        props.putAll(BreachwatchTopology.streamsOverrides());
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedMemoryRocksDBConfig.class.getName());
        props.put(BoundedMemoryRocksDBConfig.TOTAL_BYTES_CONFIG, Long.toString(config.rocksDbCacheBytes()));
        props.put(BoundedMemoryRocksDBConfig.WRITE_BUFFER_BYTES_CONFIG, Long.toString(config.rocksDbWriteBufferBytes()));
        if (config.stateDir() != null) {
            props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir());
        }
        if (config.commitInterval() != null) {
            props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(config.commitInterval().toMillis()));
        }
        // No default deserialization exception handler: the topology reads bytes and decodes them itself, so a
        // record it cannot read goes to the dead-letter topic with the reason instead of failing the thread.
        props.putAll(config.kafkaProperties()); // last: SSL/SASL and any client tuning win
        return props;
    }

    /** Properties for an Admin (or any plain Kafka client) of the same cluster: bootstrap and the pass-through keys. */
    public static Properties clientProperties(AppConfig config) {
        var props = new Properties();
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.putAll(config.kafkaProperties());
        return props;
    }
}
