package io.breachwatch.it;

import io.breachwatch.sim.ScenarioKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code breachwatch run} in its own JVM, killed with SIGKILL in the middle of the stream (no shutdown hook, no
 * commit, an open transaction) and started again with the same state directory and application id: every incident
 * of the fault-free run, with the same final counts, and no revision committed twice (read_committed).
 */
class AppCrashIT {
    private static final String APP_ID = "breachwatch-crash";

    @RegisterExtension
    final FaultStack stack = new FaultStack("app-crash", 1, Map.of());

    @Test
    void losesAndDuplicatesNoIncidentWhenTheProcessIsKilledMidStream() throws Exception {
        var events = FaultStack.recentDay(11, EnumSet.allOf(ScenarioKind.class));
        var reference = stack.reference(events);
        var first = events.subList(0, events.size() * 6 / 10);

        var app = stack.startApp(APP_ID, "a", FaultStack.SHORT_SESSION);
        stack.produce(first);
        var killAt = events.size() * 3 / 10;
        await("some input committed").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50))
                .until(() -> stack.committed(APP_ID) >= killAt);
        var exit = app.kill();
        var committedAtKill = stack.committed(APP_ID);
        System.err.printf("app crash: SIGKILL with %d of %d produced records committed, exit code %d%n", committedAtKill, first.size(), exit);
        assertThat(exit).as("exit code of a JVM killed by SIGKILL").isEqualTo(AppProcess.SIGKILL_EXIT);

        stack.produce(events.subList(first.size(), events.size()));
        stack.startApp(APP_ID, "a", FaultStack.SHORT_SESSION);
        stack.assertSameIncidentsAs(reference, APP_ID, events.size(), "app crash (SIGKILL, restart)", Duration.ofMinutes(6));
    }
}
