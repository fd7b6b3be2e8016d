package io.breachwatch.app;

import io.breachwatch.config.AppConfig;
import io.breachwatch.runtime.GracefulShutdown;
import io.breachwatch.runtime.StartupChecks;
import io.breachwatch.runtime.StartupException;
import io.breachwatch.runtime.Service;
import io.breachwatch.schema.Incident;
import io.breachwatch.serde.RegistryConfig;
import io.breachwatch.serde.RegistryException;
import io.breachwatch.serde.SchemaRegistries;
import io.breachwatch.serde.WireFormat;
import io.breachwatch.serde.SchemaRegistryClient;
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
        var registry = schemaRegistry(config);
        Service service;
        try {
            service = new Service(config, registry);
        } catch (RuntimeException e) {
            registry.close();
            throw e;
        }
        var shutdown = GracefulShutdown.install();
        service.registerWith(shutdown);
        var runtime = service.runtime();
        try {
            service.start();
            spec.commandLine().getOut().println("breachwatch: HTTP API at " + service.httpUrl()
                    + " (/metrics, /health/live, /health/ready, /api/incidents, /api/actors/{tenant}/{user}, /api/topology)");
            spec.commandLine().getOut().flush();
            service.awaitTermination();
        } finally {
            shutdown.uninstall();
            service.close();
            registry.close();
        }
        if (runtime.failed()) {
            spec.commandLine().getErr().println("breachwatch: stopped on a fatal error"
                    + runtime.failure().map(e -> ": " + e.getClass().getSimpleName() + ": " + e.getMessage()).orElse("")
                    + " (see the log above)");
            return Main.EXIT_FAILURE;
        }
        return Main.EXIT_OK;
    }

    /**
     * The registry client; a remote registry is checked at start by registering the Incident schema under the
     * incidents topic's subject (what the app will write), so an unreachable or refusing registry fails within
     * seconds with its URL, HTTP status and error_code rather than on the first incident.
     */
    private static SchemaRegistryClient schemaRegistry(AppConfig config) {
        var registryConfig = RegistryConfig.from(config.settings());
        var client = SchemaRegistries.create(registryConfig);
        if (registryConfig.isEmbedded()) {
            log.warn("registry.url=embedded: using an in-memory schema registry, which can only read records written by this process; set registry.url for production");
            return client;
        }
        try {
            client.register(WireFormat.subject(config.topology().incidentsTopic(), false), Incident.getClassSchema());
        } catch (RegistryException e) {
            client.close();
            throw new StartupException("schema registry check failed: " + e.getMessage());
        }
        return client;
    }
}
