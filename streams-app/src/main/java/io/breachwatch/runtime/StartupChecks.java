package io.breachwatch.runtime;

import io.breachwatch.config.AppConfig;
import io.breachwatch.notice.NoticeConfig;
import io.breachwatch.ocsf.OcsfConfig;
import io.breachwatch.topology.TopologyConfig;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Checks before Kafka Streams starts, each failing within {@code startup.timeout} with a message that says what
 * to check (Kafka Streams itself would retry quietly for minutes): the cluster answers (address, TLS, SASL
 * credentials), and the topics exist, created when {@code topics.create} allows; and the input topic's partition
 * count, which the topology needs to tell events already in their entity's task from those that must move.
 */
public final class StartupChecks implements AutoCloseable {
    /** A topic the application needs. */
    public record TopicSpec(String name, int partitions, int replicationFactor, Map<String, String> configs) {
        NewTopic toNewTopic() {
            var replication = replicationFactor == -1 ? Optional.<Short>empty() : Optional.of((short) replicationFactor);
            return new NewTopic(name, Optional.of(partitions), replication).configs(configs);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(StartupChecks.class);

    private final Admin admin;
    private final String bootstrapServers;
    private final Duration timeout;
    private final String mechanism;

    public StartupChecks(AppConfig config) {
        var props = StreamsProperties.clientProperties(config);
        var millis = (int) Math.min(Integer.MAX_VALUE, config.startupTimeout().toMillis());
        props.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Integer.toString(millis));
        props.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(millis));
        props.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, config.applicationId() + "-startup-checks");
        this.admin = Admin.create(props);
        this.bootstrapServers = config.bootstrapServers();
        this.timeout = config.startupTimeout();
        this.mechanism = mechanism(config.kafkaProperties());
    }

    /**
     * The input, incidents (compacted) and dead-letter topics, as {@code run} creates them, the breach-notices topic
     * when notices are enabled (not compacted: one incident, the key, has several notices) and the OCSF topic when
     * enabled (not compacted: every revision is an event for the SIEM).
     */
    public static List<TopicSpec> requiredTopics(AppConfig config) {
        var settings = config.settings();
        int partitions = config.topicPartitions();
        int replication = config.topicReplicationFactor();
        var topics = new ArrayList<>(List.of(
                new TopicSpec(settings.get(TopologyConfig.INPUT_TOPIC), partitions, replication, Map.of()),
                new TopicSpec(settings.get(TopologyConfig.INCIDENTS_TOPIC), partitions, replication,
                        Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
                new TopicSpec(settings.get(TopologyConfig.DLQ_TOPIC), partitions, replication, Map.of())));
        if (settings.get(NoticeConfig.ENABLED)) {
            topics.add(new TopicSpec(settings.get(NoticeConfig.TOPIC), partitions, replication, Map.of()));
        }
        if (settings.get(OcsfConfig.ENABLED)) {
            topics.add(new TopicSpec(settings.get(OcsfConfig.TOPIC), partitions, replication, Map.of()));
        }
        return List.copyOf(topics);
    }

    /** Fails unless the cluster answers within the timeout; returns its id. */
    public String checkCluster() {
        try {
            var clusterId = admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMillis()))
                    .clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            log.info("Connected to Kafka cluster {}", clusterId);
            return clusterId;
        } catch (Exception e) {
            var rejected = authenticationFailure(e);
            if (rejected != null) {
                throw new StartupException("Kafka rejected the credentials for " + bootstrapServers + " (" + mechanism + "): "
                        + reason(rejected) + "; check kafka.sasl.jaas.config (user and password), kafka.sasl.mechanism"
                        + " and kafka.security.protocol, or the TLS client certificate", e);
            }
            throw new StartupException("cannot reach Kafka at " + bootstrapServers + " within " + timeout.toSeconds()
                    + "s (" + reason(e) + "); check kafka.bootstrap.servers, that the brokers are up, and the kafka.security.protocol / kafka.sasl.* settings", e);
        }
    }

    /** Creates the missing topics when {@code create}, else fails naming them. Returns the topics it created. */
    public List<String> ensureTopics(List<TopicSpec> topics, boolean create) {
        var existing = call("list topics", () -> admin.listTopics(new ListTopicsOptions().timeoutMs(timeoutMillis())).names()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        var missing = topics.stream().filter(t -> !existing.contains(t.name())).toList();
        if (missing.isEmpty()) {
            return List.of();
        }
        var names = missing.stream().map(TopicSpec::name).toList();
        if (!create) {
            throw new StartupException("missing topics " + names + "; create them or set topics.create=true");
        }
        var created = new ArrayList<String>();
        var result = admin.createTopics(missing.stream().map(TopicSpec::toNewTopic).toList());
        result.values().forEach((name, future) -> {
            try {
                future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                created.add(name);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) { // another instance created it meanwhile
                    throw new StartupException("cannot create topic " + name + " (" + reason(e) + ")", e);
                }
            } catch (Exception e) {
                throw new StartupException("cannot create topic " + name + " (" + reason(e) + ")", e);
            }
        });
        log.info("Created topics {}", created);
        return created;
    }

    /** The partition count of an existing topic; fails naming the topic when it is missing or cannot be described. */
    public int partitions(String topic) {
        var description = call("describe topic " + topic, () -> admin.describeTopics(List.of(topic),
                        new DescribeTopicsOptions().timeoutMs(timeoutMillis())).allTopicNames()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(topic));
        return description.partitions().size();
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }

    private interface Call<T> {
        T get() throws Exception;
    }

    private <T> T call(String what, Call<T> call) {
        try {
            return call.get();
        } catch (Exception e) {
            throw new StartupException("cannot " + what + " on Kafka at " + bootstrapServers + " (" + reason(e) + ")", e);
        }
    }

    /** The authentication or SSL handshake failure behind {@code e}, or null: wrong credentials are not worth a retry. */
    private static AuthenticationException authenticationFailure(Throwable e) {
        for (var t = e; t != null; t = t.getCause()) {
            if (t instanceof AuthenticationException auth) { // SaslAuthenticationException, SslAuthenticationException
                return auth;
            }
        }
        return null;
    }

    /** "PLAIN via SASL_SSL", "SCRAM-SHA-256 via SASL_PLAINTEXT", ...; the protocol alone without SASL ("SSL"). */
    private static String mechanism(Map<String, String> kafka) {
        var protocol = kafka.getOrDefault(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT").toUpperCase(java.util.Locale.ROOT);
        return protocol.startsWith("SASL")
                ? kafka.getOrDefault(SaslConfigs.SASL_MECHANISM, SaslConfigs.DEFAULT_SASL_MECHANISM) + " via " + protocol
                : protocol;
    }

    private int timeoutMillis() {
        return (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    }

    private static String reason(Throwable e) {
        var cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        var message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
