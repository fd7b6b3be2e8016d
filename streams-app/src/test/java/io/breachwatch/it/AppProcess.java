package io.breachwatch.it;

import io.breachwatch.app.Main;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * {@code breachwatch ARGS} in a child JVM, as an operator runs it: the built jar ({@code java -jar breachwatch.jar},
 * which failsafe finds in {@code target/} after {@code package}), or the test classpath when no jar was built.
 * stdout and stderr go to one log file (a pipe read while the process dies can lose its last lines), which
 * {@link #tail} prints when a test fails.
 *
 * <p>No child outlives the test JVM: every process is tracked until it exits, and a shutdown hook kills the ones
 * still running (a test that fails, or a JVM stopped while a test runs). Tests also {@link #close()} them.
 */
final class AppProcess implements AutoCloseable {
    /** SIGKILL is signal 9: a JVM killed by it exits with 128 + 9. */
    static final int SIGKILL_EXIT = 137;
    private static final Pattern HTTP_URL = Pattern.compile("HTTP API at (http://[0-9.]+:\\d+)");
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "kill-app-processes"));
    }

    private final String name;
    private final Process process;
    private final Path log;

    private AppProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        LIVE.add(process);
        process.onExit().thenRun(() -> LIVE.remove(process));
    }

    /** Starts {@code breachwatch args...} with a small heap; output appended to {@code log}. */
    static AppProcess start(String name, Path log, String... args) {
        var command = new ArrayList<>(javaCommand());
        command.addAll(List.of(args));
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, "$ " + String.join(" ", command) + "\n", StandardCharsets.UTF_8);
            var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            // only the config file configures the child: no BREACHWATCH_* or KAFKA_* variable of the test's environment
            builder.environment().keySet().removeIf(k -> k.startsWith("BREACHWATCH_") || k.startsWith("KAFKA_"));
            return new AppProcess(name, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, e);
        }
    }

    /** Runs to completion (e.g. {@code replay}) and returns the exit code; fails after {@code timeout}. */
    static int run(String name, Path log, Duration timeout, String... args) throws InterruptedException {
        try (var child = start(name, log, args)) {
            if (!child.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " did not finish within " + timeout + "\n" + child.tail(40));
            }
            return child.process.exitValue();
        }
    }

    private static List<String> javaCommand() {
        var java = ProcessHandle.current().info().command().orElse("java");
        var jar = System.getProperty("breachwatch.jar");
        var jvm = List.of(java, "-Xmx384m", "-XX:+UseSerialGC");
        var command = new ArrayList<>(jvm);
        if (jar != null && Files.isRegularFile(Path.of(jar))) {
            command.addAll(List.of("-jar", jar));
        } else {
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        }
        return command;
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The HTTP API base URL the child printed at start, once it has. */
    Optional<String> httpUrl() {
        var m = HTTP_URL.matcher(text());
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** Waits for the banner line with the HTTP URL; fails early when the child exits first. */
    String awaitHttpUrl(Duration timeout) {
        return await(name + " prints its HTTP API URL").atMost(timeout).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new AssertionError(name + " exited with " + process.exitValue() + " before it started\n" + tail(60));
                    }
                    return httpUrl();
                }, Optional::isPresent).orElseThrow();
    }

    /**
     * Kills the JVM without any shutdown: {@link Process#destroyForcibly()} sends SIGKILL on Linux (no shutdown hook,
     * no close, no commit). Returns the exit code, 137 (128 + SIGKILL) when the signal killed it.
     */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError(name + " (pid " + process.pid() + ") still alive 30 s after SIGKILL");
        }
        return process.exitValue();
    }

    String text() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** The last {@code lines} lines of the child's output, headed by its name and log file. */
    String tail(int lines) {
        var all = text().split("\n", -1);
        var from = Math.max(0, all.length - lines);
        return "---- " + name + " (" + log + "), last " + (all.length - from) + " lines ----\n"
                + String.join("\n", List.of(all).subList(from, all.length));
    }

    /** Kills the child if it still runs. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
