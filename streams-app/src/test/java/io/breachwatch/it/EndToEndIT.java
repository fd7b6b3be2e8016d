package io.breachwatch.it;

import io.breachwatch.embedded.LocalDetector;
import io.breachwatch.sim.DetectionCheck;
import io.breachwatch.sim.ScenarioLabel;
import io.breachwatch.sim.Simulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Avro events through the serde into crm.access-events on a real broker; incidents read back read_committed. */
class EndToEndIT {
    @TempDir
    Path stateDir;

    @Test
    void detectsEveryInjectedScenarioByItsRuleAndNoBenignAccount() {
        assumeTrue(DetectionCheck.detectorsPresent(), "detector topology is still the stub: detection is checked once it is merged");
        var sim = new Simulator(LiveStack.twoRecentDays(5));
        var events = sim.stream().toList();
        try (var stack = new LiveStack();
             var detector = new LocalDetector(stack.broker.bootstrapServers(), stack.registry, stack.config, "breachwatch-e2e", stateDir)) {
            detector.start();
            long t0 = System.nanoTime();
            stack.produce(events);

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ZERO)
                    .untilAsserted(() -> assertThat(DetectionCheck.undetected(sim.labels(), stack.poll())).isEmpty());
            System.err.printf("end to end: %d events, %d scenarios detected in %.1f s%n", events.size(), sim.labels().size(), (System.nanoTime() - t0) / 1e9);

            // the schedule depends on the start day (two recent days): every kind needs not fall in them, but most do
            assertThat(sim.labels().stream().map(ScenarioLabel::kind).distinct().count()).as("scenario kinds injected").isGreaterThanOrEqualTo(3);
            DetectionCheck.assertEveryScenarioDetectedAndNothingElse(sim.labels(), DetectionCheck.found(stack.received));
        }
    }
}
