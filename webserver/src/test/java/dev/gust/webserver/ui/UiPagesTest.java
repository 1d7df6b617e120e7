package dev.gust.webserver.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.config.GustConfig;
import dev.gust.core.dag.load.DagFolderScanner;
import dev.gust.core.dag.sync.DagFolderSync;
import dev.gust.core.runs.DagRunCreator;
import dev.gust.core.state.TaskState;
import dev.gust.core.store.Params;
import dev.gust.core.store.connections.Connection;
import dev.gust.core.store.connections.ConnectionRepository;
import dev.gust.core.store.dags.DagRepository;
import dev.gust.core.store.events.EventLogRepository;
import dev.gust.core.store.events.LoggedEvent;
import dev.gust.core.store.importerrors.ImportErrorRepository;
import dev.gust.core.store.runs.DagRunRepository;
import dev.gust.core.store.runs.NewTaskInstance;
import dev.gust.core.store.runs.TaskInstanceKey;
import dev.gust.core.store.runs.TaskInstanceRepository;
import dev.gust.core.store.runs.TaskInstanceTry;
import dev.gust.core.store.runs.TaskLogRepository;
import dev.gust.core.store.variables.VariableRepository;
import dev.gust.core.testing.TestDatabase;
import dev.gust.webserver.GustWebServer;
import dev.gust.webserver.TestUsers;
import dev.gust.webserver.WebClient;
import dev.gust.webserver.WebServices;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The web UI's pages and actions over real HTTP on a real PostgreSQL: what each page shows, that
 * user data is escaped, that actions change the database through core and land in the audit log,
 * and that missing things are 404 pages.
 */
class UiPagesTest {

    static TestDatabase db;
    static Path folder;
    static GustWebServer server;
    static dev.gust.core.store.secrets.SecretCipher cipher;
    static int port;
    String runId;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.create();
        folder = Files.createTempDirectory("gust-ui-test");
        GustConfig config = GustConfig.load(
                null,
                Map.of(
                        "GUST_SECURITY__ENCRYPTION_KEY", Base64.getEncoder().encodeToString(new byte[32]),
                        "GUST_CORE__DAGS_FOLDER", folder.toString()));
        WebServices services = WebServices.create(config, db.jdbc());
        cipher = services.cipher();
        server = new GustWebServer(services);
        port = server.start("127.0.0.1", 0);
        TestUsers.create(db.jdbc(), "admin", "admin");
        browser = new WebClient(port);
        browser.login("admin", TestUsers.PASSWORD);
        csrf = WebClient.hiddenCsrf(browser.get("/").body());
    }

    /** Signed in through the login form as an admin, with the session's CSRF token, as a browser is. */
    static WebClient browser;

    static String csrf;

    @AfterAll
    static void stop() {
        server.close();
        db.close();
    }

    /** extract -> transform -> load, one manual run with extract done, transform failed. */
    @BeforeEach
    void oneDagWithARun() throws Exception {
        db.jdbc().update("DELETE FROM dag", Params.none());
        db.jdbc().update("DELETE FROM log", Params.none());
        db.jdbc().update("DELETE FROM import_error", Params.none());
        try (var files = Files.list(folder)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.writeString(folder.resolve("etl.yaml"), """
                etl:
                  description: "Daily <script>window.pwned=1</script> ETL"
                  schedule: '@daily'
                  tags: [sales, nightly]
                  params: {region: eu, limit: 10}
                  default_args: {start_date: 2024-01-01, owner: data-eng}
                  tasks:
                    extract: {operator: bash, bash_command: echo e}
                    transform: {operator: bash, bash_command: echo t, dependencies: [extract]}
                    load: {operator: bash, bash_command: echo l, dependencies: [transform]}
                """);
        DagRepository dags = new DagRepository(db.jdbc());
        try (DagFolderSync sync = new DagFolderSync(
                new DagFolderScanner(folder),
                dags,
                new ImportErrorRepository(db.jdbc()),
                new dev.gust.core.store.dagwarnings.DagWarningRepository(db.jdbc()),
                GustConfig.defaults().core())) {
            assertThat(sync.sync().importErrors()).isZero();
        }
        var definitions = new dev.gust.core.dag.serialize.DagDefinitions(dags);
        var dag = definitions.get("etl").orElseThrow().dag();
        DagRunRepository runs = new DagRunRepository(db.jdbc());
        runId = new DagRunCreator(runs, definitions, false, Clock.systemUTC())
                .trigger("etl", Map.of(), Instant.parse("2024-02-01T00:00:00Z"), null);
        TaskInstanceRepository tis = new TaskInstanceRepository(db.jdbc());
        tis.createForRun(
                "etl",
                runId,
                dag.tasks().stream()
                        .map(t -> new NewTaskInstance(t.taskId(), -1, 0, "default_pool", 1, 1, "bash"))
                        .toList());
        moveTo(tis, "extract", TaskState.SUCCESS);
        moveTo(tis, "transform", TaskState.FAILED);
        new TaskLogRepository(db.jdbc())
                .appendLine(
                        TaskInstanceKey.of("etl", runId, "transform"), 1, Instant.now(), "<script>alert(1)</script>");
    }

    /** Walks a task instance to a final state through the state machine's own transitions. */
    private void moveTo(TaskInstanceRepository tis, String taskId, TaskState end) {
        TaskInstanceKey key = TaskInstanceKey.of("etl", runId, taskId);
        assertThat(tis.schedule(List.of(key), TaskState.NONE)).containsExactly(key);
        assertThat(tis.queueAll(List.of(key), null)).containsExactly(key);
        assertThat(tis.startOnWorker(key, 1, "worker-host", 1)).isPresent();
        assertThat(tis.finishTry(new TaskInstanceTry(key, 1), end, null)).isTrue();
    }

    @Test
    void dagListShowsScheduleTagsRecentRunsAndEscapesTheDescription() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Server-Timing").orElse("")).matches("app;dur=\\d+\\.\\d\\d");
        assertThat(page.body())
                .contains("data-dag-id=\"etl\"")
                .contains("Daily &lt;script&gt;window.pwned=1&lt;/script&gt; ETL")
                .doesNotContain("<script>window")
                .contains("class=\"mark s-queued\"")
                .contains("href=\"/?tag=sales\"")
                .contains("/dags/etl/trigger");
        assertThat(get("/?tag=nightly").body()).contains("data-dag-id=\"etl\"");
        assertThat(get("/?tag=other").body())
                .doesNotContain("data-dag-id=\"etl\"")
                .contains("No DAG matches");
        assertThat(get("/?q=ET").body()).contains("data-dag-id=\"etl\"");
        assertThat(get("/?q=zzz").body()).doesNotContain("data-dag-id=\"etl\"");
    }

    @Test
    void dagListTabsSortLinksLastRunAndRunCountsLinkingToTheFilteredRuns() throws Exception {
        assertThat(get("/?status=failed").body())
                .doesNotContain("data-dag-id=\"etl\"")
                .contains("No DAG matches")
                .contains("data-status=\"failed\">Failed last run <span class=\"count\">0</span>");
        db.jdbc().update("UPDATE dag_run SET state = 'failed' WHERE run_id = :runId", Params.of("runId", runId));
        String failed = get("/?status=failed").body();
        assertThat(failed)
                .contains("data-dag-id=\"etl\"")
                .contains("data-status=\"failed\">Failed last run <span class=\"count\">1</span>")
                .contains("data-status=\"all\">All <span class=\"count\">1</span>")
                // the last run: its state and its date with the zone
                .contains("<td class=\"last-run\"><span class=\"mark s-failed\"")
                .contains("2024-02-01")
                // a count per state, linking to the DAG's runs in that state
                .contains("href=\"/dags/etl/runs?state=failed\" data-state=\"failed\" title=\"1 failed run\">1</a>")
                // the sort links keep the tab; the live part asks for the same view
                .contains("id=\"sort-last_run\" href=\"/?status=failed&amp;sort=last_run&amp;dir=desc\"")
                .contains("hx-get=\"/?status=failed\"");
        String sorted = get("/?sort=dag_id&dir=desc").body();
        assertThat(sorted)
                // A to Z is the default order: its link is the plain list
                .contains("id=\"sort-dag_id\" href=\"/\">DAG ▼</a>")
                .contains("data-sort=\"dag_id\" data-dir=\"desc\"");
        new DagRepository(db.jdbc()).setPaused("etl", true);
        assertThat(get("/?status=paused").body()).contains("data-dag-id=\"etl\"");
        assertThat(get("/?status=active").body()).doesNotContain("data-dag-id=\"etl\"");
    }

    @Test
    void aTriggerOnAPausedDagWarnsAndCanUnpauseIt() throws Exception {
        DagRepository dags = new DagRepository(db.jdbc());
        dags.setPaused("etl", true);
        assertThat(get("/dags/etl/trigger").body())
                .contains("id=\"paused-warning\"")
                .contains("<input type=\"checkbox\" id=\"unpause\" name=\"unpause\" value=\"true\" checked>");
        // unchecked: triggered, still paused, and the message says the run will wait
        assertThat(post("/dags/etl/trigger", Map.of("conf", "{}", "logical_date", "2024-03-01", "unpause", "false"))
                        .statusCode())
                .isEqualTo(302);
        assertThat(dags.find("etl").orElseThrow().paused()).isTrue();
        assertThat(get("/dags/etl/grid").body()).contains("id=\"flash\"").contains("stays queued until you unpause it");
        // checked: unpaused and triggered, both audited
        assertThat(post("/dags/etl/trigger", Map.of("conf", "{}", "logical_date", "2024-03-02", "unpause", "true"))
                        .statusCode())
                .isEqualTo(302);
        assertThat(dags.find("etl").orElseThrow().paused()).isFalse();
        assertThat(new EventLogRepository(db.jdbc()).recent(2))
                .extracting(e -> e.event().event())
                .containsExactly("trigger", "unpause");
        assertThat(get("/dags/etl/grid").body()).contains("and unpaused the DAG.");
        // shown once
        assertThat(get("/dags/etl/grid").body()).doesNotContain("id=\"flash\"");
        assertThat(get("/dags/etl/trigger").body()).doesNotContain("id=\"paused-warning\"");
    }

    @Test
    void theTaskPageOffersOnlyMarksThatChangeSomethingAndShowsEachTrysRenderedTemplates() throws Exception {
        String ti = "/dags/etl/runs/" + Fmt.segment(runId) + "/tasks/";
        String success = get(ti + "extract").body();
        assertThat(success)
                .doesNotContain("id=\"mark-success-button\"")
                .contains("id=\"mark-failed-button\"")
                .doesNotContain("<th>Map index</th>")
                .doesNotContain("id=\"map-index\"")
                .contains("id=\"rendered-none\"");
        String failed = get(ti + "transform").body();
        assertThat(failed).contains("id=\"mark-success-button\"").doesNotContain("id=\"mark-failed-button\"");
        // the log comes before the rendered templates and the XComs
        assertThat(failed.indexOf("id=\"log\"")).isLessThan(failed.indexOf("id=\"rendered-heading\""));

        new TaskInstanceRepository(db.jdbc())
                .recordRenderedFields(
                        new TaskInstanceTry(TaskInstanceKey.of("etl", runId, "transform"), 1),
                        "{\"bash_command\": \"echo <b>t</b> ***\", \"env\": {\"A\": 1}}");
        String rendered = get(ti + "transform?try=1").body();
        assertThat(rendered)
                .contains("<tr data-field=\"bash_command\"><th><code>bash_command</code></th>"
                        + "<td><pre class=\"code\">echo &lt;b&gt;t&lt;/b&gt; ***</pre></td></tr>")
                .contains("data-field=\"env\"")
                .doesNotContain("id=\"rendered-none\"");
        // the REST API's task instance carries the latest try's
        assertThat(get("/api/v1/dags/etl/dagRuns/" + Fmt.segment(runId) + "/taskInstances/transform")
                        .body())
                .contains("\"rendered_fields\":{\"bash_command\":\"echo <b>t</b> ***\"");
    }

    @Test
    void everyActionLeavesAMessageOnTheNextPage() throws Exception {
        String ti = "/dags/etl/runs/" + Fmt.segment(runId) + "/tasks/transform";
        assertThat(post(ti + "/mark", Map.of("state", "success")).statusCode()).isEqualTo(302);
        assertThat(get("/dags/etl/grid").body())
                .contains(
                        "<div class=\"flash\" role=\"status\" id=\"flash\">Marked 1 task instance (transform) success.</div>");
        assertThat(post(ti + "/clear", Map.of("downstream", "true")).statusCode())
                .isEqualTo(302);
        // a live part's request leaves the message for the page
        assertThat(get("/dags/etl/grid", "HX-Request", "true", "HX-Target", "grid-live")
                        .body())
                .doesNotContain("id=\"flash\"");
        assertThat(get("/dags/etl/grid").body())
                .containsPattern(
                        "Cleared 2 task instances \\((transform, load|load, transform)\\); the scheduler runs them again.");
        assertThat(post("/dags/etl/pause", Map.of("paused", "true")).statusCode())
                .isEqualTo(302);
        assertThat(get("/dags/etl/grid").body()).contains("DAG &#39;etl&#39; is paused");
    }

    @Test
    void theDagListAloneShowsImportErrorsCollapsedWithTheirCount() throws Exception {
        new ImportErrorRepository(db.jdbc())
                .replaceForFile(
                        "broken.yaml",
                        List.of(new dev.gust.core.store.importerrors.ImportProblem(2, "unknown operator 'bsh'")));
        String list = get("/").body();
        assertThat(list)
                .contains("<details class=\"import-errors\" id=\"import-errors\">")
                .contains("DAG import errors: 1.")
                .contains("Broken DAG: broken.yaml:2 — unknown operator");
        for (String path : List.of("/dags/etl/grid", "/audit-log", "/variables", "/pools")) {
            assertThat(get(path).body()).as(path).doesNotContain("Broken DAG").doesNotContain("import-errors");
        }
    }

    @Test
    void gridHasACellPerTaskAndRunOpeningItsPanel() throws Exception {
        String body = get("/dags/etl/grid").body();
        String encodedRun = Fmt.segment(runId);
        assertThat(body)
                .contains("data-task-id=\"transform\"")
                .contains("class=\"cell s-failed\" data-state=\"failed\"")
                .contains("class=\"cell s-success\" data-state=\"success\"")
                // a cell opens the panel of its task in its run, the grid's filters kept
                .contains("href=\"?run_id=" + encodedRun + "&amp;task_id=load\"")
                // the tooltip says task, run, state, start, duration and tries
                .contains("task: transform\nrun: " + runId + "\nstate: failed\nstarted: ")
                .contains("\ntries: 1\"")
                // the run axis: a duration bar per run and its logical date
                .contains("class=\"bar s-queued\"")
                .contains("<span class=\"date-label\">02-01 00:00</span>")
                .contains("<aside id=\"details\"")
                .contains("Click a cell or a run for its details.");
    }

    @Test
    void theGridsPanelShowsATaskOrARunAndComesAloneToTheScript() throws Exception {
        String task = "/dags/etl/grid?run_id=" + Fmt.segment(runId) + "&task_id=transform";
        // without JavaScript: the grid page with the panel open (a link that can be shared)
        String page = get(task).body();
        assertThat(page).contains("<table class=\"grid\" id=\"grid\"").contains("id=\"details-log\"");
        // the page's script asks for the panel alone
        String panel =
                browser.get(task, "HX-Request", "true", "HX-Target", "details").body();
        assertThat(panel)
                .startsWith("<aside id=\"details\"")
                .doesNotContain("<html")
                .doesNotContain("id=\"grid\"")
                .contains("id=\"details-state\" data-state=\"failed\"")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .doesNotContain("<script>alert")
                .contains("href=\"/dags/etl/runs/" + Fmt.segment(runId) + "/tasks/transform\"")
                .contains("/tasks/transform/clear?downstream=true");
        String run = browser.get(
                        "/dags/etl/grid?run_id=" + Fmt.segment(runId), "HX-Request", "true", "HX-Target", "details")
                .body();
        assertThat(run)
                .contains("id=\"details-clear-run\"")
                .contains("id=\"details-clear-failed\" href=\"/dags/etl/runs/" + Fmt.segment(runId)
                        + "/clear?only_failed=true\"")
                .contains("id=\"details-mark-run-failed\"")
                .contains("failed 1")
                .contains("success 1");
        assertThat(get("/dags/etl/grid?run_id=nope").statusCode()).isEqualTo(404);
    }

    @Test
    void theGridUpdatesInPlaceOnlyWhileARunCanMove() throws Exception {
        DagRepository dags = new DagRepository(db.jdbc());
        dags.setPaused("etl", true);
        // a queued run of a paused DAG waits for an unpause: nothing to poll for
        String paused = browser.get("/dags/etl/grid", "HX-Request", "true", "HX-Target", "grid-live")
                .body();
        assertThat(paused)
                .startsWith("<div id=\"grid-live\"")
                .contains("data-active=\"false\"")
                .doesNotContain("data-live-json")
                .doesNotContain("<html");
        dags.setPaused("etl", false);
        assertThat(browser.get("/dags/etl/grid", "HX-Request", "true", "HX-Target", "grid-live")
                        .body())
                .contains("data-live-json=\"/dags/etl/grid/live?\"")
                .contains("data-live-href=\"/dags/etl/grid\"");
        assertThat(browser.get("/dags/etl/grid?runs=7&state=queued", "HX-Request", "true", "HX-Target", "grid-live")
                        .body())
                .contains("data-live-json=\"/dags/etl/grid/live?runs=7&amp;state=queued\"")
                .contains("data-live-href=\"/dags/etl/grid?runs=7&amp;state=queued\"")
                .contains("href=\"?runs=7&amp;state=queued&amp;run_id=");
        assertThat(get("/dags/etl/grid").body())
                .contains("<script src=\"/static/grid.js\" defer></script>")
                .doesNotContain("http-equiv")
                .doesNotContain("location.reload");
    }

    @Test
    void theGridsLiveUpdateCarriesOnlyTheUnfinishedRunsColumns() throws Exception {
        new DagRepository(db.jdbc()).setPaused("etl", false);
        DagRunRepository runs = new DagRunRepository(db.jdbc());
        var definitions = new dev.gust.core.dag.serialize.DagDefinitions(new DagRepository(db.jdbc()));
        String older = new DagRunCreator(runs, definitions, false, Clock.systemUTC())
                .trigger("etl", Map.of(), Instant.parse("2024-01-01T00:00:00Z"), null);
        db.jdbc().update("UPDATE dag_run SET state = 'success' WHERE run_id = :runId", Params.of("runId", older));
        HttpResponse<String> live = get("/dags/etl/grid/live?newest=" + Fmt.segment(runId));
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(live.headers().firstValue("Server-Timing").orElse("")).startsWith("app;dur=");
        var body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(live.body());
        assertThat(body.get("active").asBoolean()).isTrue();
        assertThat(body.get("reload").asBoolean()).isFalse();
        // the queued run only: the finished one's column is not sent again
        assertThat(body.get("runs")).hasSize(1);
        var column = body.get("runs").get(0);
        assertThat(column.get("run_id").asText()).isEqualTo(runId);
        assertThat(column.get("state").asText()).isEqualTo("queued");
        assertThat(column.get("cells").get("t:transform").get("state").asText()).isEqualTo("failed");
        assertThat(column.get("cells").get("t:transform").get("href").asText())
                .isEqualTo("?run_id=" + Fmt.segment(runId) + "&task_id=transform");
        assertThat(column.get("cells").get("t:load").get("title").asText()).contains("task: load");
        // the page names a finished run it still shows as unfinished: it gets that column too
        var named = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(get("/dags/etl/grid/live?newest=" + Fmt.segment(runId) + "&live=" + Fmt.segment(older))
                        .body());
        assertThat(named.get("runs")).hasSize(2);
        assertThat(named.get("runs").get(0).get("state").asText()).isEqualTo("success");
        // a page whose newest column is not the newest run is told to ask for the whole grid
        var stale = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(
                        get("/dags/etl/grid/live?newest=" + Fmt.segment(older)).body());
        assertThat(stale.get("reload").asBoolean()).isTrue();
    }

    @Test
    void aTaskThatNeededASecondTryLooksDifferent() throws Exception {
        db.jdbc()
                .update(
                        "UPDATE task_instance SET try_number = 2 WHERE run_id = :runId AND task_id = 'extract'",
                        Params.of("runId", runId));
        assertThat(get("/dags/etl/grid").body())
                .contains("class=\"cell s-success\" data-state=\"success\" data-retried=\"true\"")
                .contains("task: extract\nrun: ")
                .contains("\ntries: 2\"");
    }

    @Test
    void theGridAndTheRunsTabFilterByStateTypeAndDate() throws Exception {
        assertThat(get("/dags/etl/grid?state=success").body())
                .doesNotContain("id=\"grid\"")
                .contains("No runs match these filters.");
        assertThat(get("/dags/etl/grid?state=queued&run_type=manual").body()).contains("id=\"grid\"");
        assertThat(get("/dags/etl/grid?run_type=scheduled").body()).doesNotContain("id=\"grid\"");
        assertThat(get("/dags/etl/grid?base_date=2024-01-31").body()).doesNotContain("id=\"grid\"");
        assertThat(get("/dags/etl/grid?base_date=2024-02-01").body()).contains("id=\"grid\"");
        assertThat(get("/dags/etl/grid?base_date=yesterday").body()).contains("id=\"grid\"");
        String row = "data-run-id=\"" + runId + "\"";
        assertThat(get("/dags/etl/runs?state=failed").body()).doesNotContain(row);
        assertThat(get("/dags/etl/runs?state=queued").body()).contains(row);
        assertThat(get("/dags/etl/runs?run_type=backfill").body()).doesNotContain(row);
        assertThat(get("/dags/etl/runs?run_type=manual").body())
                .contains(row)
                .contains("/runs/" + Fmt.segment(runId) + "/clear?only_failed=true")
                .contains("/runs/" + Fmt.segment(runId) + "/mark?state=failed");
    }

    @Test
    void aRunIsClearedAllOrOnlyFailedThroughItsPreviewAndAudited() throws Exception {
        String clear = "/dags/etl/runs/" + Fmt.segment(runId) + "/clear";
        assertThat(get(clear).body())
                .contains("<li>extract (success)</li>")
                .contains("<li>transform (failed)</li>")
                .contains("<li>load (none)</li>");
        String onlyFailed = get(clear + "?only_failed=true").body();
        assertThat(onlyFailed).contains("<li>transform (failed)</li>").doesNotContain("<li>extract");
        HttpResponse<String> done = post(clear, Map.of("only_failed", "true"));
        assertThat(done.statusCode()).isEqualTo(302);
        assertThat(done.headers().firstValue("Location")).hasValue("/dags/etl/grid?run_id=" + Fmt.segment(runId));
        assertThat(stateOf("transform")).isEqualTo(TaskState.NONE);
        assertThat(stateOf("extract")).isEqualTo(TaskState.SUCCESS);
        LoggedEvent event = lastEvent();
        assertThat(event.event().event()).isEqualTo("clear");
        assertThat(event.event().runId()).isEqualTo(runId);
        assertThat(event.event().extra()).contains("only_failed=true").contains("transform");
        assertThat(get(clear + "?only_failed=true").body()).contains("no task instance of this run failed");
    }

    @Test
    void aRunIsMarkedSuccessOrFailedThroughItsPreviewAndAudited() throws Exception {
        String mark = "/dags/etl/runs/" + Fmt.segment(runId) + "/mark";
        assertThat(get(mark + "?state=failed").body())
                .contains("<li>run " + runId + ": queued → failed</li>")
                .contains("<li>load: none → skipped</li>")
                .doesNotContain("<li>extract");
        assertThat(get(mark + "?state=success").body())
                .contains("<li>transform: failed → success</li>")
                .contains("<li>load: none → success</li>");
        assertThat(stateOf("transform")).isEqualTo(TaskState.FAILED);
        assertThat(post(mark, Map.of("state", "success")).statusCode()).isEqualTo(302);
        assertThat(stateOf("transform")).isEqualTo(TaskState.SUCCESS);
        assertThat(stateOf("load")).isEqualTo(TaskState.SUCCESS);
        assertThat(new DagRunRepository(db.jdbc())
                        .find("etl", runId)
                        .orElseThrow()
                        .state())
                .isEqualTo(dev.gust.core.state.DagRunState.SUCCESS);
        assertThat(lastEvent().event().event()).isEqualTo("mark_dag_run_success");
        assertThat(get(mark + "?state=bogus").statusCode()).isEqualTo(404);
    }

    @Test
    void aRunsDetailsShowItsConfIntervalAndAnEditableNote() throws Exception {
        String run = "/dags/etl/runs/" + Fmt.segment(runId);
        String page = get(run).body();
        assertThat(page)
                .contains("id=\"run-id\">" + runId + "<")
                .contains("<tr data-fact=\"Run type\"><th>Run type</th><td>manual</td></tr>")
                .contains("<tr data-fact=\"Data interval start\">")
                .contains("id=\"run-conf\"")
                .contains("None: this run was not triggered by datasets.")
                .contains("failed 1");
        assertThat(post(run + "/note", Map.of("note", "re-run after the <b>fix</b>"))
                        .statusCode())
                .isEqualTo(302);
        assertThat(new DagRunRepository(db.jdbc())
                        .find("etl", runId)
                        .orElseThrow()
                        .note())
                .isEqualTo("re-run after the <b>fix</b>");
        assertThat(get(run).body()).contains("re-run after the &lt;b&gt;fix&lt;/b&gt;</textarea>");
        assertThat(lastEvent().event().event()).isEqualTo("set_dag_run_note");
        assertThat(get("/dags/etl/runs/nope").statusCode()).isEqualTo(404);
    }

    @Test
    void theTaskPageTheGraphAndTheDagListComeAloneToTheirLiveUpdates() throws Exception {
        new DagRepository(db.jdbc()).setPaused("etl", false);
        String ti = "/dags/etl/runs/" + Fmt.segment(runId) + "/tasks/";
        String finished = browser.get(ti + "transform", "HX-Request", "true", "HX-Target", "ti-live")
                .body();
        assertThat(finished)
                .startsWith("<div id=\"ti-live\"")
                .contains("id=\"ti-dot\" data-state=\"failed\"")
                .contains("<tr data-fact=\"Ended\">")
                .doesNotContain("hx-trigger")
                .doesNotContain("id=\"log\"");
        assertThat(browser.get(ti + "load", "HX-Request", "true", "HX-Target", "ti-live")
                        .body())
                .contains("hx-trigger=\"every 2s\"");
        // the graph's script asks for the states alone, as JSON, while the run moves
        assertThat(get("/dags/etl/graph").body())
                .contains("<div id=\"graph-live\" data-states-href=\"/dags/etl/graph/states?\" data-active=\"true\">");
        var states = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(get("/dags/etl/graph/states?run_id=" + Fmt.segment(runId))
                        .body());
        assertThat(states.get("active").asBoolean()).isTrue();
        assertThat(states.get("run_id").asText()).isEqualTo(runId);
        assertThat(states.get("nodes").get("transform").asText()).isEqualTo("failed");
        assertThat(states.get("hrefs").get("transform").asText()).isEqualTo(ti + "transform");
        assertThat(get("/dags/etl/graph/states?run_id=nope").statusCode()).isEqualTo(404);
        String list = browser.get("/", "HX-Request", "true", "HX-Target", "dag-list-live")
                .body();
        assertThat(list)
                .startsWith("<div id=\"dag-list-live\"")
                .contains("hx-trigger=\"every 3s\"")
                .contains("data-dag-id=\"etl\"")
                .doesNotContain("<html");
    }

    @Test
    void aRunningTasksLogOpensAtItsTail() throws Exception {
        TaskInstanceRepository tis = new TaskInstanceRepository(db.jdbc());
        TaskInstanceKey load = TaskInstanceKey.of("etl", runId, "load");
        assertThat(tis.schedule(List.of(load), TaskState.NONE)).containsExactly(load);
        assertThat(tis.queueAll(List.of(load), null)).containsExactly(load);
        assertThat(tis.startOnWorker(load, 1, "worker-host", 1)).isPresent();
        TaskLogRepository logs = new TaskLogRepository(db.jdbc());
        logs.append(load, 1, "first-marker\n" + "x".repeat(200 * 1024) + "\n");
        logs.append(load, 1, "second-marker\n" + "y".repeat(200 * 1024) + "\n");
        String path = "/dags/etl/runs/" + Fmt.segment(runId) + "/tasks/load";
        assertThat(get(path).body())
                .contains("second-marker")
                .doesNotContain("first-marker")
                .contains("data-next-offset=\"2\"")
                .contains("id=\"log-tail-note\"")
                .contains("id=\"log-follow\" checked");
        assertThat(get(path + "?log=start").body()).contains("first-marker").doesNotContain("log-tail-note");
    }

    @Test
    void graphLaysTasksOutInLayersColouredByTheRun() throws Exception {
        String body = get("/dags/etl/graph").body();
        assertThat(body)
                .contains("<svg id=\"graph\"")
                .contains("data-task-id=\"extract\" data-state=\"success\"")
                .contains("data-task-id=\"transform\" data-state=\"failed\"");
        // extract is in the first column, load in the third.
        assertThat(body).contains("<rect x=\"10\" y=\"10\"");
        assertThat(body).contains("<rect x=\"" + (10 + 2 * (GraphLayout.NODE_WIDTH + GraphLayout.COLUMN_GAP)) + "\"");
        // each box names its operator; the run picker shows dates and states, not only ids
        assertThat(body)
                .contains("<text class=\"operator\" x=\"18\" y=\"44\">bash</text>")
                .contains("2024-02-01 00:00:00 UTC · queued · manual</option>")
                .contains("<script src=\"/static/graph.js\" defer></script>");
        // without a script the page still lists every task and its upstreams
        assertThat(body)
                .contains("<li data-list-task-id=\"load\"><span class=\"cell s-none\" data-state=\"none\"></span>"
                        + " <strong>load</strong> <small class=\"muted\">bash</small> ← transform</li>");
    }

    @Test
    void codeDetailsAndRunsTabsShowTheDag() throws Exception {
        assertThat(get("/dags/etl/code").body())
                .contains("bash_command: echo t")
                .contains("&lt;script&gt;");
        assertThat(get("/dags/etl/details").body())
                .contains("&quot;region&quot; : &quot;eu&quot;")
                .contains("data-eng")
                .contains("<tr><th>Bundle version</th><td>(local DAG folder)</td></tr>");
        new DagRepository(db.jdbc()).recordBundleVersion(List.of("etl"), "20260101T000000Z-abcd1234");
        assertThat(get("/dags/etl/details").body())
                .contains("<tr><th>Bundle version</th><td>20260101T000000Z-abcd1234</td></tr>");
        assertThat(get("/dags/etl/runs").body())
                .contains("data-run-id=\"" + runId + "\"")
                .contains("manual");
    }

    @Test
    void theCodeTabDoesNotFollowALinkOutOfTheDagFolder() throws Exception {
        Path outside = Files.createTempFile("gust-secret", ".key");
        try {
            Files.writeString(outside, "TOP-SECRET-KEY-MATERIAL\n");
            Path dagFile = folder.resolve("etl.yaml");
            Files.delete(dagFile);
            Files.createSymbolicLink(dagFile, outside);

            String body = get("/dags/etl/code").body();

            assertThat(body)
                    .doesNotContain("TOP-SECRET-KEY-MATERIAL")
                    .contains("the stored DAG")
                    .contains("echo t");
        } finally {
            Files.deleteIfExists(outside);
        }
    }

    @Test
    void taskInstancePageShowsTheLogEscapedAndTheLogEndpointPages() throws Exception {
        String path = "/dags/etl/runs/" + Fmt.segment(runId) + "/tasks/transform";
        HttpResponse<String> page = get(path);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body())
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .doesNotContain("<script>alert")
                .contains("id=\"ti-state\">failed<");
        HttpResponse<String> log = get(path + "/log?try=1&offset=0");
        assertThat(log.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(log.body())
                .contains("<script>alert(1)</script>")
                .contains("\"next_offset\":1")
                .contains("\"finished\":true");
        assertThat(get(path + "/log?try=1&offset=1").body()).contains("\"text\":\"\"");
    }

    @Test
    void aTaskOnTheEcsExecutorShowsItsEcsTaskAndWhetherItsWorkerStarted() throws Exception {
        TaskInstanceRepository tis = new TaskInstanceRepository(db.jdbc());
        TaskInstanceKey load = TaskInstanceKey.of("etl", runId, "load");
        assertThat(tis.schedule(List.of(load), TaskState.NONE)).containsExactly(load);
        assertThat(tis.queueAll(List.of(load), null)).containsExactly(load);
        // what the ECS executor does: claim with no worker pid, then store the ARN of its RunTask
        assertThat(tis.claimQueued(
                        5, "scheduler-host", null, 1, new dev.gust.core.store.runs.RunFilter("etl", runId), "ecs"))
                .hasSize(1);
        String arn = "arn:aws:ecs:us-east-1:123456789012:task/gust/0123abcd";
        assertThat(tis.recordExternalExecutorId(load, 1, arn)).isTrue();
        String path = "/dags/etl/runs/" + Fmt.segment(runId) + "/tasks/load";

        assertThat(get(path).body())
                .contains("ecs")
                .contains(arn)
                .contains("waiting for the ECS task&#39;s container to start");
        assertThat(tis.startOnWorker(load, 1, "ip-10-0-1-5", 7)).isPresent();
        assertThat(get(path).body()).contains(arn).contains("started (pid 7)").doesNotContain("waiting for the ECS");
    }

    @Test
    void aMappedTaskHasAPagePerMapIndex() throws Exception {
        new TaskInstanceRepository(db.jdbc())
                .createForRun(
                        "etl",
                        runId,
                        List.of(
                                new NewTaskInstance("fan", 0, 0, "default_pool", 1, 1, "bash"),
                                new NewTaskInstance("fan", 1, 0, "default_pool", 1, 1, "bash")));
        new TaskLogRepository(db.jdbc())
                .appendLine(new TaskInstanceKey("etl", runId, "fan", 1), 1, Instant.now(), "only in one");
        // instance 1 ran with a map_index_template: the selector and its page show its name
        assertThat(new TaskInstanceRepository(db.jdbc())
                        .recordRenderedMapIndex(
                                new dev.gust.core.store.runs.TaskInstanceTry(
                                        new TaskInstanceKey("etl", runId, "fan", 1), 0),
                                "eu-west-1 <b>"))
                .isTrue();
        String path = "/dags/etl/runs/" + Fmt.segment(runId) + "/tasks/fan";
        assertThat(get(path).body())
                .contains("Mapped instances")
                .contains("<small id=\"map-index\">[0]</small>")
                .contains(
                        "data-map-index=\"0\" data-state=\"none\" title=\"map index 0: none\"><span class=\"mark s-none\"></span>0</a>")
                .contains(
                        "data-map-index=\"1\" data-state=\"none\" title=\"map index 1: none\"><span class=\"mark s-none\"></span>eu-west-1 &lt;b&gt;</a>")
                .doesNotContain("only in one");
        HttpResponse<String> second = get(path + "?map_index=1");
        assertThat(second.body())
                .contains("<small id=\"map-index\">[1] eu-west-1 &lt;b&gt;</small>")
                .contains("only in one")
                .contains("/log?map_index=1&amp;try=1");
        assertThat(get(path + "/log?map_index=1&try=1").body()).contains("only in one");
        assertThat(get(path + "?map_index=5").statusCode()).isEqualTo(404);
        // the grid's panel of a mapped task: one instance at a time, the others a click away
        String panel = "/dags/etl/grid?run_id=" + Fmt.segment(runId) + "&task_id=fan";
        assertThat(browser.get(panel + "&map_index=1", "HX-Request", "true", "HX-Target", "details")
                        .body())
                .contains("<small>[1]</small>")
                .contains("only in one")
                .contains("href=\"/dags/etl/grid?run_id=" + Fmt.segment(runId) + "&amp;task_id=fan&amp;map_index=0\"")
                .contains("/tasks/fan?map_index=1\"")
                .contains("/tasks/fan/clear?map_index=1&amp;downstream=true");
    }

    @Test
    void triggerValidatesTheConfAndCreatesNothingWhenItIsWrong() throws Exception {
        assertThat(get("/dags/etl/trigger").body()).contains("&quot;region&quot; : &quot;eu&quot;");
        HttpResponse<String> bad = post(
                "/dags/etl/trigger",
                Map.of("conf", "{\"limit\": \"ten\"}", "logical_date", "", "note", "kept <i>on error</i>"));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body())
                .contains("id=\"trigger-error\"")
                .contains("&#39;limit&#39; must be a number")
                .contains("value=\"kept &lt;i&gt;on error&lt;/i&gt;\"");
        assertThat(new DagRunRepository(db.jdbc()).listForDag("etl", null, 10)).hasSize(1);

        HttpResponse<String> good = post(
                "/dags/etl/trigger",
                Map.of("conf", "{\"limit\": 5}", "logical_date", "2024-03-01", "note", "backfill <b>March</b>"));
        assertThat(good.statusCode()).isEqualTo(302);
        assertThat(new DagRunRepository(db.jdbc()).findByLogicalDate("etl", Instant.parse("2024-03-01T00:00:00Z")))
                .hasValueSatisfying(run -> {
                    assertThat(run.conf()).contains("\"limit\": 5");
                    assertThat(run.note()).isEqualTo("backfill <b>March</b>");
                });
        assertThat(get("/dags/etl/runs").body())
                .contains("backfill &lt;b&gt;March&lt;/b&gt;")
                .doesNotContain("<b>March");
        assertThat(lastEvent().event().event()).isEqualTo("trigger");
        assertThat(lastEvent().event().owner()).isEqualTo("admin");
    }

    @Test
    void clearPreviewsThenClearsWithDownstreamAndIsAudited() throws Exception {
        String path = "/dags/etl/runs/" + Fmt.segment(runId) + "/tasks/transform/clear";
        String preview = get(path + "?downstream=true").body();
        assertThat(preview)
                .contains("<li>transform (failed)</li>")
                .contains("<li>load (none)</li>")
                .doesNotContain("<li>extract");
        assertThat(stateOf("transform")).isEqualTo(TaskState.FAILED);
        HttpResponse<String> done =
                post(path, Map.of("downstream", "true", "upstream", "false", "only_failed", "false"));
        assertThat(done.statusCode()).isEqualTo(302);
        assertThat(stateOf("transform")).isEqualTo(TaskState.NONE);
        assertThat(stateOf("extract")).isEqualTo(TaskState.SUCCESS);
        LoggedEvent event = lastEvent();
        assertThat(event.event().event()).isEqualTo("clear");
        assertThat(event.event().taskId()).isEqualTo("transform");
        assertThat(event.event().runId()).isEqualTo(runId);
    }

    @Test
    void markSuccessAndDeleteRunGoThroughCoreAndTheAuditLog() throws Exception {
        String ti = "/dags/etl/runs/" + Fmt.segment(runId) + "/tasks/transform";
        assertThat(get(ti + "/mark?state=success").body()).contains("<li>transform: failed → success</li>");
        assertThat(post(ti + "/mark", Map.of("state", "success")).statusCode()).isEqualTo(302);
        assertThat(stateOf("transform")).isEqualTo(TaskState.SUCCESS);
        assertThat(lastEvent().event().event()).isEqualTo("mark_success");

        String run = "/dags/etl/runs/" + Fmt.segment(runId) + "/delete";
        assertThat(get(run).body()).contains("id=\"confirm-submit\"");
        assertThat(post(run, Map.of()).statusCode()).isEqualTo(302);
        assertThat(new DagRunRepository(db.jdbc()).find("etl", runId)).isEmpty();
        assertThat(lastEvent().event().event()).isEqualTo("delete_dag_run");
        assertThat(get("/audit-log?event=delete_dag_run").body())
                .contains(runId)
                .doesNotContain("mark_success</td>");
    }

    @Test
    void pauseAndUnpauseAreConfirmedAndAudited() throws Exception {
        boolean before = new DagRepository(db.jdbc()).find("etl").orElseThrow().paused();
        assertThat(get("/dags/etl/pause?paused=" + !before).statusCode()).isEqualTo(200);
        HttpResponse<String> done =
                post("/dags/etl/pause", Map.of("paused", String.valueOf(!before), "next", "//evil.example"));
        assertThat(done.headers().firstValue("Location")).hasValue("/dags/etl");
        assertThat(new DagRepository(db.jdbc()).find("etl").orElseThrow().paused())
                .isEqualTo(!before);
        assertThat(lastEvent().event().event()).isEqualTo(before ? "unpause" : "pause");
    }

    @Test
    void missingThingsAreNotFoundPages() throws Exception {
        HttpResponse<String> dag = get("/dags/nope/grid");
        assertThat(dag.statusCode()).isEqualTo(404);
        assertThat(dag.body()).contains("There is no DAG &#39;nope&#39;.").doesNotContain("Exception");
        assertThat(get("/dags/etl/runs/nope/tasks/extract").statusCode()).isEqualTo(404);
        assertThat(get("/dags/etl/runs/" + Fmt.segment(runId) + "/tasks/nope").body())
                .contains("has no task &#39;nope&#39;");
        assertThat(get("/variables/nope/edit").statusCode()).isEqualTo(404);
    }

    @Test
    void variablesMaskSecretsAndKeepThemOnAnEmptyEdit() throws Exception {
        VariableRepository variables = new VariableRepository(db.jdbc(), cipher);
        variables.delete("api_key");
        assertThat(post(
                                "/variables",
                                Map.of(
                                        "key",
                                        "api_key",
                                        "value",
                                        "s3cr3t-value",
                                        "description",
                                        "",
                                        "editing",
                                        "false"))
                        .statusCode())
                .isEqualTo(302);
        assertThat(get("/variables").body()).contains("api_key").doesNotContain("s3cr3t-value");
        assertThat(get("/variables/api_key/edit").body()).doesNotContain("s3cr3t-value");
        post("/variables", Map.of("key", "api_key", "value", "", "description", "changed", "editing", "true"));
        assertThat(variables.find("api_key").orElseThrow().value()).isEqualTo("s3cr3t-value");
        assertThat(lastEvent().event().event()).isEqualTo("variable_edit");
        post("/variables/api_key/delete", Map.of());
        assertThat(variables.find("api_key")).isEmpty();
    }

    @Test
    void connectionsNeverShowSecretsAndAnEmptyPasswordKeepsTheOldOne() throws Exception {
        ConnectionRepository connections = new ConnectionRepository(db.jdbc(), cipher);
        connections.delete("warehouse");
        connections.add(new Connection(
                "warehouse",
                "postgres",
                null,
                "db.example",
                "dw",
                "etl",
                "pa55word-x",
                5432,
                "{\"token\": \"tok-xyz\"}"));
        assertThat(get("/connections").body())
                .contains("db.example")
                .doesNotContain("pa55word-x")
                .doesNotContain("tok-xyz");
        assertThat(get("/connections/warehouse/edit").body())
                .doesNotContain("pa55word-x")
                .doesNotContain("tok-xyz")
                .contains("one is stored");
        post(
                "/connections",
                Map.of(
                        "editing",
                        "true",
                        "conn_id",
                        "warehouse",
                        "conn_type",
                        "postgres",
                        "host",
                        "db2.example",
                        "port",
                        "5433",
                        "password",
                        "",
                        "extra",
                        ""));
        Connection after = connections.find("warehouse").orElseThrow();
        assertThat(after.host()).isEqualTo("db2.example");
        assertThat(after.password()).isEqualTo("pa55word-x");
        assertThat(after.extra()).contains("tok-xyz");
        assertThat(lastEvent().event().event()).isEqualTo("connection_edit");
        assertThat(post(
                                "/connections",
                                Map.of("editing", "false", "conn_id", "x", "conn_type", "http", "port", "99999"))
                        .body())
                .contains("The port must be a number from 0 to 65535.");
    }

    @Test
    void poolsShowUsageAndTheDefaultPoolCannotBeDeleted() throws Exception {
        assertThat(get("/pools").body()).contains("data-pool=\"default_pool\"");
        assertThat(post("/pools", Map.of("name", "etl_pool", "slots", "3", "description", "", "editing", "false"))
                        .statusCode())
                .isEqualTo(302);
        assertThat(get("/pools").body()).contains("data-pool=\"etl_pool\"");
        assertThat(post("/pools/default_pool/delete", Map.of()).statusCode()).isEqualTo(400);
        assertThat(new dev.gust.core.store.pools.PoolRepository(db.jdbc()).find("default_pool"))
                .isPresent();
        post("/pools/etl_pool/delete", Map.of());
        assertThat(new dev.gust.core.store.pools.PoolRepository(db.jdbc()).find("etl_pool"))
                .isEmpty();
    }

    @Test
    void staticAssetsAreServedAndOnlyTheNamedOnes() throws Exception {
        HttpResponse<String> css = get("/static/gust.css");
        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.headers().firstValue("Content-Type").orElse("")).startsWith("text/css");
        assertThat(get("/static/gust.js").body()).contains("textContent").doesNotContain("innerHTML");
        HttpResponse<String> htmx = get("/static/htmx.min.js");
        assertThat(htmx.statusCode()).isEqualTo(200);
        assertThat(htmx.headers().firstValue("Content-Type").orElse("")).startsWith("text/javascript");
        assertThat(htmx.body()).contains("htmx");
        assertThat(get("/static/..%2Ftemplates%2Flayout.peb").statusCode()).isEqualTo(404);
    }

    private TaskState stateOf(String taskId) {
        return new TaskInstanceRepository(db.jdbc())
                .find(TaskInstanceKey.of("etl", runId, taskId))
                .orElseThrow()
                .state();
    }

    private LoggedEvent lastEvent() {
        return new EventLogRepository(db.jdbc()).recent(1).getFirst();
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        return browser.get(path, headers);
    }

    private HttpResponse<String> post(String path, Map<String, String> form) throws Exception {
        Map<String, String> fields = new LinkedHashMap<>(form);
        fields.put("_csrf", csrf);
        return browser.postForm(path, fields);
    }
}
