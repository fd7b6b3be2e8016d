package io.breachwatch.runtime;

import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
import static org.assertj.core.api.Assertions.assertThat;

class ThreadFailurePolicyTest {
    private final AtomicLong now = new AtomicLong();
    private final ThreadFailurePolicy policy = new ThreadFailurePolicy(now::get);

    @Test
    void replacesTheThreadOnATransientKafkaError() {
        assertThat(policy.handle(new StreamsException(new TimeoutException("broker gone")))).isEqualTo(REPLACE_THREAD);
        assertThat(policy.fatalError()).isNull();
    }

    @Test
    void shutsTheClientDownOnABugAndRemembersWhy() {
        var bug = new StreamsException(new IllegalStateException("detector bug"));
        assertThat(policy.handle(bug)).isEqualTo(SHUTDOWN_CLIENT);
        assertThat(policy.fatalError()).isSameAs(bug);
    }

    @Test
    void shutsTheClientDownOnAnError() {
        assertThat(policy.handle(new StreamsException(new OutOfMemoryError()))).isEqualTo(SHUTDOWN_CLIENT);
    }

    @Test
    void aTransientErrorThatKeepsComingBackBecomesFatal() {
        var transientError = new StreamsException(new TimeoutException("again"));
        for (int i = 0; i < ThreadFailurePolicy.MAX_REPLACEMENTS; i++) {
            assertThat(policy.handle(transientError)).isEqualTo(REPLACE_THREAD);
        }
        assertThat(policy.handle(transientError)).isEqualTo(SHUTDOWN_CLIENT);
    }

    @Test
    void replacementBudgetRefillsAfterTheWindow() {
        var transientError = new StreamsException(new TimeoutException("again"));
        for (int i = 0; i < ThreadFailurePolicy.MAX_REPLACEMENTS; i++) {
            policy.handle(transientError);
        }
        now.addAndGet(ThreadFailurePolicy.REPLACEMENT_WINDOW.toNanos() + 1);
        assertThat(policy.handle(transientError)).isEqualTo(REPLACE_THREAD);
    }
}
