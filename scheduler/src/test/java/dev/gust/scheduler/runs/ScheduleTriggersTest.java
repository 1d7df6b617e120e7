package dev.gust.scheduler.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.config.GustConfig;
import dev.gust.core.dag.load.DagFolderScanner;
import dev.gust.core.dag.serialize.DagDefinitions;
import dev.gust.core.dag.sync.DagFolderSync;
import dev.gust.core.runs.DagRunCreator;
import dev.gust.core.runs.NextDagrunRecorder;
import dev.gust.core.store.Params;
import dev.gust.core.store.Stores;
import dev.gust.core.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ScheduleTriggersTest {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.create();

    @TempDir
    Path folder;

    @Test
    void aSchedulerStartingFindsWhatIsArmedInOneReadAndReArmsOnlyTheDagACrashLeftWithoutATrigger() throws Exception {
        for (String dagId : new String[] {"hourly_a", "hourly_b", "hourly_c"}) {
            Files.writeString(folder.resolve(dagId + ".yaml"), """
                    %s:
                      schedule: '@hourly'
                      is_paused_upon_creation: false
                      default_args: {start_date: 2024-01-01}
                      catchup: false
                      tasks:
                        t: {operator: empty}
                    """.formatted(dagId));
        }
        Stores stores = db.stores();
        try (DagFolderSync sync = new DagFolderSync(
                new DagFolderScanner(folder),
                stores.dags(),
                stores.importErrors(),
                stores.dagWarnings(),
                GustConfig.defaults().core())) {
            sync.sync();
        }
        try (ScheduleTriggers first = triggers(stores)) {
            first.sync(stores.dags().listActive());
        }
        assertThat(armedJobs())
                .as("each DAG's job, with the version it was armed for")
                .containsOnlyKeys("hourly_a", "hourly_b", "hourly_c")
                .allSatisfy((dagId, description) -> assertThat(description)
                        .isEqualTo(stores.dags().find(dagId).orElseThrow().versionHash()));
        Map<String, String> rowsBefore = triggerRows();

        // a crash between the spent trigger's removal and the next one's arming
        db.jdbc().update("DELETE FROM qrtz_simple_triggers WHERE trigger_name LIKE 'hourly_b@%'", Params.none());
        db.jdbc().update("DELETE FROM qrtz_triggers WHERE job_name = 'hourly_b'", Params.none());

        try (ScheduleTriggers second = triggers(stores)) {
            second.sync(stores.dags().listActive());
        }
        Map<String, String> rowsAfter = triggerRows();
        assertThat(rowsAfter).containsOnlyKeys("hourly_a", "hourly_b", "hourly_c");
        assertThat(rowsAfter.get("hourly_a"))
                .as("an armed DAG's trigger is left as it was")
                .isEqualTo(rowsBefore.get("hourly_a"));
        assertThat(rowsAfter.get("hourly_c")).isEqualTo(rowsBefore.get("hourly_c"));
        assertThat(rowsAfter.get("hourly_b")).as("re-armed").isNotNull();
    }

    private static ScheduleTriggers triggers(Stores stores) {
        DagRunCreator creator =
                new DagRunCreator(stores.dagRuns(), new DagDefinitions(stores.dags()), false, Clock.systemUTC());
        return new ScheduleTriggers(db.dataSource(), creator, new NextDagrunRecorder(creator, stores.dags()), 1000);
    }

    /** Each DAG's job that asks for recovery, with its description. */
    private static Map<String, String> armedJobs() {
        Map<String, String> jobs = new TreeMap<>();
        db.jdbc()
                .query("SELECT job_name, description FROM qrtz_job_details WHERE requests_recovery", Params.none(), r ->
                        new String[] {r.getString(1), r.getString(2)})
                .forEach(row -> jobs.put(row[0], row[1]));
        return jobs;
    }

    /** Each DAG's trigger row: its name and row version ({@code xmin}, which any update changes). */
    private static Map<String, String> triggerRows() {
        Map<String, String> rows = new TreeMap<>();
        db.jdbc()
                .query("SELECT job_name, trigger_name || ' ' || xmin::text FROM qrtz_triggers", Params.none(), r ->
                        new String[] {r.getString(1), r.getString(2)})
                .forEach(row -> rows.put(row[0], row[1]));
        return rows;
    }
}
