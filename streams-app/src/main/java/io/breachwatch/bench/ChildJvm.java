package io.breachwatch.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A child JVM of the bench (broker, Breachwatch, passthrough, replay), its stdout and stderr in one log file.
 * A child never outlives the bench: {@link #close()} stops it (SIGTERM, then SIGKILL), and a shutdown hook kills
 * whatever is still running when the bench JVM ends for any reason short of SIGKILL.
 *
 * <p>The environment is the bench's minus every {@code BREACHWATCH_*} and {@code KAFKA_*} variable, plus
 * {@code env}: a child's configuration is exactly what the bench gives it.
 */
public final class ChildJvm implements AutoCloseable {
    private static final Set<ChildJvm> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(ChildJvm::kill), "bench-kill-children"));
    }

    private final String name;
    private final Process process;
    private final Path log;

    private ChildJvm(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code java <jvmArgs...> <args...>} with the bench's own java binary. */
    public static ChildJvm start(String name, List<String> jvmArgs, List<String> args, Map<String, String> env, Path log) {
        var command = new ArrayList<String>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.addAll(args);
        var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("BREACHWATCH_") || k.startsWith("KAFKA_"));
        builder.environment().putAll(env);
        try {
            Files.createDirectories(log.getParent());
            var child = new ChildJvm(name, builder.start(), log);
            LIVE.add(child);
            return child;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Waits until the log has a line matching {@code pattern} and returns the match; fails when the child exits
     * first or the time runs out, with the log's last lines.
     */
    public Matcher awaitLine(Pattern pattern, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            var found = findLine(pattern);
            if (found.isPresent()) {
                return found.get();
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited (code " + process.exitValue() + ") before printing /" + pattern + "/; " + tail());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " did not print /" + pattern + "/ within " + timeout.toSeconds() + " s; " + tail());
            }
            TimeUnit.MILLISECONDS.sleep(100); // polling a file: nothing to wait on
        }
    }

    /** The first log line matching {@code pattern} so far. */
    public Optional<Matcher> findLine(Pattern pattern) {
        for (var line : lines()) {
            var matcher = pattern.matcher(line);
            if (matcher.find()) {
                return Optional.of(matcher);
            }
        }
        return Optional.empty();
    }

    /** Waits for the child to exit by itself; true when it did within the timeout. */
    public boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public int exitValue() {
        return process.exitValue();
    }

    /** Peak resident set size (VmHWM in /proc/PID/status), in bytes; empty off Linux or after exit. */
    public Optional<Long> peakRssBytes() {
        return procStatus("VmHWM:");
    }

    private Optional<Long> procStatus(String key) {
        try {
            for (var line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith(key)) {
                    var kib = line.substring(key.length()).trim().split("\\s+")[0];
                    return Optional.of(Long.parseLong(kib) * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process is gone
        }
        return Optional.empty();
    }

    /** The log's last lines, for error messages. */
    public String tail() {
        var lines = lines();
        return "last lines of " + log + ":\n  " + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    }

    private List<String> lines() {
        try {
            return Files.exists(log) ? List.of(Files.readString(log, StandardCharsets.UTF_8).split("\n")) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** SIGTERM and wait up to {@code grace} (a clean stop: JFR dumps its recording), then SIGKILL. True when it stopped cleanly. */
    public boolean stop(Duration grace) throws InterruptedException {
        if (!process.isAlive()) {
            LIVE.remove(this);
            return true;
        }
        process.destroy();
        boolean clean = process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
        if (!clean) {
            kill();
        }
        LIVE.remove(this);
        return clean;
    }

    @Override
    public void close() {
        try {
            stop(Duration.ofSeconds(20));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }

    private void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
