package io.breachwatch.bench;

import io.breachwatch.embedded.AvroClients;
import io.breachwatch.schema.AccessEvent;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The bench's Kafka: {@code EmbeddedKafkaBroker} as its own JVM, an admin client for topics and offsets, and the
 * schema registry every JVM shares.
 */
public final class BenchCluster implements AutoCloseable {
    private static final Pattern BOOTSTRAP = Pattern.compile("^(127\\.0\\.0\\.1:\\d+)\\s*$");

    private final ChildJvm broker;
    private final String bootstrapServers;
    private final Admin admin;
    private final RegistryServer registry;

    private BenchCluster(ChildJvm broker, String bootstrapServers) {
        this.broker = broker;
        this.bootstrapServers = bootstrapServers;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000"));
        this.registry = new RegistryServer();
    }

    /** Starts the broker JVM (data in {@code dir}) and waits until it prints its address. */
    public static BenchCluster start(Path jar, Path dir) throws InterruptedException {
        var broker = ChildJvm.start("broker", List.of("-Xmx1g", "-cp", jar.toString()),
                List.of("io.breachwatch.embedded.EmbeddedKafkaBroker", "0", dir.resolve("kafka").toString()),
                Map.of(), dir.resolve("logs/broker.log"));
        try {
            var address = broker.awaitLine(BOOTSTRAP, Duration.ofSeconds(90)).group(1);
            return new BenchCluster(broker, address);
        } catch (RuntimeException | InterruptedException e) {
            broker.close();
            throw e;
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public RegistryServer registry() {
        return registry;
    }

    public ChildJvm broker() {
        return broker;
    }

    public void createTopics(int partitions, String... names) {
        createTopics(partitions, Map.of(), names);
    }

    /** Creates the topics with {@code configs} (topic configs, e.g. the timestamp type). */
    public void createTopics(int partitions, Map<String, String> configs, String... names) {
        var topics = java.util.Arrays.stream(names).map(n -> new NewTopic(n, partitions, (short) 1).configs(configs)).toList();
        get(admin.createTopics(topics).all(), "create topics " + String.join(", ", names));
    }

    /** Produces the events (key tenant/user, record time = event time, Confluent wire format); returns how many. */
    public long produce(String topic, Iterator<AccessEvent> events) {
        long count = 0;
        try (KafkaProducer<String, AccessEvent> producer = AvroClients.eventProducer(bootstrapServers, registry.registry())) {
            while (events.hasNext()) {
                producer.send(AvroClients.record(topic, events.next()));
                count++;
            }
            producer.flush();
        }
        return count;
    }

    /** Sum of the latest offsets of the topic's partitions. */
    public long endOffsets(String topic) {
        var partitions = partitions(topic);
        var request = partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
        return get(admin.listOffsets(request).all(), "list offsets of " + topic).values().stream()
                .mapToLong(info -> info.offset()).sum();
    }

    /** Sum of the offsets the group has committed on the topic (0 for a partition without a commit). */
    public long committed(String group, String topic) {
        var offsets = get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata(), "committed offsets of " + group);
        return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                .mapToLong(e -> e.getValue().offset()).sum();
    }

    /**
     * Records in the application's own repartition topics ({@code <application.id>-...-repartition}) that its group
     * has not committed yet, up to the last committed transaction: 0 once every event that moved between tasks has
     * been processed too. Input offsets alone do not tell: a task commits an event's input offset as soon as it has
     * moved the event on, before the task it moved to has run the rules on it.
     */
    public long internalLag(String applicationId) {
        return uncommitted(applicationId, repartitionTopics(applicationId));
    }

    /** Events the application has yet to finish: not committed on {@code input}, or moved and not yet processed. */
    public long behind(String applicationId, String input) {
        var topics = new ArrayList<>(repartitionTopics(applicationId));
        topics.add(input);
        return uncommitted(applicationId, topics);
    }

    private List<String> repartitionTopics(String applicationId) {
        return get(admin.listTopics().names(), "list topics").stream()
                .filter(n -> n.startsWith(applicationId + "-") && n.endsWith("-repartition")).toList();
    }

    /**
     * Per partition of {@code topics}, the read_committed end offset minus the group's committed offset, summed (the
     * bench's own input has no transactions, so its end is its latest offset): one request of each kind for all.
     */
    private long uncommitted(String group, List<String> topics) {
        if (topics.isEmpty()) {
            return 0;
        }
        var request = partitions(topics).stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
        var ends = get(admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all(), "list offsets of " + topics);
        var committed = get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata(), "committed offsets of " + group);
        return ends.entrySet().stream().mapToLong(e -> {
            var done = committed.get(e.getKey());
            return Math.max(0, e.getValue().offset() - (done == null ? 0 : done.offset()));
        }).sum();
    }

    private List<TopicPartition> partitions(List<String> topics) {
        var descriptions = get(admin.describeTopics(topics).allTopicNames(), "describe " + topics);
        return topics.stream().flatMap(t -> IntStream.range(0, descriptions.get(t).partitions().size())
                .mapToObj(p -> new TopicPartition(t, p))).toList();
    }

    private List<TopicPartition> partitions(String topic) {
        return partitions(List.of(topic));
    }

    private static <T> T get(org.apache.kafka.common.KafkaFuture<T> future, String what) {
        try {
            return future.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot " + what + " within 60 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + what, e);
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
        registry.close();
        broker.close();
    }
}
