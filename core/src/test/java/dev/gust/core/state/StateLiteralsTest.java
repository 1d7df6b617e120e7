package dev.gust.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The groups of states that SQL uses are the enums' groups: no task instance or DAG run state is
 * written as an SQL literal ({@code 'running'}) in the main sources of core, scheduler and
 * webserver; queries bind {@link TaskState}'s and {@link DagRunState}'s groups as parameters
 * instead. The few quoted words that share a state's name but are something else are listed below
 * with what they are. (cli's benchmark harnesses, moving to their own module, are not product code.)
 */
class StateLiteralsTest {

    private static final List<String> MODULES = List.of("core", "scheduler", "webserver");

    /** A quoted word that is a state's name but not a task instance's or DAG run's state: why it may stay. */
    private static final Map<Pattern, String> NOT_STATES = Map.of(
            Pattern.compile("\\bjob\\b|\\bjob_type\\b|\\bj\\.state\\b"), "the job table's own states",
            Pattern.compile("\\brun_type = 'scheduled'"), "a DAG run's type, not its state",
            Pattern.compile("object-src 'none'|frame-ancestors 'none'"), "a Content-Security-Policy keyword");

    /**
     * Files whose SQL is about a table with a life cycle of its own whose words happen to be state
     * names (pending, running, success, failed), never a task instance's or run's: why they may stay.
     */
    private static final Map<String, String> OWN_STATE_TABLES = Map.of(
            "CallbackRequestRepository.java", "the callback_request table's own states (a delivery's, not a task's)");

    private static final Pattern QUOTED = Pattern.compile("'([a-z_]+)'");

    @Test
    void noStateIsWrittenAsAnSqlLiteral() throws IOException {
        Set<String> states = Stream.concat(
                        Arrays.stream(TaskState.values()).map(TaskState::dbName),
                        Arrays.stream(DagRunState.values()).map(DagRunState::dbName))
                .collect(Collectors.toSet());
        List<String> literals = new ArrayList<>();
        int scannedFiles = 0;
        for (String module : MODULES) {
            Path sources = root().resolve(module).resolve("src/main/java");
            assertThat(sources).as("the main sources of " + module).isDirectory();
            List<Path> files;
            try (Stream<Path> walk = Files.walk(sources)) {
                files = walk.filter(p -> p.toString().endsWith(".java")).toList();
            }
            for (Path file : files) {
                scannedFiles++;
                if (OWN_STATE_TABLES.containsKey(file.getFileName().toString())) {
                    continue;
                }
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i);
                    String code = line.strip();
                    if (code.startsWith("*") || code.startsWith("//") || code.startsWith("/*")) {
                        continue;
                    }
                    Matcher m = QUOTED.matcher(line);
                    while (m.find()) {
                        if (states.contains(m.group(1))
                                && NOT_STATES.keySet().stream()
                                        .noneMatch(p -> p.matcher(line).find())) {
                            literals.add(root().relativize(file) + ":" + (i + 1) + ": " + code);
                        }
                    }
                }
            }
        }
        assertThat(scannedFiles).as("source files scanned").isGreaterThan(100);
        assertThat(literals)
                .as("state literals in SQL; bind TaskState's or DagRunState's group instead")
                .isEmpty();
    }

    @Test
    void theScanFindsALiteralWhereThereIsOne() {
        assertThat(QUOTED.matcher("WHERE state IN ('queued', 'running')")
                        .results()
                        .map(r -> r.group(1))
                        .toList())
                .containsExactly("queued", "running");
        assertThat(NOT_STATES.keySet().stream()
                        .anyMatch(p -> p.matcher("WHERE ti.state = 'running'").find()))
                .isFalse();
    }

    /** The reactor's root: the tests run in core's directory. */
    private static Path root() {
        Path here = Path.of("").toAbsolutePath();
        return Files.isDirectory(here.resolve("core")) ? here : here.getParent();
    }
}
