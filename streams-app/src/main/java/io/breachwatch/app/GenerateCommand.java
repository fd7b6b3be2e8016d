package io.breachwatch.app;

import io.breachwatch.serde.JsonEvents;
import io.breachwatch.sim.ScenarioLabel;
import io.breachwatch.sim.SimConfig;
import io.breachwatch.sim.Simulator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.Writer;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code generate}: the simulator's events as JSON lines, and the injected scenarios as labels. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Write synthetic CRM access events (JSON lines, the format replay reads) with labelled breach scenarios.")
public final class GenerateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--users", defaultValue = "500", description = "Accounts in total, split over the tenants (default ${DEFAULT-VALUE})")
    int users;

    @Option(names = "--days", defaultValue = "7", description = "Simulated days from Monday 2025-03-03 00:00 Asia/Shanghai (default ${DEFAULT-VALUE})")
    int days;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed: same seed, same events (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--tenants", defaultValue = "3", description = "CRM organisations (default ${DEFAULT-VALUE})")
    int tenants;

    @Option(names = "--out", defaultValue = "-", description = "Events file, '-' for stdout (default ${DEFAULT-VALUE})")
    String out;

    @Option(names = "--labels", description = "Write the injected scenarios here, one JSON per line ('-' for stdout)")
    String labels;

    @Override
    public Integer call() throws IOException {
        SimConfig config;
        try {
            config = SimConfig.of(seed, users, tenants, days);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "generate: " + e.getMessage());
        }
        var simulator = new Simulator(config);
        long count = 0;
        double span = Duration.between(config.start(), config.end()).toMillis();
        try (Writer writer = TextFiles.writer(out); var progress = new ProgressBar("generate")) {
            var events = simulator.events();
            while (events.hasNext()) {
                var event = events.next();
                writer.write(JsonEvents.toJson(event));
                writer.write('\n');
                if (++count % 10_000 == 0) {
                    progress.update(Duration.between(config.start(), event.getTimestamp()).toMillis() / span, count);
                }
            }
        }
        if (labels != null) {
            try (Writer writer = TextFiles.writer(labels)) {
                for (ScenarioLabel label : simulator.labels()) {
                    writer.write(label.toJson());
                    writer.write('\n');
                }
            }
        }
        System.err.printf("generate: %,d events, %d users, %d tenants, %d days, %d scenarios (seed %d)%n",
                count, users, tenants, days, simulator.labels().size(), seed);
        return 0;
    }
}
