package dev.gust.webserver.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gust.core.config.GustConfig;
import dev.gust.core.dag.load.DagFolderScanner;
import dev.gust.core.dag.sync.DagFolderSync;
import dev.gust.core.store.Params;
import dev.gust.core.store.dags.DagRepository;
import dev.gust.core.store.dagwarnings.DagWarningRepository;
import dev.gust.core.store.events.Event;
import dev.gust.core.store.events.EventLogRepository;
import dev.gust.core.store.importerrors.ImportErrorRepository;
import dev.gust.core.testing.TestDatabase;
import dev.gust.webserver.GustWebServer;
import dev.gust.webserver.TestUsers;
import dev.gust.webserver.WebClient;
import dev.gust.webserver.WebServices;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The DAG page's Gantt, task duration, landing times, calendar and audit tabs over real HTTP on a
 * real PostgreSQL: a retried task has a bar per try in each try's state, a chart has a series per
 * task with the figures the table shows in words, landing is the end after the data interval's,
 * a day with a failed run is a failed day, and the audit tab keeps to its DAG.
 */
class DagChartTabsTest {

    static final Instant T0 = Instant.parse("2024-03-05T06:00:00Z");

    static TestDatabase db;
    static Path folder;
    static GustWebServer server;
    static WebClient browser;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.create();
        folder = Files.createTempDirectory("gust-chart-tabs-test");
        Files.writeString(folder.resolve("charts.yaml"), """
                charted:
                  schedule: '@daily'
                  default_args: {start_date: 2024-01-01}
                  tasks:
                    extract: {operator: empty}
                    load: {operator: empty, dependencies: [extract]}
                other:
                  schedule: null
                  default_args: {start_date: 2024-01-01}
                  tasks:
                    t: {operator: empty}
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
        int port = server.start("127.0.0.1", 0);
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
        db.jdbc().update("DELETE FROM log", Params.none());
    }

    /** A daily run of {@code charted} whose data interval ends at {@code day}, in {@code state}. */
    private static void run(String runId, Instant day, String state) {
        db.jdbc()
                .update(
                        """
                INSERT INTO dag_run (dag_id, run_id, logical_date, data_interval_start, data_interval_end, state,
                                     run_type, start_date, end_date)
                VALUES ('charted', :runId, :start, :start, :day, :state, 'scheduled', :day, :day + interval '1 hour')""",
                        Params.of("runId", runId)
                                .and("start", day.minusSeconds(86400))
                                .and("day", day)
                                .and("state", state));
    }

    /** A finished task instance of one try: queued a second before it started, ran {@code seconds}. */
    private static void task(String runId, String taskId, Instant started, int seconds, String state) {
        db.jdbc()
                .update(
                        """
                INSERT INTO task_instance (dag_id, run_id, task_id, state, try_number, queued_at, start_date, end_date,
                                           duration, operator)
                VALUES ('charted', :runId, :taskId, :state, 1, :started - interval '1 second', :started,
                        :started + :seconds * interval '1 second', :seconds, 'empty')""",
                        Params.of("runId", runId)
                                .and("taskId", taskId)
                                .and("state", state)
                                .and("started", started)
                                .and("seconds", seconds));
    }

    private static void update(String runId, String taskId, String set, Instant at) {
        db.jdbc()
                .update(
                        "UPDATE task_instance SET " + set
                                + " WHERE dag_id = 'charted' AND run_id = :runId AND task_id = :taskId",
                        Params.of("runId", runId).and("taskId", taskId).and("at", at));
    }

    private static Document page(String path) throws Exception {
        HttpResponse<String> response = browser.get(path);
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return Jsoup.parse(response.body());
    }

    @Test
    void theGanttHasABarPerTryInItsStateAndTheTableSaysTheSame() throws Exception {
        run("r1", T0, "success");
        task("r1", "load", T0.plusSeconds(200), 30, "success");
        // extract failed its first try and succeeded on its second: the trigger records each try
        db.jdbc().update("""
                INSERT INTO task_instance (dag_id, run_id, task_id, state, try_number, max_tries, operator)
                VALUES ('charted', 'r1', 'extract', 'scheduled', 0, 1, 'empty')""", Params.none());
        update("r1", "extract", "state = 'queued', try_number = 1, queued_at = :at", T0);
        update("r1", "extract", "state = 'running', start_date = :at", T0.plusSeconds(5));
        update("r1", "extract", "state = 'up_for_retry', end_date = :at", T0.plusSeconds(65));
        update(
                "r1",
                "extract",
                "state = 'queued', try_number = 2, queued_at = :at, start_date = NULL, end_date = NULL",
                T0.plusSeconds(100));
        update("r1", "extract", "state = 'running', start_date = :at", T0.plusSeconds(110));
        update("r1", "extract", "state = 'success', end_date = :at, duration = 80", T0.plusSeconds(190));

        Document gantt = page("/dags/charted/gantt");
        assertThat(gantt.select("#tab-gantt").hasClass("active")).isTrue();
        List<Element> rows = gantt.select("#gantt .gantt-row[data-task-id]");
        assertThat(rows).extracting(r -> r.attr("data-task-id")).containsExactly("extract", "load");
        assertThat(rows.getFirst().select(".gantt-bar"))
                .extracting(b -> b.attr("data-try") + ":" + b.attr("data-state") + ":" + b.className())
                .containsExactly("1:up_for_retry:gantt-bar s-up_for_retry", "2:success:gantt-bar s-success");
        assertThat(rows.getFirst().select(".gantt-queued")).hasSize(2);
        // the first try starts at the line's start (its queue), load ends it
        assertThat(rows.getFirst().selectFirst(".gantt-queued").attr("style")).startsWith("left:0.00%");
        assertThat(rows.get(1).selectFirst(".gantt-bar").attr("style")).endsWith("width:13.04%");
        assertThat(gantt.select("#gantt-table tbody tr"))
                .extracting(Element::text)
                .containsExactly(
                        "extract 1 up_for_retry 2024-03-05 06:00:00 UTC 2024-03-05 06:00:05 UTC 2024-03-05 06:01:05 UTC 5.0s 1m 00s",
                        "extract 2 success 2024-03-05 06:01:40 UTC 2024-03-05 06:01:50 UTC 2024-03-05 06:03:10 UTC 10.0s 1m 20s",
                        "load 1 success 2024-03-05 06:03:19 UTC 2024-03-05 06:03:20 UTC 2024-03-05 06:03:50 UTC 1.0s 30.0s");
        assertThat(gantt.select("#gantt-run option"))
                .extracting(Element::text)
                .containsExactly("2024-03-04 06:00:00 UTC · success · scheduled");
    }

    @Test
    void theDurationChartHasASeriesPerTaskAndLandingCountsFromTheIntervalsEnd() throws Exception {
        Instant day1 = T0;
        Instant day2 = T0.plusSeconds(86400);
        run("r1", day1, "success");
        run("r2", day2, "failed");
        task("r1", "extract", day1.plusSeconds(60), 90, "success");
        task("r1", "load", day1.plusSeconds(200), 30, "success");
        task("r2", "extract", day2.plusSeconds(60), 4000, "failed");

        Document duration = page("/dags/charted/duration");
        JsonNode chart =
                new ObjectMapper().readTree(duration.selectFirst("#chart").attr("data-chart"));
        assertThat(chart.get("series").findValuesAsText("label")).containsExactly("extract", "load");
        assertThat(chart.get("series").get(0).get("values").toString()).isEqualTo("[90.0,4000.0]");
        assertThat(chart.get("series").get(1).get("values").toString()).isEqualTo("[30.0,null]");
        assertThat(chart.get("x").toString())
                .isEqualTo("[" + day1.minusSeconds(86400).getEpochSecond() + ","
                        + day2.minusSeconds(86400).getEpochSecond() + "]");
        // newest run first, figures in words
        assertThat(duration.select("#chart-table tbody tr td.num"))
                .extracting(Element::text)
                .containsExactly("1h 06m 40s", "", "1m 30s", "30.0s");

        Document landing = page("/dags/charted/landing-times");
        assertThat(landing.select("#tab-landing").hasClass("active")).isTrue();
        JsonNode landed =
                new ObjectMapper().readTree(landing.selectFirst("#chart").attr("data-chart"));
        // r1's extract ended 60 + 90 s after its interval's end
        assertThat(landed.get("series").get(0).get("values").toString()).isEqualTo("[150.0,4060.0]");
        assertThat(landing.select("script[src=/static/uPlot.min.js]")).hasSize(1);
    }

    @Test
    void aDayWithAFailedRunIsAFailedDay() throws Exception {
        run("ok", Instant.parse("2024-03-02T00:00:00Z"), "success");
        run("bad", Instant.parse("2024-03-03T00:00:00Z"), "failed");
        db.jdbc().update("""
                INSERT INTO dag_run (dag_id, run_id, logical_date, state, run_type)
                VALUES ('charted', 'manual_same_day', '2024-03-02T12:00:00Z', 'success', 'manual')""", Params.none());
        Document calendar = page("/dags/charted/calendar?year=2024");
        assertThat(calendar.selectFirst(".cal-day[data-date=2024-03-01]").attr("data-state"))
                .isEqualTo("success");
        Element failed = calendar.selectFirst(".cal-day[data-date=2024-03-02]");
        assertThat(failed.attr("data-state")).isEqualTo("failed");
        assertThat(failed.hasClass("s-failed")).isTrue();
        assertThat(failed.attr("title")).isEqualTo("2024-03-02: 1 failed, 1 success");
        assertThat(calendar.selectFirst(".cal-day[data-date=2024-03-05]").attr("data-state"))
                .isEqualTo("none");
        // 2024 starts on a Monday: no day of 2023 before it; 366 days and 5 days of 2025 after
        assertThat(calendar.select(".cal-days > *")).hasSize(53 * 7);
        assertThat(calendar.select("#calendar-table tbody tr"))
                .extracting(Element::text)
                .containsExactly("2024-03-01 success 1 success", "2024-03-02 failed 1 failed, 1 success");
        assertThat(page("/dags/charted/calendar?year=2023")
                        .select("#calendar-table tbody tr")
                        .text())
                .isEqualTo("No runs in 2023.");
    }

    @Test
    void theAuditTabListsTheDagsEventsOnly() throws Exception {
        EventLogRepository events = new EventLogRepository(db.jdbc());
        events.append(new Event("pause", "charted", null, null, "admin", "paused"));
        events.append(new Event("trigger", "other", null, "manual__x", "admin", null));
        events.append(new Event("clear", "charted", "load", "r1", "someone", null));
        Document audit = page("/dags/charted/audit-log");
        assertThat(audit.select("#dag-audit tbody tr"))
                .extracting(
                        r -> r.attr("data-event") + " " + r.select("td").get(1).text())
                .containsExactly("clear someone", "pause admin");
        assertThat(audit.select("#dag-audit tbody tr td time")).hasSize(2);
        assertThat(audit.select("select[name=event] option"))
                .extracting(Element::text)
                .containsExactly("All events", "clear", "pause");
        assertThat(page("/dags/charted/audit-log?event=pause").select("#dag-audit tbody tr"))
                .hasSize(1);
    }
}
