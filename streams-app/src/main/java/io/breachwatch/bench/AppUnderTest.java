package io.breachwatch.bench;

import io.breachwatch.embedded.EmbeddedKafkaBroker;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * One Kafka Streams application under measurement, in its own JVM: Breachwatch ({@code java -jar breachwatch.jar run},
 * configured through the environment) or the {@link Passthrough}. Each has a fresh application id and state
 * directory. Optionally under Java Flight Recorder, dumped when the JVM stops.
 */
public final class AppUnderTest implements AutoCloseable {
    private static final Pattern HTTP_URL = Pattern.compile("HTTP API at (http://\\S+)");
    private static final Pattern PASSTHROUGH_RUNNING = Pattern.compile("passthrough: RUNNING");
    private static final Duration STARTUP = Duration.ofSeconds(120);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final ChildJvm jvm;
    private final String applicationId;
    private final Path stateDir;
    private final Path recording;
    private final boolean isBreachwatch;
    private final long launchedNanos;
    private volatile String httpUrl;

    static final String APP_SETTING_PREFIX = "BENCH_APP_";
    /**
     * The JVM options {@code ./breachwatch run} starts with when {@code BREACHWATCH_OPTS} is unset (the launcher
     * script says the same; {@code LauncherDefaultsTest} keeps the two equal): the app under test runs as shipped.
     */
    public static final List<String> RUN_JVM_OPTIONS = List.of("-Xmx512m", "-XX:+ExitOnOutOfMemoryError");
    /** Likewise for {@code ./breachwatch replay}, which adds {@link #HUGE_PAGES_OPTION} where {@link #hugePagesAvailable} says. */
    public static final List<String> REPLAY_JVM_OPTIONS = List.of("-XX:+UseParallelGC", "-XX:InitialRAMPercentage=25");
    /** Where Linux says whether it offers transparent huge pages: {@code always [madvise] never}, the mode in brackets. */
    static final Path HUGE_PAGES_FILE = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
    static final String HUGE_PAGES_OPTION = "-XX:+UseTransparentHugePages";

    private AppUnderTest(ChildJvm jvm, String applicationId, Path stateDir, Path recording, boolean isBreachwatch, long launchedNanos) {
        this.jvm = jvm;
        this.applicationId = applicationId;
        this.stateDir = stateDir;
        this.recording = recording;
        this.isBreachwatch = isBreachwatch;
        this.launchedNanos = launchedNanos;
    }

    /** Where the bench keeps one run's files. */
    public record Setup(Path jar, BenchCluster cluster, Path dir, List<String> jvmOptions, boolean jfr) {
    }

    /**
     * Launches Breachwatch ({@link #awaitReady()} waits for RUNNING) with its default configuration, except: the
     * bench's broker and registry, the application id, state directory and topics of this run, a free HTTP port,
     * and a window-changelog retention that keeps the simulated (days-old) event times from being deleted by the
     * broker under the running transactions (as demo does).
     */
    public static AppUnderTest breachwatch(Setup setup, String applicationId, String input, String incidents, int partitions) {
        var stateDir = setup.dir().resolve("state/" + applicationId);
        var env = new HashMap<String, String>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", setup.cluster().bootstrapServers());
        env.put("BREACHWATCH_REGISTRY_URL", setup.cluster().registry().url());
        env.put("BREACHWATCH_APPLICATION_ID", applicationId);
        env.put("BREACHWATCH_STREAMS_STATE_DIR", stateDir.toString());
        env.put("BREACHWATCH_HTTP_PORT", "0");
        env.put("BREACHWATCH_TOPICS_INPUT", input);
        env.put("BREACHWATCH_TOPICS_INCIDENTS", incidents);
        env.put("BREACHWATCH_TOPICS_DLQ", input + ".dlq");
        env.put("BREACHWATCH_TOPICS_PARTITIONS", Integer.toString(partitions));
        env.putAll(appSettings(System.getenv()));
        var recording = setup.jfr() ? setup.dir().resolve("jfr/" + applicationId + ".jfr") : null;
        var jvmArgs = jvmArgs(breachwatchJvmOptions(setup.jvmOptions()), recording);
        jvmArgs.addAll(List.of("-jar", setup.jar().toString()));
        long launched = System.nanoTime();
        var jvm = ChildJvm.start(applicationId, jvmArgs, List.of("run"), env, setup.dir().resolve("logs/" + applicationId + ".log"));
        return new AppUnderTest(jvm, applicationId, stateDir, recording, true, launched);
    }

    /** Settings the caller gives the app under test: each {@code BENCH_APP_X=v} of the bench's environment becomes {@code X=v}. */
    static Map<String, String> appSettings(Map<String, String> benchEnv) {
        var settings = new TreeMap<String, String>();
        benchEnv.forEach((key, value) -> {
            if (key.startsWith(APP_SETTING_PREFIX) && key.length() > APP_SETTING_PREFIX.length()) {
                settings.put(key.substring(APP_SETTING_PREFIX.length()), value);
            }
        });
        return settings;
    }

    /** Launches the passthrough (returns at once): same input bytes, exactly_once_v2, copied to {@code output}. */
    public static AppUnderTest passthrough(Setup setup, String applicationId, String input, String output) {
        var stateDir = setup.dir().resolve("state/" + applicationId);
        var jvmArgs = jvmArgs(setup.jvmOptions(), null);
        jvmArgs.addAll(List.of("-cp", setup.jar().toString(), Passthrough.class.getName()));
        long launched = System.nanoTime();
        var jvm = ChildJvm.start(applicationId, jvmArgs,
                List.of(setup.cluster().bootstrapServers(), applicationId, input, output, stateDir.toString()),
                Map.of(), setup.dir().resolve("logs/" + applicationId + ".log"));
        return new AppUnderTest(jvm, applicationId, stateDir, null, false, launched);
    }

    /** The options a Breachwatch JVM of the bench runs with: the caller's, or else those of {@code ./breachwatch run}. */
    public static List<String> breachwatchJvmOptions(List<String> given) {
        return given.isEmpty() ? RUN_JVM_OPTIONS : given;
    }

    /** The options the bench's replay JVM runs with: the caller's, or else those of {@code ./breachwatch replay}. */
    public static List<String> replayJvmOptions(List<String> given) {
        return replayJvmOptions(given, hugePagesAvailable(HUGE_PAGES_FILE));
    }

    static List<String> replayJvmOptions(List<String> given, boolean hugePages) {
        if (!given.isEmpty()) {
            return given;
        }
        var options = new ArrayList<>(REPLAY_JVM_OPTIONS);
        if (hugePages) {
            options.add(HUGE_PAGES_OPTION);
        }
        return List.copyOf(options);
    }

    /**
     * Whether {@code file} (Linux's transparent huge pages mode) says {@code [always]} or {@code [madvise]}: the JVM's
     * option is unknown elsewhere and warns where the mode is {@code [never]}, so it is asked for only then.
     */
    static boolean hugePagesAvailable(Path file) {
        try {
            var mode = Files.readString(file);
            return mode.contains("[always]") || mode.contains("[madvise]");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static List<String> jvmArgs(List<String> options, Path recording) {
        var args = new ArrayList<>(options);
        if (recording != null) {
            try {
                Files.createDirectories(recording.getParent());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            args.add("-XX:StartFlightRecording=filename=" + recording + ",settings=profile,dumponexit=true");
        }
        return args;
    }

    /** Waits until Kafka Streams is RUNNING (Breachwatch: /health/ready answers 200; passthrough: it says so). */
    public void awaitReady() throws InterruptedException {
        if (!isBreachwatch) {
            jvm.awaitLine(PASSTHROUGH_RUNNING, STARTUP);
            return;
        }
        var url = jvm.awaitLine(HTTP_URL, STARTUP).group(1);
        httpUrl = url;
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (get(url + "/health/ready") != null) {
                return;
            }
            if (!jvm.isAlive()) {
                throw new IllegalStateException(jvm.name() + " exited before it was ready; " + jvm.tail());
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new IllegalStateException(jvm.name() + " not ready within " + STARTUP.toSeconds() + " s; " + jvm.tail());
    }

    /** The body of a 200 answer, or null. */
    private static String get(String url) {
        try {
            var response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    public String applicationId() {
        return applicationId;
    }

    public ChildJvm jvm() {
        return jvm;
    }

    /** When the JVM was launched (System.nanoTime). */
    public long launchedNanos() {
        return launchedNanos;
    }

    /** Heap in use now (sum of jvm_memory_used_bytes{area="heap"} on /metrics); empty for the passthrough or before HTTP is up. */
    public OptionalLong heapUsedBytes() {
        var body = metricsText();
        if (body == null) {
            return OptionalLong.empty();
        }
        return parseHeapUsed(body);
    }

    /** The app's /metrics page now; null for the passthrough or before HTTP is up. */
    public String metricsText() {
        if (isBreachwatch && httpUrl == null) {
            jvm.findLine(HTTP_URL).ifPresent(m -> httpUrl = m.group(1));
        }
        return httpUrl == null ? null : get(httpUrl + "/metrics");
    }

    static OptionalLong parseHeapUsed(String prometheusText) {
        double sum = 0;
        boolean found = false;
        for (var line : prometheusText.split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                found = true;
            }
        }
        return found ? OptionalLong.of((long) sum) : OptionalLong.empty();
    }

    /** Bytes under the state directory now. */
    public long stateDirBytes() {
        if (!Files.exists(stateDir)) {
            return 0;
        }
        try (var files = Files.walk(stateDir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0; // RocksDB deleted a file while we walked: the next sample counts again
        }
    }

    /** Stops the JVM (SIGTERM; JFR dumps) and returns the recording, if any. */
    public java.util.Optional<Path> stop() throws InterruptedException {
        jvm.stop(Duration.ofSeconds(60));
        return recording != null && Files.exists(recording) ? java.util.Optional.of(recording) : java.util.Optional.empty();
    }

    /** Stops the JVM and deletes its state directory (measured by then; at full size it is large). */
    @Override
    public void close() {
        jvm.close();
        EmbeddedKafkaBroker.deleteRecursively(stateDir);
    }
}
