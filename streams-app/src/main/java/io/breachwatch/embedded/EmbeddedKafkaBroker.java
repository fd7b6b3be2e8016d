package io.breachwatch.embedded;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A real Apache Kafka broker (KRaft, combined broker and controller, one node) running in this JVM, for
 * {@code demo} and the integration tests. Storage is formatted with {@link StorageTool#execute} and the server
 * started through {@link KafkaRaftServer}: never {@code Kafka.main} or {@code StorageTool.main}, which call
 * {@code System.exit}.
 *
 * <p>{@link #stop()} and {@link #start()} restart it on the same port and data directory (for fault tests);
 * {@link #close()} stops it and deletes the data directory when this class created it.
 *
 * <p>{@link Builder#saslPlain} makes the client listener SASL_PLAINTEXT with the PLAIN mechanism and the given
 * users (the controller listener stays PLAINTEXT, on loopback); clients then need {@link #clientProperties(String, String)}.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    private static final String LOOPBACK = "127.0.0.1";
    private static final String SASL_LISTENER = "SASL_PLAINTEXT";
    private static final String PLAIN = "PLAIN";
    /** The broker's own SASL identity (inter-broker listener, {@link #admin()}). */
    private static final String BROKER_USER = "breachwatch-embedded-broker";

    private final Path dataDir;
    private final boolean ownsDataDir;
    private final int brokerPort;
    private final int controllerPort;
    private final String clusterId;
    private final Map<String, String> overrides;
    /** SASL/PLAIN users and passwords, including the broker's own; empty: a PLAINTEXT listener. */
    private final Map<String, String> saslUsers;
    private final String brokerPassword;
    private KafkaRaftServer server;

    private EmbeddedKafkaBroker(Builder builder) {
        try {
            this.ownsDataDir = builder.dataDir == null;
            this.dataDir = ownsDataDir ? Files.createTempDirectory("breachwatch-kafka-") : Files.createDirectories(builder.dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the broker data directory", e);
        }
        this.brokerPort = builder.port > 0 ? builder.port : freePort();
        this.controllerPort = freePort();
        this.clusterId = Uuid.randomUuid().toString();
        this.overrides = Map.copyOf(builder.overrides);
        this.brokerPassword = Uuid.randomUuid().toString();
        var users = new java.util.TreeMap<>(builder.saslUsers);
        if (!users.isEmpty()) {
            users.put(BROKER_USER, brokerPassword);
        }
        this.saslUsers = Map.copyOf(users);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts a broker on a free loopback port with a temporary data directory. */
    public static EmbeddedKafkaBroker startOnFreePort() {
        return builder().start();
    }

    public static final class Builder {
        private int port;
        private Path dataDir;
        private final Map<String, String> overrides = new java.util.HashMap<>();
        private final Map<String, String> saslUsers = new java.util.HashMap<>();

        /** A fixed port; 0 (the default) picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0 (free port) or 1..65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /** A data directory to keep (not deleted on close); by default a temporary one that close() deletes. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** A broker property on top of the single-node defaults. */
        public Builder property(String key, String value) {
            overrides.put(key, value);
            return this;
        }

        /**
         * The client listener speaks SASL_PLAINTEXT with mechanism PLAIN and accepts these users (name -> password);
         * no authorizer, so every authenticated user may do everything. Names and passwords must not contain
         * quotes, backslashes or whitespace (they go into a JAAS line).
         */
        public Builder saslPlain(Map<String, String> users) {
            if (users.isEmpty()) {
                throw new IllegalArgumentException("saslPlain needs at least one user");
            }
            users.forEach((user, password) -> {
                if (user.isEmpty() || user.equals(BROKER_USER) || (user + password).matches(".*[\"\\\\\\s].*")) {
                    throw new IllegalArgumentException("SASL user '" + user + "': names and passwords may not be empty, reserved, or contain quotes, backslashes or spaces");
                }
            });
            saslUsers.putAll(users);
            return this;
        }

        public EmbeddedKafkaBroker build() {
            return new EmbeddedKafkaBroker(this);
        }

        public EmbeddedKafkaBroker start() {
            var broker = build();
            try {
                broker.start();
            } catch (RuntimeException e) {
                broker.close();
                throw e;
            }
            return broker;
        }
    }

    /** Formats the storage (once; a formatted directory is kept) and starts the server. Idempotent. */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        Logging.dropRetriableSequenceRace(); // the demo and the tests run the broker in their own JVM: its logs are theirs
        var config = new KafkaConfig(properties(), false);
        format();
        var started = new KafkaRaftServer(config, Time.SYSTEM);
        started.startup();
        server = started;
    }

    /** Stops the server and waits until it is down; the data directory and port stay for {@link #start()}. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            server = null;
        }
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    public String bootstrapServers() {
        return LOOPBACK + ":" + brokerPort;
    }

    public int port() {
        return brokerPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Creates the topics (existing ones are left alone) and waits until the broker confirms them. */
    public void createTopics(Collection<NewTopic> topics) {
        try (var admin = admin()) {
            for (var topic : topics) {
                try {
                    admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + topic.name() + ": " + e.getCause().getMessage(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("broker did not create the topics within 30 s", e);
        }
    }

    /** Creates topics with {@code partitions} partitions each, replication factor 1. */
    public void createTopics(int partitions, String... names) {
        createTopics(Stream.of(names).map(n -> new NewTopic(n, partitions, (short) 1)).toList());
    }

    /** A new admin client for this broker (as the broker's own user when SASL is on); the caller closes it. */
    public Admin admin() {
        var props = new java.util.HashMap<String, Object>(isSasl() ? clientProperties(BROKER_USER, brokerPassword) : Map.of());
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        return Admin.create(props);
    }

    /** Whether the client listener needs SASL ({@link Builder#saslPlain}). */
    public boolean isSasl() {
        return !saslUsers.isEmpty();
    }

    /**
     * The standard Kafka client properties to log in with SASL/PLAIN as {@code user} (security.protocol,
     * sasl.mechanism, sasl.jaas.config), without bootstrap.servers; for the {@code kafka.*} pass-through or any client.
     */
    public static Map<String, String> clientProperties(String user, String password) {
        return Map.of("security.protocol", SASL_LISTENER, "sasl.mechanism", PLAIN,
                "sasl.jaas.config", plainLogin(user, password, Map.of()));
    }

    private static String plainLogin(String user, String password, Map<String, String> accepted) {
        var line = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required username=\"")
                .append(user).append("\" password=\"").append(password).append('"');
        accepted.forEach((name, secret) -> line.append(" user_").append(name).append("=\"").append(secret).append('"'));
        return line.append(';').toString();
    }

    /** Stops the broker and deletes the data directory when it was a temporary one. */
    @Override
    public void close() {
        try {
            stop();
        } finally {
            if (ownsDataDir) {
                deleteRecursively(dataDir);
            }
        }
    }

    private Properties properties() {
        var p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        var listener = isSasl() ? SASL_LISTENER : "PLAINTEXT";
        p.put("listeners", listener + "://" + LOOPBACK + ":" + brokerPort + ",CONTROLLER://" + LOOPBACK + ":" + controllerPort);
        p.put("advertised.listeners", listener + "://" + LOOPBACK + ":" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", listener + ":" + listener + ",CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", listener);
        if (isSasl()) {
            p.put("sasl.enabled.mechanisms", PLAIN);
            p.put("sasl.mechanism.inter.broker.protocol", PLAIN);
            p.put("listener.name." + SASL_LISTENER.toLowerCase(java.util.Locale.ROOT) + ".plain.sasl.jaas.config",
                    plainLogin(BROKER_USER, brokerPassword, saslUsers));
        }
        p.put("controller.quorum.bootstrap.servers", LOOPBACK + ":" + controllerPort);
        p.put("log.dirs", dataDir.resolve("logs").toString());
        p.put("metadata.log.dir", dataDir.resolve("metadata").toString());
        // one broker: every internal topic with replication 1, or groups hang on INVALID_REPLICATION_FACTOR
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("min.insync.replicas", "1");
        p.put("default.replication.factor", "1");
        p.put("num.partitions", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "true");
        p.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
        p.put("controlled.shutdown.enable", "true");
        // simulated and replayed events carry past timestamps: never roll or expire segments by time here
        p.put("log.retention.ms", "-1");
        p.put("log.roll.ms", Long.toString(Duration.ofDays(3650).toMillis()));
        // the broker expires an idempotent producer's state by the timestamps of its records (default 1 day, checked
        // every 10 min): with weeks-old event times it dropped the state of Streams' producers 10 minutes into the
        // demo (OutOfOrderSequenceException). Keep it as long as the setting allows (an int: 24.8 days).
        p.put("producer.id.expiration.ms", Integer.toString(Integer.MAX_VALUE));
        p.putAll(overrides);
        return p;
    }

    private void format() {
        var propsFile = dataDir.resolve("server.properties");
        try (Writer out = Files.newBufferedWriter(propsFile, StandardCharsets.UTF_8)) {
            properties().store(out, "embedded Breachwatch broker");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + propsFile, e);
        }
        var output = new ByteArrayOutputStream();
        int rc;
        try (var print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            rc = StorageTool.execute(new String[]{"format", "--standalone", "--ignore-formatted",
                    "-t", clusterId, "-c", propsFile.toString()}, print);
        } catch (Exception e) {
            throw new IllegalStateException("cannot format broker storage in " + dataDir + ": " + e.getMessage(), e);
        }
        if (rc != 0) {
            throw new IllegalStateException("formatting broker storage in " + dataDir + " failed (" + rc + "): "
                    + output.toString(StandardCharsets.UTF_8).trim());
        }
    }

    private static int freePort() {
        try (var socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(LOOPBACK, 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    /** Deletes a directory tree, best effort. */
    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a leftover temp directory is harmless
        }
    }

    /**
     * Runs a broker as its own process (for benchmarks): {@code java -cp breachwatch.jar
     * io.breachwatch.embedded.EmbeddedKafkaBroker [port] [data-dir]}. Prints the bootstrap address as the first
     * line on stdout and runs until the process is stopped.
     */
    public static void main(String[] args) throws InterruptedException {
        Logging.quietKafka();
        var builder = builder();
        if (args.length > 0) {
            builder.port(Integer.parseInt(args[0]));
        }
        if (args.length > 1) {
            builder.dataDir(Path.of(args[1]));
        }
        var broker = builder.start();
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "embedded-broker-shutdown"));
        System.out.println(broker.bootstrapServers());
        System.out.flush();
        stopped.await();
    }
}
