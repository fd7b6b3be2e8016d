package io.breachwatch.app;

import io.breachwatch.config.AppConfig;
import io.breachwatch.config.ConfigException;
import io.breachwatch.runtime.StartupException;
import io.breachwatch.runtime.StreamsProperties;
import io.breachwatch.topology.DeadLetterReason;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.util.Arrays;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code breachwatch dlq-replay}: copies dead-lettered records back to the input topic after their cause was fixed. */
@Command(name = "dlq-replay", mixinStandardHelpOptions = true,
        description = {"Copy dead-lettered records back to the input topic (original key, bytes and timestamp; dlq.* headers",
                "dropped, header breachwatch.replayed-from added) once their cause is fixed, e.g. the missing schema registered.",
                "Reads read_committed from the group's committed offsets (or the beginning) up to the end seen at start;",
                "copies and offsets commit in one transaction, so a re-run never copies a record twice.",
                "Exit codes: 0 done, 1 Kafka failure, 2 bad option or configuration."})
final class DlqReplayCommand implements Callable<Integer> {
    @ParentCommand
    private Main main;

    @Spec
    private CommandSpec spec;

    @Mixin
    private Main.ConfigFile configFile;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT,...", description = "Kafka brokers (default: kafka.bootstrap.servers of the configuration)")
    String bootstrap;

    @Option(names = "--from-dlq", paramLabel = "TOPIC", description = "Dead-letter topic to read (default: topics.dlq, crm.access-events.dlq)")
    String fromDlq;

    @Option(names = "--to", paramLabel = "TOPIC", description = "Topic to copy to (default: topics.input, crm.access-events)")
    String to;

    @Option(names = "--reason", paramLabel = "REASON", description = "Copy only records with this dlq.reason (e.g. unknown-schema); the others are counted as skipped")
    String reason;

    @Option(names = "--group", paramLabel = "ID", description = "Consumer group that keeps the replay's progress (default: <application.id>-dlq-replay[-<reason>])")
    String group;

    @Option(names = "--from-beginning", description = "Ignore the group's committed offsets and start at the beginning of the dead-letter topic")
    boolean fromBeginning;

    @Option(names = "--dry-run", description = "Only count what would be copied; write and commit nothing")
    boolean dryRun;

    @Override
    public Integer call() {
        var config = configFile.load(main.env());
        var from = fromDlq != null ? fromDlq : config.topology().dlqTopic();
        var target = to != null ? to : config.topology().inputTopic();
        if (from.equals(target)) {
            throw new ConfigException("--to", "must differ from --from-dlq, got '" + from + "' twice");
        }
        if (reason != null && Arrays.stream(DeadLetterReason.values()).noneMatch(r -> r.code().equals(reason))) {
            throw new ConfigException("--reason", "unknown reason '" + reason + "'; allowed: "
                    + Arrays.stream(DeadLetterReason.values()).map(DeadLetterReason::code).collect(Collectors.joining(", ")));
        }
        var groupId = group != null ? group : config.applicationId() + "-dlq-replay" + (reason == null ? "" : "-" + reason);
        DlqReplay.Summary summary;
        try (var consumer = new KafkaConsumer<>(consumerProps(config, groupId), new ByteArrayDeserializer(), new ByteArrayDeserializer());
             var producer = dryRun ? null : new KafkaProducer<>(producerProps(config, groupId), new ByteArraySerializer(), new ByteArraySerializer())) {
            summary = new DlqReplay(consumer, producer, from, target, reason).run(fromBeginning, Duration.ofMillis(500));
        } catch (KafkaException | IllegalArgumentException e) {
            throw new StartupException("dlq-replay from " + from + " to " + target + " failed: "
                    + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
        print(summary, from, target, groupId);
        return Main.EXIT_OK;
    }

    private void print(DlqReplay.Summary summary, String from, String target, String groupId) {
        var out = spec.commandLine().getOut();
        out.printf("dlq-replay %s -> %s (group %s)%s: %s %d, skipped %d%n", from, target, groupId, dryRun ? ", dry run" : "",
                dryRun ? "would copy" : "copied", summary.copiedTotal(), summary.skippedTotal());
        var reasons = new TreeSet<String>(summary.copied().keySet());
        reasons.addAll(summary.skipped().keySet());
        for (var why : reasons) {
            out.printf("  %-20s %s %d, skipped %d%n", why, dryRun ? "would copy" : "copied",
                    summary.copied().getOrDefault(why, 0L), summary.skipped().getOrDefault(why, 0L));
        }
        out.flush();
    }

    private Properties consumerProps(AppConfig config, String groupId) {
        var props = clientProps(config);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId + "-consumer");
        props.putIfAbsent(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(config.startupTimeout().toMillis()));
        return props;
    }

    private Properties producerProps(AppConfig config, String groupId) {
        var props = clientProps(config);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, groupId); // one replay of a group at a time: a second fences the first
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, groupId + "-producer");
        props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(config.startupTimeout().toMillis()));
        return props;
    }

    /** The configuration's client properties (kafka.*, e.g. SASL/TLS) with --bootstrap over them. */
    private Properties clientProps(AppConfig config) {
        var props = StreamsProperties.clientProperties(config);
        if (bootstrap != null) {
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        }
        return props;
    }
}
