package dev.gust.webserver.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.config.GustConfig;
import dev.gust.core.dag.load.DagFolderScanner;
import dev.gust.core.dag.sync.DagFolderSync;
import dev.gust.core.store.Params;
import dev.gust.core.store.dags.DagRepository;
import dev.gust.core.store.dagwarnings.DagWarningRepository;
import dev.gust.core.store.importerrors.ImportErrorRepository;
import dev.gust.core.store.importerrors.ImportProblem;
import dev.gust.core.store.jobs.JobRepository;
import dev.gust.core.testing.TestDatabase;
import dev.gust.webserver.GustWebServer;
import dev.gust.webserver.TestUsers;
import dev.gust.webserver.WebClient;
import dev.gust.webserver.WebServices;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Browse → DAG runs, Task instances, XComs and the dashboard over real HTTP on a real PostgreSQL:
 * "failed in the last 24 h" shows only those, the DAG filter and paging keep to their rows, a
 * filter that cannot be read is named in words, and the dashboard counts what the tables hold.
 */
class BrowsePagesTest {

    static TestDatabase db;
    static Path folder;
    static GustWebServer server;
    static WebClient browser;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.create();
        folder = Files.createTempDirectory("gust-browse-test");
        Files.writeString(folder.resolve("two.yaml"), """
                alpha:
                  schedule: null
                  default_args: {start_date: 2024-01-01}
                  tasks:
                    a1: {operator: empty}
                beta:
                  schedule: null
                  default_args: {start_date: 2024-01-01}
                  tasks:
                    b1: {operator: empty}
                """);
        GustConfig config = GustConfig.load(
                null,
                Map.of(
                        "GUST_SECURITY__ENCRYPTION_KEY", Base64.getEncoder().encodeToString(new byte[32]),
                        "GUST_CORE__DAGS_FOLDER", folder.toString()));
        try (DagFolderSync sync = new DagFolderSync(
                new DagFolderScanner(folder),
                new DagRepository(db.jdbc()),
                new ImportErrorRepository(db.jdbc()),
                new DagWarningRepository(db.jdbc()),
                GustConfig.defaults().core())) {
            assertThat(sync.sync().dags()).isEqualTo(2);
        }
        server = new GustWebServer(WebServices.create(config, db.jdbc()));
        port = server.start("127.0.0.1", 0);
        TestUsers.create(db.jdbc(), "admin", "admin");
        browser = new WebClient(port);
        browser.login("admin", TestUsers.PASSWORD);
    }

    @AfterAll
    static void stop() {
        server.close();
        db.close();
    }

    @BeforeEach
    void empty() {
        db.jdbc().update("DELETE FROM dag_run", Params.none());
        db.jdbc().update("DELETE FROM job", Params.none());
        db.jdbc().update("DELETE FROM import_error", Params.none());
    }

    /** A run of {@code dagId} started {@code ago} before now in {@code state}, with one task instance in {@code tiState}. */
    private void run(String dagId, String runId, Duration ago, String state, String taskId, String tiState) {
        Instant started = Instant.now().minus(ago);
        db.jdbc()
                .update(
                        """
                INSERT INTO dag_run (dag_id, run_id, logical_date, state, run_type, start_date, end_date)
                VALUES (:dagId, :runId, :started, :state, 'manual', :started, :started + interval '1 minute')""",
                        Params.of("dagId", dagId)
                                .and("runId", runId)
                                .and("started", started)
                                .and("state", state));
        db.jdbc()
                .update(
                        """
                INSERT INTO task_instance (dag_id, run_id, task_id, state, try_number, start_date, end_date, duration, operator)
                VALUES (:dagId, :runId, :taskId, :state, 1, :started, :started + interval '1 minute', 60, 'empty')""",
                        Params.of("dagId", dagId)
                                .and("runId", runId)
                                .and("taskId", taskId)
                                .and("started", started)
                                .and("state", tiState));
    }

    private void mixedRuns() {
        run("alpha", "recent_failed", Duration.ofHours(2), "failed", "a1", "failed");
        run("alpha", "old_failed", Duration.ofDays(3), "failed", "a1", "failed");
        run("alpha", "recent_ok", Duration.ofHours(1), "success", "a1", "success");
        run("beta", "beta_failed", Duration.ofHours(5), "failed", "b1", "failed");
    }

    @Test
    void failedInTheLast24HoursShowsOnlyThoseTaskInstances() throws Exception {
        mixedRuns();
        String body = ok("/browse/task-instances?state=failed&since=24h");
        assertThat(runIds(body)).containsExactly("beta_failed", "recent_failed");
        assertThat(states(body)).containsOnly("failed");
        assertThat(runIds(ok("/browse/task-instances?state=failed&since=24h&dag_id=beta")))
                .containsExactly("beta_failed");
        assertThat(runIds(ok("/browse/task-instances")))
                .containsExactly("beta_failed", "recent_ok", "old_failed", "recent_failed");
        // an explicit range: started on or after a date, before another
        String from = Instant.now().minus(Duration.ofDays(4)).toString().substring(0, 10);
        String to = Instant.now().minus(Duration.ofDays(1)).toString();
        assertThat(runIds(ok("/browse/task-instances?from=" + from + "&to=" + to)))
                .containsExactly("old_failed");
        // each row links to its task page and shows its time with the zone
        assertThat(body).contains("/dags/beta/runs/beta_failed/tasks/b1\"").contains(" UTC</time>");
    }

    @Test
    void failedRunsInTheLast24HoursAcrossDags() throws Exception {
        mixedRuns();
        String body = ok("/browse/runs?state=failed&since=24h");
        assertThat(runIds(body)).containsExactly("beta_failed", "recent_failed");
        assertThat(runIds(ok("/browse/runs?dag_id=alpha"))).containsExactly("recent_ok", "old_failed", "recent_failed");
        assertThat(runIds(ok("/browse/runs?state=success"))).containsExactly("recent_ok");
    }

    @Test
    void aFilterThatCannotBeReadIsNamedInWordsAndLeftOut() throws Exception {
        mixedRuns();
        HttpResponse<String> page = browser.get("/browse/task-instances?state=broken&since=2d&from=yesterday");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body())
                .contains("state &#39;broken&#39; is not one of none, scheduled")
                .contains("since &#39;2d&#39; is not one of 1h, 24h, 7d, 30d")
                .contains("from &#39;yesterday&#39; is not a date; write it like 2024-01-31")
                .doesNotContain("Exception");
        assertThat(runIds(page.body())).hasSize(4);
    }

    @Test
    void pagesOfFiftyWithLinksThatKeepTheFilters() throws Exception {
        for (int i = 0; i < 60; i++) {
            run("alpha", "r%02d".formatted(i), Duration.ofMinutes(60 - i), "failed", "a1", "failed");
        }
        String first = ok("/browse/task-instances?state=failed&since=24h");
        assertThat(runIds(first)).hasSize(50).startsWith("r59");
        assertThat(first).contains("href=\"/browse/task-instances?state=failed&amp;since=24h&amp;page=2\"");
        String second = ok("/browse/task-instances?state=failed&since=24h&page=2");
        assertThat(runIds(second)).hasSize(10).endsWith("r00");
        assertThat(second).doesNotContain("rel=\"next\"").contains("rel=\"prev\"");
        assertThat(runIds(ok("/browse/runs?page=2"))).hasSize(10);
    }

    @Test
    void xcomsAreListedNewestFirstAndEscaped() throws Exception {
        mixedRuns();
        db.jdbc().update("""
                INSERT INTO xcom (dag_id, run_id, task_id, key, value)
                VALUES ('alpha', 'recent_ok', 'a1', 'return_value', '"<b>rows</b>"'),
                       ('beta', 'beta_failed', 'b1', 'count', '42')""", Params.none());
        String body = ok("/browse/xcoms");
        assertThat(body)
                .contains("&lt;b&gt;rows&lt;/b&gt;")
                .doesNotContain("<b>rows</b>")
                .contains(">count<");
        String filtered = ok("/browse/xcoms?dag_id=beta");
        assertThat(filtered).contains(">count<").doesNotContain("return_value");
    }

    @Test
    void theDashboardShowsSchedulerHealthSlotsAndCountsByState() throws Exception {
        mixedRuns();
        JobRepository jobs = new JobRepository(db.jdbc());
        long live = jobs.register(JobRepository.SCHEDULER, "sched-host", 4242);
        long stale = jobs.register(JobRepository.SCHEDULER, "old-host", 1);
        db.jdbc()
                .update(
                        "UPDATE job SET latest_heartbeat = now() - interval '10 minutes' WHERE id = :id",
                        Params.of("id", stale));
        new ImportErrorRepository(db.jdbc()).replaceForFile("broken.yaml", List.of(new ImportProblem(1, "bad")));
        String body = ok("/dashboard");
        assertThat(body).contains("id=\"scheduler-health\">healthy<");
        assertThat(body).contains("data-job-id=\"" + live + "\" data-healthy=\"true\"");
        assertThat(body)
                .contains("data-job-id=\"" + stale + "\" data-healthy=\"false\"")
                .contains("heartbeat late");
        assertThat(body).contains("class=\"ts ago\"").contains("10 min ago");
        // one live scheduler: core.parallelism slots (32 by default)
        assertThat(body).contains("id=\"slots-total\">32<");
        // runs: 2 failed and 1 success started in the last day; the old failed one is not counted
        assertThat(count(body, "run-states", "failed")).isEqualTo("2");
        assertThat(count(body, "run-states", "success")).isEqualTo("1");
        assertThat(count(body, "ti-states", "failed")).isEqualTo("2");
        assertThat(body).contains("href=\"/browse/task-instances?state=failed&amp;since=24h\"");
        assertThat(body).contains("1 import error<").contains("data-pool=\"default_pool\"");
        db.jdbc().update("UPDATE job SET latest_heartbeat = now() - interval '10 minutes'", Params.none());
        assertThat(ok("/dashboard")).contains("no live scheduler").contains("id=\"slots-total\">0<");
    }

    @Test
    void aForbiddenPageIsInTheNormalLayoutAndTheUsersPageLooksLikeTheOthers() throws Exception {
        TestUsers.create(db.jdbc(), "looker", "viewer");
        WebClient viewer = new WebClient(port);
        viewer.login("looker", TestUsers.PASSWORD);
        HttpResponse<String> forbidden = viewer.get("/variables");
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(forbidden.body())
                .contains("<nav class=\"top\">")
                .contains("id=\"current-user\">looker (viewer)")
                .contains("id=\"error-page\"")
                .contains("signed in as looker (viewer)")
                .contains("<link rel=\"stylesheet\" href=\"/static/gust.css\">");
        assertThat(ok("/users"))
                .contains("<table id=\"users\" class=\"list users\">")
                .contains("<nav class=\"top\">");
    }

    private static String ok(String path) throws Exception {
        HttpResponse<String> page = browser.get(path);
        assertThat(page.statusCode()).as(path).isEqualTo(200);
        return page.body();
    }

    private static List<String> runIds(String html) {
        return attributes(html, "data-run-id");
    }

    private static List<String> states(String html) {
        return attributes(html, "data-state");
    }

    private static List<String> attributes(String html, String name) {
        Matcher m = Pattern.compile("<tr [^>]*" + name + "=\"([^\"]*)\"").matcher(html);
        List<String> values = new java.util.ArrayList<>();
        while (m.find()) {
            values.add(m.group(1));
        }
        return values;
    }

    /** The count shown for {@code state} in the dashboard's section {@code id}. */
    private static String count(String html, String id, String state) {
        String section = html.substring(html.indexOf("id=\"" + id + "\""));
        Matcher m = Pattern.compile("<tr data-state=\"" + state + "\">.*?<a href=\"[^\"]*\">(\\d+)</a>")
                .matcher(section);
        assertThat(m.find()).as(state + " in " + id).isTrue();
        return m.group(1);
    }
}
