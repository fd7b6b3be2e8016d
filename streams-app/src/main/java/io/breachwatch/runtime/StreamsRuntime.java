package io.breachwatch.runtime;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;

import java.time.Duration;
import java.util.Properties;

/**
 * STUB (API contract; the runtime work fills it in): owns one KafkaStreams instance: start order,
 * handlers, state, clean close. Used by {@code run}, {@code demo} and the integration tests.
 */
public final class StreamsRuntime implements AutoCloseable {
    private final KafkaStreams streams;

    public StreamsRuntime(Topology topology, Properties streamsProperties) {
        this.streams = new KafkaStreams(topology, streamsProperties);
    }

    public void start() {
        streams.start();
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    public KafkaStreams streams() {
        return streams;
    }

    public boolean isReady() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    public boolean isAlive() {
        var s = streams.state();
        return s != KafkaStreams.State.ERROR && s != KafkaStreams.State.NOT_RUNNING && s != KafkaStreams.State.PENDING_ERROR;
    }

    public void close(Duration timeout) {
        streams.close(timeout);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }
}
