package dev.gust.core.store.views;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.schedule.DataInterval;
import dev.gust.core.state.TaskState;
import dev.gust.core.store.Params;
import dev.gust.core.store.dags.DagRecord;
import dev.gust.core.store.dags.DagRepository;
import dev.gust.core.store.events.Event;
import dev.gust.core.store.events.EventLogRepository;
import dev.gust.core.store.runs.DagRunRepository;
import dev.gust.core.store.runs.NewDagRun;
import dev.gust.core.store.runs.NewTaskInstance;
import dev.gust.core.store.runs.TaskInstanceKey;
import dev.gust.core.store.runs.TaskInstanceRepository;
import dev.gust.core.testing.TestDatabase;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The UI's view queries on a real PostgreSQL: paging, filters, and what the grid shows per cell. */
class ViewQueriesTest {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.create();

    @BeforeEach
    void empty() {
        db.jdbc().update("DELETE FROM dag", Params.none());
        db.jdbc().update("DELETE FROM log", Params.none());
    }

    private void dag(String id, String description, List<String> tags) {
        new DagRepository(db.jdbc())
                .upsert(
                        new DagRecord(
                                id,
                                id + ".yaml",
                                description,
                                "owner",
                                tags,
                                "@daily",
                                "daily",
                                16,
                                16,
                                "{}",
                                "h-" + id,
                                null,
                                null,
                                null),
                        true);
    }

    private void run(String dagId, String runId, Instant logicalDate, String runType) {
        new DagRunRepository(db.jdbc())
                .create(new NewDagRun(
                        dagId,
                        runId,
                        logicalDate,
                        logicalDate,
                        logicalDate.plusSeconds(86400),
                        runType,
                        "{}",
                        false,
                        "h",
                        null))
                .orElseThrow();
    }

    @Test
    void dagListPagesFiltersAndCarriesRecentRunStatesAndTheRecordedNextRun() {
        for (int i = 0; i < 25; i++) {
            dag(
                    "dag_%02d".formatted(i),
                    i == 7 ? "the 100% special_one" : "plain",
                    i % 2 == 0 ? List.of("even") : List.of("odd"));
        }
        Instant day = Instant.parse("2024-01-01T00:00:00Z");
        for (int i = 0; i < 12; i++) {
            run("dag_00", "scheduled__" + i, day.plusSeconds(86400L * i), "scheduled");
        }
        run("dag_00", "manual__late", day.plusSeconds(86400L * 20), "manual");
        DagListQuery query = new DagListQuery(db.jdbc());

        DagListQuery.Page first = query.page(null, null, 10, 0);
        assertThat(first.total()).isEqualTo(25);
        assertThat(first.rows())
                .extracting(DagListQuery.Row::dagId)
                .startsWith("dag_00", "dag_01")
                .hasSize(10);
        DagListQuery.Row dag0 = first.rows().getFirst();
        assertThat(dag0.recentRunStates()).hasSize(DagListQuery.RECENT_RUNS).containsOnly("queued");
        assertThat(first.rows().get(1).recentRunStates()).isEmpty();
        // the next run is what the scheduler recorded on the DAG's row, nothing before it does
        assertThat(dag0.nextRunCreateAfter()).isNull();
        new DagRepository(db.jdbc())
                .setNextDagrun("dag_00", new DataInterval(day.plusSeconds(86400L * 12), day.plusSeconds(86400L * 13)));
        assertThat(query.page(null, null, 10, 0).rows().getFirst().nextRunCreateAfter())
                .isEqualTo(day.plusSeconds(86400L * 13));

        assertThat(query.page(null, null, 10, 20).rows()).hasSize(5);
        assertThat(query.page(null, null, 10, 40)).satisfies(page -> {
            assertThat(page.rows()).isEmpty();
            assertThat(page.total()).isEqualTo(25);
        });
        assertThat(query.page(null, "odd", 100, 0).total()).isEqualTo(12);
        // LIKE's wildcards in the search are literal characters.
        assertThat(query.page("100%", null, 100, 0).rows())
                .extracting(DagListQuery.Row::dagId)
                .containsExactly("dag_07");
        assertThat(query.page("d_g", null, 100, 0).rows()).isEmpty();
        assertThat(query.page("DAG_1", null, 100, 0).total()).isEqualTo(10);
        assertThat(query.tags()).containsExactly("even", "odd");
    }

    @Test
    void dagListSortsByLastRunFiltersByTabAndCountsRunsByStateInOneStatement() {
        dag("alpha", "", List.of());
        dag("beta", "", List.of());
        dag("gamma", "", List.of());
        Instant day = Instant.parse("2024-01-01T00:00:00Z");
        run("alpha", "a1", day, "scheduled");
        run("alpha", "a2", day.plusSeconds(86400), "scheduled");
        run("alpha", "a3", day.plusSeconds(2 * 86400), "scheduled");
        run("beta", "b1", day.plusSeconds(3 * 86400), "manual");
        db.jdbc().update("UPDATE dag_run SET state = 'success' WHERE run_id IN ('a1', 'a2', 'b1')", Params.none());
        db.jdbc().update("UPDATE dag_run SET state = 'failed' WHERE run_id = 'a3'", Params.none());
        new DagRepository(db.jdbc()).setPaused("beta", true);
        new DagRepository(db.jdbc()).setPaused("alpha", false);
        new DagRepository(db.jdbc()).setPaused("gamma", false);
        DagListQuery query = new DagListQuery(db.jdbc());

        DagListQuery.Page all = query.page(DagListQuery.Request.firstPage(10));
        assertThat(all.counts()).isEqualTo(new DagListQuery.StatusCounts(3, 2, 1, 1));
        DagListQuery.Row alpha = all.rows().getFirst();
        assertThat(alpha.lastRunDate()).isEqualTo(day.plusSeconds(2 * 86400));
        assertThat(alpha.lastRunState()).isEqualTo("failed");
        assertThat(alpha.runCounts()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of("success", 2, "failed", 1));
        assertThat(all.rows().get(2).lastRunDate()).isNull();
        assertThat(all.rows().get(2).runCounts()).isEmpty();

        // newest last run first; a DAG that never ran goes last either way
        assertThat(query.page(request(DagListQuery.Status.ALL, DagListQuery.Sort.LAST_RUN, true))
                        .rows())
                .extracting(DagListQuery.Row::dagId)
                .containsExactly("beta", "alpha", "gamma");
        assertThat(query.page(request(DagListQuery.Status.ALL, DagListQuery.Sort.LAST_RUN, false))
                        .rows())
                .extracting(DagListQuery.Row::dagId)
                .containsExactly("alpha", "beta", "gamma");
        assertThat(query.page(request(DagListQuery.Status.ALL, DagListQuery.Sort.DAG_ID, true))
                        .rows())
                .extracting(DagListQuery.Row::dagId)
                .containsExactly("gamma", "beta", "alpha");

        DagListQuery.Page failed = query.page(request(DagListQuery.Status.FAILED, DagListQuery.Sort.DAG_ID, false));
        assertThat(failed.rows()).extracting(DagListQuery.Row::dagId).containsExactly("alpha");
        assertThat(failed.total()).isEqualTo(1);
        assertThat(query.page(request(DagListQuery.Status.PAUSED, DagListQuery.Sort.DAG_ID, false))
                        .rows())
                .extracting(DagListQuery.Row::dagId)
                .containsExactly("beta");
        assertThat(query.page(request(DagListQuery.Status.ACTIVE, DagListQuery.Sort.DAG_ID, false))
                        .rows())
                .extracting(DagListQuery.Row::dagId)
                .containsExactly("alpha", "gamma");
        // an empty tab still tells every tab's count
        DagListQuery.Page none = query.page(new DagListQuery.Request(
                "gamma", null, DagListQuery.Status.FAILED, DagListQuery.Sort.DAG_ID, false, 10, 0));
        assertThat(none.rows()).isEmpty();
        assertThat(none.total()).isZero();
        assertThat(none.counts()).isEqualTo(new DagListQuery.StatusCounts(1, 1, 0, 0));

        // the dag row's last run follows deletions too: without a3, alpha's last run is a2
        db.jdbc().update("DELETE FROM dag_run WHERE run_id = 'a3'", Params.none());
        DagListQuery.Page after = query.page(DagListQuery.Request.firstPage(10));
        assertThat(after.rows().getFirst().lastRunState()).isEqualTo("success");
        assertThat(after.rows().getFirst().lastRunDate()).isEqualTo(day.plusSeconds(86400));
        assertThat(after.counts().failed()).isZero();
        // deleting a DAG deletes its runs with it
        db.jdbc().update("DELETE FROM dag WHERE dag_id = 'alpha'", Params.none());
        assertThat(query.page(DagListQuery.Request.firstPage(10)).total()).isEqualTo(2);
    }

    private static DagListQuery.Request request(
            DagListQuery.Status status, DagListQuery.Sort sort, boolean descending) {
        return new DagListQuery.Request(null, null, status, sort, descending, 10, 0);
    }

    @Test
    void gridShowsTheLatestRunsOldestFirstAndTheMostTellingStateOfMappedTasks() {
        dag("etl", "", List.of());
        Instant day = Instant.parse("2024-01-01T00:00:00Z");
        TaskInstanceRepository tis = new TaskInstanceRepository(db.jdbc());
        for (int i = 0; i < 5; i++) {
            run("etl", "r" + i, day.plusSeconds(86400L * i), "scheduled");
            tis.createForRun(
                    "etl",
                    "r" + i,
                    List.of(
                            new NewTaskInstance("a", -1, 0, "default_pool", 1, 1, "bash"),
                            new NewTaskInstance("m", 0, 0, "default_pool", 1, 1, "bash"),
                            new NewTaskInstance("m", 1, 0, "default_pool", 1, 1, "bash")));
        }
        TaskInstanceKey mapped = new TaskInstanceKey("etl", "r4", "m", 1);
        tis.schedule(List.of(mapped), TaskState.NONE);

        RunGridQuery.Grid grid = new RunGridQuery(db.stores()).grid("etl", 3);
        assertThat(grid.runs()).extracting(r -> r.runId()).containsExactly("r2", "r3", "r4");
        assertThat(grid.cell("r4", "a").state()).isEqualTo("none");
        assertThat(grid.cell("r4", "m").state()).isEqualTo("scheduled");
        assertThat(grid.cell("r4", "m").instances()).isEqualTo(2);
        assertThat(grid.cell("r1", "a")).isNull();
        assertThat(grid.cell("r4", "nope")).isNull();
    }

    @Test
    void gridFiltersRunsByStateTypeAndDateAndCarriesTimesAndTries() {
        dag("etl", "", List.of());
        Instant day = Instant.parse("2024-01-01T00:00:00Z");
        TaskInstanceRepository tis = new TaskInstanceRepository(db.jdbc());
        for (int i = 0; i < 4; i++) {
            run("etl", "r" + i, day.plusSeconds(86400L * i), i == 3 ? "manual" : "scheduled");
            tis.createForRun("etl", "r" + i, List.of(new NewTaskInstance("a", -1, 0, "default_pool", 1, 1, "bash")));
        }
        db.jdbc().update("""
                        UPDATE task_instance SET try_number = 2, start_date = '2024-01-02T00:00:00Z',
                               end_date = '2024-01-02T00:00:30Z', duration = 30 WHERE run_id = 'r1'""", dev.gust.core.store.Params.none());
        RunGridQuery query = new RunGridQuery(db.stores());

        assertThat(query.grid("etl", new RunGridQuery.Filter(10, null, "manual", null))
                        .runs())
                .extracting(r -> r.runId())
                .containsExactly("r3");
        assertThat(query.grid("etl", new RunGridQuery.Filter(2, null, null, day.plusSeconds(86400L * 2)))
                        .runs())
                .extracting(r -> r.runId())
                .containsExactly("r1", "r2");
        assertThat(query.grid("etl", new RunGridQuery.Filter(10, dev.gust.core.state.DagRunState.SUCCESS, null, null))
                        .runs())
                .isEmpty();
        RunGridQuery.Cell retried = query.grid("etl", 10).cell("r1", "a");
        assertThat(retried.tryNumber()).isEqualTo(2);
        assertThat(retried.startDate()).isEqualTo(Instant.parse("2024-01-02T00:00:00Z"));
        assertThat(retried.duration()).isEqualTo(30.0);
    }

    @Test
    void auditLogFiltersNewestFirstAndCounts() {
        EventLogRepository events = new EventLogRepository(db.jdbc());
        events.append(new Event("trigger", "etl", null, "r1", "alice", "{}"));
        events.append(new Event("clear", "etl", "t", "r1", "bob", null));
        events.append(new Event("pause", "other", null, null, "alice", null));
        AuditLogQuery query = new AuditLogQuery(db.jdbc());

        AuditLogQuery.Page all = query.page(null, null, null, 2, 0);
        assertThat(all.total()).isEqualTo(3);
        assertThat(all.events()).extracting(e -> e.event().event()).containsExactly("pause", "clear");
        assertThat(query.page("etl", null, "alice", 10, 0).events())
                .extracting(e -> e.event().event())
                .containsExactly("trigger");
        assertThat(query.page(" ", "clear", "", 10, 0).total()).isEqualTo(1);
        assertThat(query.eventNames()).containsExactly("clear", "pause", "trigger");
    }
}
