package io.breachwatch.runtime;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** Lifecycle without a broker: Streams starts, waits for one, and closes cleanly (the broker ITs cover processing). */
class StreamsRuntimeTest {
    @TempDir
    Path stateDir;

    @Test
    void startsAliveButNotReadyWithoutABrokerAndClosesCleanly() throws Exception {
        try (var runtime = new StreamsRuntime(passThrough(), properties())) {
            assertThat(runtime.state()).isEqualTo(State.CREATED);
            runtime.start();
            assertThat(runtime.awaitState(s -> s == State.REBALANCING, Duration.ofSeconds(10))).isTrue();
            assertThat(runtime.isAlive()).isTrue();
            assertThat(runtime.isReady()).isFalse();
            assertThat(runtime.awaitRunning(Duration.ofMillis(200))).isFalse();

            assertThat(runtime.close(Duration.ofSeconds(10))).isTrue();
            runtime.awaitTermination();
            assertThat(runtime.state()).isEqualTo(State.NOT_RUNNING);
            assertThat(runtime.isAlive()).isFalse();
            assertThat(runtime.failed()).isFalse();
            assertThat(runtime.failure()).isEmpty();
        }
    }

    private static org.apache.kafka.streams.Topology passThrough() {
        var builder = new StreamsBuilder();
        builder.stream("in", Consumed.with(Serdes.String(), Serdes.String()).withName("source"))
                .to("out", Produced.with(Serdes.String(), Serdes.String()).withName("sink"));
        return builder.build();
    }

    private Properties properties() throws Exception {
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        var props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "runtime-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return props;
    }
}
