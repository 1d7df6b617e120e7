package dev.gust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the tests of the admin commands (variables, connections, pools, users) share: each runs
 * gust as a separate process in a home of its own (an empty directory, so an embedded database of
 * its own), and checks that a user's mistake is said in one line, with no stack trace.
 */
abstract class IsolatedGustIT {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    GustProcess.Result gust(String... args) throws Exception {
        return GustProcess.run(GustProcess.isolatedEnvironment(home), args);
    }

    static void assertOneLineError(GustProcess.Result result, String expected) {
        assertThat(result.exitCode()).as(result.all()).isEqualTo(1);
        assertThat(result.stderr()
                        .lines()
                        .filter(line -> line.startsWith("error: "))
                        .toList())
                .as(result.all())
                .singleElement()
                .asString()
                .contains(expected);
        assertThat(result.stderr()).as(result.all()).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
