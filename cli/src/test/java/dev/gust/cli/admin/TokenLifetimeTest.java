package dev.gust.cli.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code gust users token --expires-in}: core's duration syntax, {@code never}, 90 days unless told. */
class TokenLifetimeTest {

    static Duration lifetime(String... args) {
        UsersCommand.Token token = new UsersCommand.Token();
        new CommandLine(token).parseArgs(args);
        return token.lifetime;
    }

    @Test
    void readsDurationsAsTheOtherDurationOptionsDo() {
        assertThat(lifetime("--username", "alice")).isEqualTo(Duration.ofDays(90));
        assertThat(lifetime("--username", "alice", "--expires-in", "30d")).isEqualTo(Duration.ofDays(30));
        assertThat(lifetime("--username", "alice", "--expires-in", "12h")).isEqualTo(Duration.ofHours(12));
        assertThat(lifetime("--username", "alice", "--expires-in", "45m")).isEqualTo(Duration.ofMinutes(45));
        assertThat(lifetime("--username", "alice", "--expires-in", "1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(lifetime("--username", "alice", "--expires-in", "2w")).isEqualTo(Duration.ofDays(14));
        assertThat(lifetime("--username", "alice", "--expires-in", "never")).isNull();
        assertThat(lifetime("--username", "alice", "--expires-in", "Never")).isNull();
    }

    @Test
    void refusesWhatIsNotALifetimeNamingTheOptionAndExamples() {
        for (String bad : new String[] {"soon", "", "0", "0d", "PT-5M", "30x"}) {
            assertThatThrownBy(() -> lifetime("--username", "alice", "--expires-in", bad))
                    .as(bad)
                    .isInstanceOf(CommandLine.ParameterException.class)
                    .hasMessage("Invalid value for option '--expires-in': '" + bad
                            + "' is not a lifetime; write it as 30d, 12h, 45m or never");
        }
    }
}
