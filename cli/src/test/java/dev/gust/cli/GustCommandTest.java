package dev.gust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.cli.dags.DagsCommand;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The root command builds only the subcommand a command line names (start-up), with the same parsing. */
class GustCommandTest {

    @Test
    void aNamedSubcommandIsTheOnlyOneBuilt() {
        assertThat(GustCommand.subcommandsFor("dags", "list")).containsExactly(DagsCommand.class);
        assertThat(GustCommand.subcommandsFor("--config", "gust.yaml", "-v", "dags", "list", "--local"))
                .containsExactly(DagsCommand.class);
        assertThat(GustCommand.subcommandsFor("--config=gust.yaml", "dags")).containsExactly(DagsCommand.class);
        assertThat(GustCommand.subcommandsFor("--version")).isEmpty();
        assertThat(GustCommand.subcommandsFor("-V")).isEmpty();
    }

    @Test
    void helpNoSubcommandAndUnknownNamesGetTheWholeTree() {
        int all = GustCommand.subcommandsFor().size();
        assertThat(all).isGreaterThan(10);
        assertThat(GustCommand.subcommandsFor("--help")).hasSize(all);
        assertThat(GustCommand.subcommandsFor("help", "dags")).hasSize(all);
        assertThat(GustCommand.subcommandsFor("dgas", "list")).hasSize(all);
        assertThat(GustCommand.subcommandsFor("--version", "--help")).hasSize(all);
    }

    @Test
    void inheritedOptionsStillReachTheNamedSubcommand() {
        String[] args = {"dags", "list", "--local", "--config", "elsewhere.yaml", "--verbose"};
        CommandLine commandLine = GustCommand.commandLine(args);
        commandLine.parseArgs(args);
        GustCommand root = commandLine.getCommand();
        assertThat(root.configFile()).isEqualTo(Path.of("elsewhere.yaml"));
        assertThat(root.verbose()).isTrue();
        assertThat(commandLine.getSubcommands()).containsOnlyKeys("dags");
    }

    @Test
    void theVersionIsPrintedWithoutAnySubcommand() {
        String[] args = {"--version"};
        CommandLine commandLine = GustCommand.commandLine(args);
        java.io.StringWriter out = new java.io.StringWriter();
        commandLine.setOut(new java.io.PrintWriter(out));
        assertThat(commandLine.execute(args)).isZero();
        assertThat(out.toString()).startsWith("gust ").contains("Java " + Runtime.version());
        assertThat(commandLine.getSubcommands()).isEmpty();
    }
}
