package io.breachwatch.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.IntConsumer;

/**
 * The one JVM shutdown hook (SIGTERM, Ctrl-C): closes what was registered, newest first (HTTP before Kafka
 * Streams before an embedded broker), each within its own timeout, then ends the process with exit code 0 when
 * everything closed cleanly and 1 otherwise (without this the JVM would report 143/130 for a clean stop).
 * Register with {@link #add} rather than installing more hooks: JVM hooks run concurrently, in no order.
 *
 * <p>When the application ends by itself, call {@link #uninstall()} (after closing normally) so that the exit
 * code of the command stands.
 */
public final class GracefulShutdown implements Runnable {
    /** Closes one thing; returns false when it did not finish in time. */
    @FunctionalInterface
    public interface Step {
        boolean close() throws Exception;
    }

    private record Named(String name, Step step) {
    }

    private static final Logger log = LoggerFactory.getLogger(GracefulShutdown.class);

    private final Deque<Named> steps = new ArrayDeque<>();
    private final IntConsumer halt;
    private Thread hook;

    GracefulShutdown(IntConsumer halt) {
        this.halt = halt;
    }

    /** Installs the hook; it halts the JVM with the stop's exit code once everything is closed. */
    public static GracefulShutdown install() {
        var shutdown = new GracefulShutdown(code -> Runtime.getRuntime().halt(code));
        shutdown.hook = new Thread(shutdown, "breachwatch-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown.hook);
        return shutdown;
    }

    public synchronized GracefulShutdown add(String name, Step step) {
        steps.push(new Named(name, step));
        return this;
    }

    /** Removes the hook; a no-op when the JVM is already shutting down (the hook is running then). */
    public void uninstall() {
        if (hook == null) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running and will end the process
        }
    }

    @Override
    public void run() {
        log.info("Stopping");
        var clean = true;
        Named next;
        while ((next = poll()) != null) {
            clean &= closeQuietly(next);
        }
        if (clean) {
            log.info("Stopped cleanly");
        } else {
            log.warn("Stopped, but not everything closed cleanly (exit code 1)");
        }
        System.out.flush();
        System.err.flush();
        halt.accept(clean ? 0 : 1);
    }

    private synchronized Named poll() {
        return steps.poll();
    }

    private static boolean closeQuietly(Named named) {
        try {
            return named.step().close();
        } catch (Exception e) {
            log.warn("Closing {} failed: {}", named.name(), ThreadFailurePolicy.describe(e));
            return false;
        }
    }
}
