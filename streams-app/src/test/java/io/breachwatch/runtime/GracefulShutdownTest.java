package io.breachwatch.runtime;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class GracefulShutdownTest {
    private final AtomicInteger exitCode = new AtomicInteger(-1);
    private final GracefulShutdown shutdown = new GracefulShutdown(exitCode::set);
    private final List<String> closed = new ArrayList<>();

    @Test
    void closesNewestFirstAndExitsZeroWhenClean() {
        shutdown.add("broker", () -> closed.add("broker"))
                .add("streams", () -> closed.add("streams"))
                .add("http", () -> closed.add("http"));
        shutdown.run();
        assertThat(closed).containsExactly("http", "streams", "broker");
        assertThat(exitCode).hasValue(0);
    }

    @Test
    void exitsOneWhenSomethingDidNotCloseInTimeButClosesTheRest() {
        shutdown.add("broker", () -> closed.add("broker")).add("streams", () -> false);
        shutdown.run();
        assertThat(closed).containsExactly("broker");
        assertThat(exitCode).hasValue(1);
    }

    @Test
    void exitsOneWhenClosingThrowsButClosesTheRest() {
        shutdown.add("broker", () -> closed.add("broker")).add("http", () -> {
            throw new IllegalStateException("boom");
        });
        shutdown.run();
        assertThat(closed).containsExactly("broker");
        assertThat(exitCode).hasValue(1);
    }
}
