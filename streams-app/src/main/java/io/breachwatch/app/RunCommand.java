package io.breachwatch.app;

import io.breachwatch.config.AppConfig;
import io.breachwatch.runtime.GracefulShutdown;
import io.breachwatch.runtime.StartupChecks;
import io.breachwatch.runtime.StreamsProperties;
import io.breachwatch.runtime.StreamsRuntime;
import io.breachwatch.serde.InMemorySchemaRegistry;
import io.breachwatch.serde.SchemaRegistryClient;
import io.breachwatch.topology.BreachwatchTopology;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.concurrent.Callable;

/** {@code breachwatch run}: the service, against an external Kafka cluster and schema registry. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run Breachwatch against an external Kafka cluster and schema registry until stopped (SIGTERM, Ctrl-C).",
                "Exit codes: 0 stopped cleanly, 1 startup or runtime failure, 2 bad configuration."})
final class RunCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @ParentCommand
    private Main main;

    @Spec
    private CommandSpec spec;

    @Mixin
    private Main.ConfigFile configFile;

    @Override
    public Integer call() throws InterruptedException {
        var config = configFile.load(main.env());
        try (var checks = new StartupChecks(config)) {
            checks.checkCluster();
            checks.ensureTopics(StartupChecks.requiredTopics(config), config.createTopics());
        }
        var meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        var registry = schemaRegistry(config);
        var topology = BreachwatchTopology.build(config.topology(), registry, meters);
        var runtime = new StreamsRuntime(topology, StreamsProperties.from(config));
        var shutdown = GracefulShutdown.install()
                .add("kafka streams", () -> runtime.close(config.shutdownTimeout()));
        try {
            runtime.start();
            // HTTP: the http work opens its server here, after start (STYLE.md), and registers it:
            // shutdown.add("http", () -> { server.close(); return true; });
            runtime.awaitTermination();
        } finally {
            shutdown.uninstall();
            runtime.close(config.shutdownTimeout());
            registry.close();
            meters.close();
        }
        if (runtime.failed()) {
            spec.commandLine().getErr().println("breachwatch: stopped on a fatal error"
                    + runtime.failure().map(e -> ": " + e.getClass().getSimpleName() + ": " + e.getMessage()).orElse("")
                    + " (see the log above)");
            return Main.EXIT_FAILURE;
        }
        return Main.EXIT_OK;
    }

    private static SchemaRegistryClient schemaRegistry(AppConfig config) {
        // REGISTRY: when io.breachwatch.serde.RegistryConfig lands, return its HTTP client here (and check that the
        // registry answers, like StartupChecks.checkCluster), e.g. RegistryConfig.from(config.settings()).client()
        log.warn("No schema registry client is wired yet: using an in-memory registry, which can only read records written by this process");
        return new InMemorySchemaRegistry();
    }
}
