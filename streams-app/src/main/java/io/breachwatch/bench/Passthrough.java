package io.breachwatch.bench;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * The throughput limit Breachwatch is held against: a Kafka Streams application that copies the input topic's bytes
 * to an output topic with exactly_once_v2 and does nothing else. Run as its own JVM by the bench:
 * {@code java -cp breachwatch.jar io.breachwatch.bench.Passthrough BOOTSTRAP APPLICATION_ID INPUT OUTPUT STATE_DIR}.
 * Prints {@code passthrough: RUNNING} once processing; stops cleanly on SIGTERM.
 */
public final class Passthrough {
    private Passthrough() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 5) {
            System.err.println("usage: Passthrough BOOTSTRAP APPLICATION_ID INPUT OUTPUT STATE_DIR");
            System.exit(2);
        }
        var builder = new StreamsBuilder();
        builder.stream(args[2], Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .to(args[3], Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
        var props = new Properties();
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, args[1]);
        props.put(StreamsConfig.STATE_DIR_CONFIG, args[4]);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        var stopped = new CountDownLatch(1);
        var streams = new KafkaStreams(builder.build(), props);
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                System.out.println("passthrough: RUNNING");
                System.out.flush();
            }
            if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
                stopped.countDown();
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            streams.close(Duration.ofSeconds(30));
            stopped.countDown();
        }, "passthrough-shutdown"));
        streams.start();
        stopped.await();
    }
}
