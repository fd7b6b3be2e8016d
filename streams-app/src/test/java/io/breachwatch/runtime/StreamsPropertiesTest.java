package io.breachwatch.runtime;

import io.breachwatch.config.AppConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StreamsPropertiesTest {

    @Test
    void defaultsGiveExactlyOnceExplicitNamingAndBoundedRocksDb() {
        var props = StreamsProperties.from(AppConfig.load(null, Map.of()));
        assertThat(props)
                .containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "breachwatch")
                .containsEntry(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092")
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)
                .containsEntry(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, "true")
                .containsEntry(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedMemoryRocksDBConfig.class.getName())
                .containsEntry(BoundedMemoryRocksDBConfig.TOTAL_BYTES_CONFIG, Long.toString(128L << 20))
                .containsEntry(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, "-1")
                .doesNotContainKeys(StreamsConfig.STATE_DIR_CONFIG, StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
                        StreamsConfig.DEFAULT_DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG);
        new StreamsConfig(props); // Kafka Streams accepts them
    }

    /** Kafka Streams' partition assignor builds its own StreamsConfig from these; without the setting it warns at every start. */
    @Test
    void theMainConsumerCarriesTheGlobalProcessingHandlerSetting() {
        var config = new StreamsConfig(StreamsProperties.from(AppConfig.load(null, Map.of())));
        assertThat(config.getMainConsumerConfigs("breachwatch", "breachwatch-StreamThread-1", 0))
                .containsEntry(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
    }

    @Test
    void settingsMapToStreamsConfigs() {
        var props = StreamsProperties.from(AppConfig.load(null, Map.of(
                "BREACHWATCH_STREAMS_STATE_DIR", "/var/lib/breachwatch",
                "BREACHWATCH_STREAMS_COMMIT_INTERVAL", "2s",
                "BREACHWATCH_STREAMS_NUM_STANDBY_REPLICAS", "1",
                "BREACHWATCH_STREAMS_PROCESSING_GUARANTEE", "at_least_once")));
        assertThat(props)
                .containsEntry(StreamsConfig.STATE_DIR_CONFIG, "/var/lib/breachwatch")
                .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "2000")
                .containsEntry(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, "1")
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
    }

    @Test
    void passThroughClientPropertiesComeLastSoSecuritySettingsApply() {
        var config = AppConfig.load(null, Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512", "KAFKA_PROCESSING_GUARANTEE", "at_least_once",
                "KAFKA_MAX_TASK_IDLE_MS", "0"));
        var props = StreamsProperties.from(config);
        assertThat(props).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, "0")
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, "at_least_once");
        assertThat(StreamsProperties.clientProperties(config)).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
    }
}
