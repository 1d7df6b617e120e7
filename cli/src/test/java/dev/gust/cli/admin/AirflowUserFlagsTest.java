package dev.gust.cli.admin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code gust users create} takes Airflow's {@code --firstname}/{@code --lastname} (and -f/-l), which scripts pass. */
class AirflowUserFlagsTest {

    static UsersCommand.Create create(String... args) {
        UsersCommand.Create create = new UsersCommand.Create();
        new CommandLine(create).parseArgs(args);
        return create;
    }

    @Test
    void readsAirflowsNameFlagsLongAndShort() {
        UsersCommand.Create airflowStyle = create(
                "--username",
                "admin",
                "--firstname",
                "Peter",
                "--lastname",
                "Parker",
                "--role",
                "Admin",
                "--email",
                "spiderman@superhero.org");
        assertThat(airflowStyle.firstName).isEqualTo("Peter");
        assertThat(airflowStyle.lastName).isEqualTo("Parker");
        UsersCommand.Create shortFlags = create("--username", "ann", "-f", "Ann", "-l", "Lee", "-r", "viewer");
        assertThat(shortFlags.firstName).isEqualTo("Ann");
        assertThat(shortFlags.lastName).isEqualTo("Lee");
        assertThat(create("--username", "bob", "--role", "viewer").firstName).isEmpty();
    }
}
