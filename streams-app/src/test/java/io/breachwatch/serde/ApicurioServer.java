package io.breachwatch.serde;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real Apicurio Registry (3.x, {@code quarkus-run.jar}, in-memory storage) in a child JVM on a free loopback port,
 * for integration tests. It needs Java 21+, which may not be the JVM running the tests: {@link #findJava21()}.
 * The Maven build unpacks it into {@code target/apicurio} in the pre-integration-test phase.
 *
 * <pre>{@code
 * ApicurioServer.whyUnavailable().ifPresent(reason -> Assumptions.abort(reason));
 * try (var registry = ApicurioServer.start(Path.of("target", "apicurio-it.log"))) {
 *     var client = new HttpSchemaRegistryClient(registry.ccompatUrl());
 * }
 * }</pre>
 */
public final class ApicurioServer implements AutoCloseable {
    /** System property or environment variable: a Java 21+ home (or its bin/java) to run Apicurio with. */
    public static final String JAVA21 = "BREACHWATCH_JAVA21";
    /** System property: where quarkus-run.jar is; default target/apicurio. */
    public static final String HOME = "apicurio.home";
    private static final Path TEMURIN_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
    private static final Path JVM_DIR = Path.of("/usr/lib/jvm");
    private static final Duration STARTUP_LIMIT = Duration.ofMinutes(3);
    private static final Pattern VERSION = Pattern.compile("version \"(1\\.)?(\\d+)");

    private final Process process;
    private final int port;
    private final Path log;
    private final Duration startupTime;
    private final Thread killOnExit;

    private ApicurioServer(Process process, int port, Path log, Duration startupTime, Thread killOnExit) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.startupTime = startupTime;
        this.killOnExit = killOnExit;
    }

    /** Why {@link #start} cannot run here (no Java 21+, or the unpacked app is missing), or empty when it can. */
    public static Optional<String> whyUnavailable() {
        if (findJava21().isEmpty()) {
            return Optional.of("Apicurio Registry needs Java 21+ and none was found (set " + JAVA21
                    + " to a JDK 21+ home, or install one under " + JVM_DIR + ")");
        }
        if (!Files.isRegularFile(quarkusRunJar())) {
            return Optional.of(quarkusRunJar() + " is missing: run the tests through `mvn verify` "
                    + "(the pre-integration-test phase unpacks io.apicurio:apicurio-registry-app:tar.gz:all there)");
        }
        return Optional.empty();
    }

    /** Starts Apicurio with the Java that {@link #findJava21()} finds and waits until its ccompat API answers. */
    public static ApicurioServer start(Path log) {
        whyUnavailable().ifPresent(reason -> {
            throw new IllegalStateException(reason);
        });
        return start(findJava21().orElseThrow(), quarkusRunJar(), log);
    }

    public static ApicurioServer start(Path java, Path quarkusRunJar, Path log) {
        quarkusRunJar = quarkusRunJar.toAbsolutePath();
        log = log.toAbsolutePath();
        var port = freePort();
        // quarkus.management.enabled is fixed when Apicurio is built: 3.3.3 opens its management interface anyway,
        // by default on 0.0.0.0:9000. Keep it on loopback and on a free port so that two registries never collide.
        var command = List.of(java.toString(), "-Xmx512m",
                "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port,
                "-Dquarkus.management.enabled=false",
                "-Dquarkus.management.host=127.0.0.1", "-Dquarkus.management.port=" + freePort(),
                "-jar", quarkusRunJar.toString());
        var started = System.nanoTime();
        Process process;
        try {
            Files.createDirectories(log.getParent());
            process = new ProcessBuilder(command).directory(quarkusRunJar.getParent().toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
        var killOnExit = new Thread(process::destroyForcibly, "apicurio-kill-on-exit");
        Runtime.getRuntime().addShutdownHook(killOnExit);
        try {
            awaitReady(process, ccompatUrl(port), log);
        } catch (RuntimeException e) {
            stop(process, killOnExit);
            throw e;
        }
        return new ApicurioServer(process, port, log, Duration.ofNanos(System.nanoTime() - started), killOnExit);
    }

    /** The Confluent-compatible API: {@code http://127.0.0.1:PORT/apis/ccompat/v7}. */
    public String ccompatUrl() {
        return ccompatUrl(port);
    }

    private static String ccompatUrl(int port) {
        return "http://127.0.0.1:" + port + "/apis/ccompat/v7";
    }

    public int port() {
        return port;
    }

    /** From starting the JVM to the first good answer of the ccompat API. */
    public Duration startupTime() {
        return startupTime;
    }

    public Path log() {
        return log;
    }

    private static void awaitReady(Process process, String ccompatUrl, Path log) {
        var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        var probe = HttpRequest.newBuilder(URI.create(ccompatUrl + "/subjects")).timeout(Duration.ofSeconds(5)).GET().build();
        try {
            Awaitility.await("Apicurio Registry ccompat API at " + ccompatUrl)
                    .atMost(STARTUP_LIMIT)
                    .pollInterval(Duration.ofMillis(250))
                    .failFast("Apicurio Registry exited during startup", () -> !process.isAlive())
                    .ignoreExceptionsInstanceOf(IOException.class)
                    .until(() -> http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        } catch (ConditionTimeoutException | org.awaitility.core.TerminalFailureException e) {
            throw new IllegalStateException(e.getMessage() + "; last lines of " + log + ":\n" + tail(log, 30), e);
        }
    }

    @Override
    public void close() {
        stop(process, killOnExit);
    }

    private static void stop(Process process, Thread killOnExit) {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException alreadyExiting) {
            // the JVM is shutting down and runs the hook anyway
        }
    }

    static Path quarkusRunJar() {
        return Path.of(System.getProperty(HOME, Path.of("target", "apicurio").toString())).resolve("quarkus-run.jar");
    }

    /**
     * A {@code java} of version 21 or later: {@value #JAVA21} (system property, then environment), then the
     * Temurin 25 JDK these machines ship, then any JDK under /usr/lib/jvm.
     */
    public static Optional<Path> findJava21() {
        var candidates = new ArrayList<Path>();
        Stream.of(System.getProperty(JAVA21), System.getenv(JAVA21))
                .filter(s -> s != null && !s.isBlank()).map(Path::of).forEach(candidates::add);
        candidates.add(TEMURIN_25);
        if (Files.isDirectory(JVM_DIR)) {
            try (var homes = Files.list(JVM_DIR)) {
                homes.sorted().forEach(candidates::add);
            } catch (IOException e) {
                // no scan; the explicit candidates remain
            }
        }
        return candidates.stream().map(ApicurioServer::javaExecutable).flatMap(Optional::stream)
                .filter(java -> majorVersion(java) >= 21).findFirst();
    }

    private static Optional<Path> javaExecutable(Path homeOrBinary) {
        var java = Files.isDirectory(homeOrBinary) ? homeOrBinary.resolve("bin").resolve("java") : homeOrBinary;
        return Files.isExecutable(java) && !Files.isDirectory(java) ? Optional.of(java) : Optional.empty();
    }

    /** The feature version of {@code java} by {@code java -version}, or 0 when it cannot be told. */
    static int majorVersion(Path java) {
        try {
            var process = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true).start();
            var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return 0;
            }
            var matcher = VERSION.matcher(output);
            return matcher.find() ? Integer.parseInt(matcher.group(2)) : 0;
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private static int freePort() {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(Path file, int lines) {
        try {
            var all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read the log: " + e.getMessage() + ")";
        }
    }
}
