package io.breachwatch.app;

import io.breachwatch.config.AppConfig;
import io.breachwatch.config.ConfigDocs;
import io.breachwatch.config.ConfigException;
import io.breachwatch.runtime.StartupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * {@code breachwatch}: the command line. Exit codes: {@value #EXIT_OK} ok, {@value #EXIT_FAILURE} runtime or
 * startup failure, {@value #EXIT_CONFIG} bad configuration or usage.
 *
 * <p>Tests call {@link #execute}, which returns the exit code; only {@link #main} calls {@code System.exit}.
 */
@Command(name = "breachwatch", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Real-time data-breach detection for CRM access logs on Kafka Streams.",
        subcommands = {
                RunCommand.class,
                ConfigCommand.class,
                DemoCommand.class,
                ReplayCommand.class,
                GenerateCommand.class,
                DlqReplayCommand.class,
                BenchCommand.class,
                CommandLine.HelpCommand.class,
        })
public final class Main implements Callable<Integer> {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_CONFIG = 2;
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private final Map<String, String> env;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    Main(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** The environment the commands read configuration overrides from (the process's, or a test's). */
    public Map<String, String> env() {
        return env;
    }

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: choose one of the commands below");
    }

    public static void main(String[] args) {
        System.exit(execute(args, System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line and returns its exit code; never exits the JVM. */
    public static int execute(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        return commandLine(env).setOut(out).setErr(err).execute(args);
    }

    static CommandLine commandLine(Map<String, String> env) {
        var commandLine = new CommandLine(new Main(env))
                .setExecutionExceptionHandler(Main::handleFailure)
                .setUsageHelpAutoWidth(true)
                .setUsageHelpLongOptionsMaxWidth(28);
        commandLine.getSubcommands().get("run").getCommandSpec().usageMessage()
                .footerHeading("%nConfiguration keys (defaults < --config file < environment):%n%n")
                .footer(ConfigDocs.plainText(AppConfig.fields()).replace("%", "%%"));
        return commandLine;
    }

    /** One line on stderr, no stack trace, for the failures a user can fix; the exit code says which kind. */
    private static int handleFailure(Exception e, CommandLine commandLine, ParseResult parseResult) {
        var err = commandLine.getErr();
        if (e instanceof ConfigException) {
            err.println("breachwatch: configuration error: " + e.getMessage());
            return EXIT_CONFIG;
        }
        if (e instanceof StartupException) {
            err.println("breachwatch: cannot start: " + e.getMessage());
            return EXIT_FAILURE;
        }
        log.error("Unexpected failure", e);
        err.println("breachwatch: failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        return EXIT_FAILURE;
    }

    /** {@code --config FILE} for every command that reads the configuration. */
    static final class ConfigFile {
        @Option(names = {"-c", "--config"}, paramLabel = "FILE",
                description = "Properties file (optional); environment variables override it")
        Path file;

        AppConfig load(Map<String, String> env) {
            return AppConfig.load(file, env);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            var version = Main.class.getPackage().getImplementationVersion();
            return new String[]{
                    "breachwatch " + (version == null ? "(development build)" : version),
                    "Kafka Streams " + kafkaVersion() + ", Java " + Runtime.version()};
        }

        private static String kafkaVersion() {
            try (var in = Main.class.getClassLoader().getResourceAsStream("kafka/kafka-version.properties")) {
                var props = new Properties();
                if (in != null) {
                    props.load(in);
                }
                return props.getProperty("version", "unknown");
            } catch (IOException e) {
                return "unknown";
            }
        }
    }
}
