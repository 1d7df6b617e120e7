package dev.gust.cli.admin;

import dev.gust.cli.GustCommand;
import dev.gust.cli.common.OutputOption;
import dev.gust.cli.common.Table;
import dev.gust.cli.common.UserError;
import dev.gust.core.config.ConfigValue;
import dev.gust.core.config.GustConfig;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gust config list|get}: the effective configuration, secrets masked. */
@Command(
        name = "config",
        mixinStandardHelpOptions = true,
        description = "Show the effective configuration.",
        subcommands = {ConfigCommand.ListSettings.class, ConfigCommand.GetSetting.class})
public final class ConfigCommand {

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "Print every setting with its value (secrets masked) and where the value came from.")
    static final class ListSettings implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        OutputOption output;

        @Option(names = "--describe", description = "Add each setting's description and environment variable.")
        boolean describe;

        @Override
        public void run() {
            GustConfig config = GustCommand.of(spec).config();
            Table table = describe
                    ? new Table("key", "value", "source", "environment variable", "description")
                    : new Table("key", "value", "source");
            for (ConfigValue value : config.all()) {
                List<String> row = describe
                        ? List.of(
                                value.setting().qualifiedKey(),
                                value.displayValue(),
                                value.source(),
                                value.setting().environmentVariable(),
                                value.setting().description())
                        : List.of(value.setting().qualifiedKey(), value.displayValue(), value.source());
                table.add(row);
            }
            table.print(spec.commandLine().getOut(), output.format());
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Print one setting's value (secrets masked).")
    static final class GetSetting implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "SECTION.KEY", description = "For example core.dags_folder.")
        String key;

        @Override
        public void run() {
            ConfigValue value = GustCommand.of(spec)
                    .config()
                    .get(key)
                    .orElseThrow(() ->
                            new UserError("unknown config key '" + key + "'; 'gust config list' shows every key"));
            spec.commandLine().getOut().println(value.displayValue());
        }
    }
}
