package dev.gust.bench.evidence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The file the bash tasks of a crash workload append to as they start, one line per execution.
 * It is the evidence that does not come from the database under test: one small append is
 * atomic, even from a task whose scheduler was killed, so the file says which tries really ran.
 */
public final class ExecutionLog {

    private final Path file;

    public ExecutionLog(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** The bash that records one execution; a workload's tasks run it first. */
    public String recordCommand() {
        return "echo \"{{ dag.dag_id }} {{ ti.task_id }} {{ run_id }} {{ ti.try_number }} $$ $(date +%s%3N)\"" + " >> "
                + file;
    }

    /** The executions recorded so far. */
    public List<Execution> read() {
        List<Execution> executions = new ArrayList<>();
        for (String line : lines()) {
            String[] f = line.trim().split(" ");
            if (f.length == 6) {
                executions.add(new Execution(
                        f[0], f[1], f[2], Integer.parseInt(f[3]), Long.parseLong(f[4]), Long.parseLong(f[5])));
            }
        }
        return executions;
    }

    /** How many executions were recorded, without parsing them (a test may call it while the database is down). */
    public int count() {
        return lines().size();
    }

    private List<String> lines() {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
