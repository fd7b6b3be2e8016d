package io.breachwatch.app;

import io.breachwatch.config.AppConfig;
import io.breachwatch.config.ConfigDocs;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.concurrent.Callable;

/** {@code breachwatch config}: every configuration key from the one Field list, or a check of a configuration. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "List every configuration key (default), print the README table, or check a configuration.")
final class ConfigCommand implements Callable<Integer> {
    static final class Mode {
        @Option(names = "--list", description = "Every key with its environment variable, default, allowed values and meaning")
        boolean list;
        @Option(names = "--markdown", description = "The same as a Markdown table (the README's configuration table)")
        boolean markdown;
        @Option(names = "--check", description = "Validate the configuration (--config FILE and the environment) and exit: 0 valid, 2 invalid")
        boolean check;
    }

    @ParentCommand
    private Main main;

    @Spec
    private CommandSpec spec;

    @ArgGroup(exclusive = true)
    private Mode mode = new Mode();

    @Mixin
    private Main.ConfigFile configFile;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        if (mode.check) {
            var config = configFile.load(main.env());
            out.println("configuration is valid (application.id " + config.applicationId() + ")");
        } else if (mode.markdown) {
            out.print(ConfigDocs.markdownTable(AppConfig.fields()));
        } else {
            out.print(ConfigDocs.plainText(AppConfig.fields()));
        }
        out.flush();
        return Main.EXIT_OK;
    }
}
