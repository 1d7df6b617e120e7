package dev.gust.bench.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.store.Params;
import dev.gust.core.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The check the crash tests assert and the chaos benchmark counts: each kind of broken promise is
 * named, and a workload that kept every promise yields empty lists.
 */
class EvidenceTest {

    @TempDir
    Path folder;

    @Test
    void namesEachBrokenPromiseAndNothingElse() throws Exception {
        try (TestDatabase db = TestDatabase.create()) {
            db.jdbc().update("""
                    INSERT INTO dag (dag_id, fileloc, serialized_dag, version_hash) VALUES ('w', 'w.yaml', '{}', 'h');
                    INSERT INTO dag_run (dag_id, run_id, logical_date, run_type) VALUES ('w', 'r1', now(), 'manual');
                    INSERT INTO task_instance (dag_id, run_id, task_id, state, try_number) VALUES
                        ('w', 'r1', 'ok', 'success', 2),
                        ('w', 'r1', 'twice', 'success', 1),
                        ('w', 'r1', 'unrun', 'success', 1),
                        ('w', 'r1', 'lost', 'failed', 1),
                        ('w', 'r1', 'stuck', 'queued', 0)""", Params.none());
            ExecutionLog log = new ExecutionLog(folder.resolve("executions.log"));
            Files.writeString(log.file(), """
                    w ok r1 1 100 1700000000000
                    w ok r1 2 101 1700000001000
                    w twice r1 1 100 1700000000000
                    w twice r1 1 102 1700000002000
                    w lost r1 1 100 1700000000000
                    w lost r1 2 100 1700000003000
                    not an execution line
                    """);

            List<Execution> executions = log.read();
            Evidence evidence = Evidence.gather(db.jdbc(), executions);

            assertThat(executions).hasSize(6);
            assertThat(log.count()).isEqualTo(7);
            assertThat(evidence.taskInstances()).isEqualTo(5);
            assertThat(evidence.notSucceeded()).containsExactly("w/r1/lost try 1 failed", "w/r1/stuck try 0 queued");
            assertThat(evidence.inFlight()).containsExactly("w/r1/stuck try 0 queued");
            assertThat(evidence.executedTwice()).containsExactly("w/r1/twice try 1 x2");
            assertThat(evidence.successNeverRan()).containsExactly("w/r1/unrun try 1");
            assertThat(evidence.unknownTries()).containsExactly("w/r1/lost try 2");
        }
    }

    @Test
    void recordsWhatTheLogReads() {
        ExecutionLog log = new ExecutionLog(folder.resolve("executions.log"));
        assertThat(log.read()).isEmpty();
        assertThat(log.recordCommand())
                .startsWith("echo \"{{ dag.dag_id }} {{ ti.task_id }} {{ run_id }} {{ ti.try_number }} $$ ")
                .endsWith(" >> " + log.file());
    }
}
