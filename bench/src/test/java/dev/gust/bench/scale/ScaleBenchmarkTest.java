package dev.gust.bench.scale;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.bench.BenchContext;
import dev.gust.bench.Figures;
import dev.gust.core.testing.TestDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code gust bench scale} end to end at a small size: what it measures, not how fast (no timing assertions). */
class ScaleBenchmarkTest {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.create();

    @Test
    void timesTheRoundAtThreeSizesTheDagFilesAndTheWebServerOverTheInsertedHistory() {
        StringWriter output = new StringWriter();
        List<Figures> tables = new ArrayList<>();
        BenchContext context =
                new BenchContext(new PrintWriter(output, true), config -> db.database(), tables::add, List.of());

        new ScaleBenchmark(context, new ScaleBenchmark.Settings(100, 3, 20, 3_000, 2, 2)).run();

        assertThat(tables).hasSize(3);
        Figures rounds = tables.get(0);
        assertThat(rounds.rows())
                .extracting(row -> row.get(0) + " DAGs, " + row.get(1) + " runs, " + row.get(2) + " task instances")
                .containsExactly(
                        "10 DAGs, 20 runs, 60 task instances",
                        "50 DAGs, 20 runs, 60 task instances",
                        "100 DAGs, 20 runs, 60 task instances");
        assertThat(tables.get(1).rows())
                .extracting(row -> row.get(0))
                .anySatisfy(label -> assertThat(label).contains("cold parse of 100 files (100 DAGs, 300 tasks"))
                .anySatisfy(label -> assertThat(label).startsWith("re-sync after one file changed"));
        // 10 finished runs of each DAG's 3 tasks, and the running runs' task instances
        assertThat(tables.get(2).columns().getFirst()).isEqualTo("request (100 DAGs, 3060 task instances)");
        assertThat(tables.get(2).rows())
                .extracting(row -> row.get(0) + " timed by " + row.get(1))
                .contains(
                        "GET /api/v1/dags?limit=100 timed by client",
                        "DAG list, first page timed by server",
                        "grid of generated_dag_0 (a running run, 10 finished ones) timed by server");
    }
}
