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
 * The only broker stopped for 30 s in the middle of the stream and started again on the same port and data
 * directory, while {@code breachwatch run} (its own JVM, default client settings) keeps running: it recovers by
 * itself, with every incident of the fault-free run and no revision committed twice.
 */
class BrokerOutageIT {
    private static final String APP_ID = "breachwatch-outage";
    private static final Duration OUTAGE = Duration.ofSeconds(30);

    @RegisterExtension
    final FaultStack stack = new FaultStack("broker-outage", 1, Map.of());

    @Test
    void recoversByItselfAndLosesNoIncidentWhenTheBrokerIsDownFor30Seconds() throws Exception {
        var events = FaultStack.recentDay(13, EnumSet.allOf(ScenarioKind.class));
        var reference = stack.reference(events);
        var first = events.subList(0, events.size() * 6 / 10);

        var app = stack.startApp(APP_ID, "a", Map.of());
        stack.produce(first);
        await("some input committed").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50))
                .until(() -> stack.committed(APP_ID) >= events.size() * 3L / 10);
        stack.broker.stop();
        long down = System.nanoTime();
        // the outage itself: the app must stay up all along (checked every 100 ms, not a sleep)
        await("the app stays up while the broker is down").during(OUTAGE).atMost(OUTAGE.plusSeconds(10))
                .pollInterval(Duration.ofMillis(100)).until(app::isAlive);
        stack.broker.start();
        System.err.printf("broker outage: broker down %.1f s, app pid %d alive throughout%n", (System.nanoTime() - down) / 1e9, app.pid());

        stack.produce(events.subList(first.size(), events.size()));
        stack.assertSameIncidentsAs(reference, APP_ID, events.size(), "broker outage (30 s)", Duration.ofMinutes(6));
        assertThat(app.isAlive()).as("the same app process, never restarted").isTrue();
        System.err.printf("broker outage: stream threads replaced on transient errors: %d%n",
                app.text().lines().filter(l -> l.contains("replacing it")).count());
    }
}
