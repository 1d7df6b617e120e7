package dev.gust.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The web UI in a real headless Chromium against a real {@code gust standalone} (embedded
 * PostgreSQL, scheduler with the local executor, web server): the DAG list with the broken-file
 * banner, trigger, the grid turning green, a task's log followed live, clear through its
 * confirmation, the audit log, and user-supplied {@code <script>} in a description and a log line
 * staying inert text. Screenshots of each step go to {@code target/screenshots/}.
 */
class BrowserIT {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target/screenshots");

    /** Set by the scripts below if they ever ran; they must not. */
    static final String PWNED_FLAG = "gustPwned";

    @TempDir
    Path home;

    @TempDir
    Path dags;

    @TempDir
    Path browserProfile;

    GustProcess gust;
    WebDriver browser;
    String base;
    String adminPassword;

    @BeforeEach
    void startGustAndBrowser() throws Exception {
        HeadlessChromium.requireInstalled();
        Files.writeString(dags.resolve("ui_hello.yaml"), """
                ui_hello:
                  description: "Says hello <script>window.gustPwned = 1</script>"
                  schedule: null
                  is_paused_upon_creation: false
                  tags: [browser]
                  default_args: {owner: ui-suite, start_date: 2024-01-01}
                  tasks:
                    say_hello:
                      operator: bash
                      bash_command: "echo '<script>window.gustPwned = 2; alert(1)</script>'"
                    slow_step:
                      operator: bash
                      bash_command: "echo slow-start; sleep 6; echo slow-done"
                      dependencies: [say_hello]
                """);
        Files.writeString(dags.resolve("broken.yaml"), """
                ui_broken:
                  tasks:
                    oops: {operator: no_such_operator}
                """);
        int port = GustProcess.freePort();
        Map<String, String> env = GustProcess.isolatedEnvironment(home);
        env.put("GUST_WEBSERVER__PORT", String.valueOf(port));
        env.put("GUST_CORE__DAGS_FOLDER", dags.toString());
        gust = GustProcess.start(env, "standalone");
        base = "http://127.0.0.1:" + port;
        waitForHealth();
        // gust standalone prints the first admin's generated password once, as Airflow's does.
        java.util.regex.Matcher password =
                java.util.regex.Pattern.compile("gust:   password: (\\S+)").matcher(gust.stdout());
        assertThat(password.find())
                .as("standalone printed the admin password: " + gust.output())
                .isTrue();
        adminPassword = password.group(1);
        browser = chromium();
    }

    @AfterEach
    void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (gust != null) {
            gust.terminate(Duration.ofSeconds(60));
            gust.close();
        }
    }

    @Test
    void triggerWatchFollowTheLogAndClearInARealBrowser() throws Exception {
        open("/");
        signIn("admin", adminPassword);

        // The DAG list, with the banner for the broken file and the description as text.
        WebElement row = waitFor(
                () -> browser.findElements(By.cssSelector("tr[data-dag-id='ui_hello']")).stream()
                        .findFirst()
                        .orElse(null),
                "ui_hello in the DAG list",
                true);
        assertThat(row.findElement(By.cssSelector(".description")).getText())
                .isEqualTo("Says hello <script>window.gustPwned = 1</script>");
        // the import errors are one collapsed line with their count; opened, each file's error
        WebElement importErrors = waitFor(
                () -> browser.findElements(By.id("import-errors-summary")).stream()
                        .findFirst()
                        .orElse(null),
                "the import errors line",
                true);
        assertThat(importErrors.getText()).contains("DAG import errors: 1.");
        assertThat(browser.findElement(By.cssSelector(".broken")).isDisplayed()).isFalse();
        importErrors.click();
        WebElement banner = waitFor(
                () -> browser.findElements(By.cssSelector(".broken")).stream()
                        .findFirst()
                        .orElse(null),
                "the Broken DAG banner",
                true);
        assertThat(banner.getText()).startsWith("Broken DAG: broken.yaml").contains("no_such_operator");
        assertInert();
        screenshot("1-dag-list");

        // Trigger from the list, through the trigger form.
        row.findElement(By.linkText("▶ Trigger")).click();
        assertThat(browser.findElement(By.id("conf")).getAttribute("value")).isNotNull();
        screenshot("2-trigger-form");
        browser.findElement(By.id("trigger-submit")).click();
        waitForPage("/dags/ui_hello/grid");

        // The slow task's log, followed without reloading the page.
        String runPath = firstCellHref("slow_step");
        open(URI.create(runPath).getPath());
        assertThat(browser.findElement(By.id("log")).getAttribute("data-live"))
                .as("slow_step still running when opened")
                .isEqualTo("true");
        waitFor(
                () -> text("log").contains("slow-done") ? true : null,
                "slow_step's log to show slow-done without a reload",
                false);
        waitFor(() -> text("ti-state").equals("success") ? true : null, "slow_step's state to turn success", false);
        assertThat(browser.findElement(By.cssSelector("tr[data-fact='State'] td"))
                        .getText())
                .isEqualTo("success");
        screenshot("3-live-log");

        // The grid turns green.
        open("/dags/ui_hello/grid");
        waitFor(() -> allCellsAre("success") ? true : null, "every grid cell to be success", true);
        screenshot("4-grid-green");

        // The graph of that run: an SVG box per task, coloured by its state.
        browser.findElement(By.linkText("Graph")).click();
        List<WebElement> nodes = browser.findElements(By.cssSelector("#graph g.node"));
        assertThat(nodes)
                .extracting(node -> node.getAttribute("data-task-id"))
                .containsExactlyInAnyOrder("say_hello", "slow_step");
        assertThat(nodes)
                .allSatisfy(node -> assertThat(node.getAttribute("data-state")).isEqualTo("success"));
        screenshot("4b-graph");

        // The log of say_hello: the <script> line is shown literally and does nothing.
        open("/dags/ui_hello/grid");
        open(URI.create(firstCellHref("say_hello")).getPath());
        assertThat(text("log")).contains("<script>window.gustPwned = 2; alert(1)</script>");
        assertInert();
        screenshot("5-task-log");

        // Clear say_hello (with downstream) through its confirmation page.
        browser.findElement(By.id("clear-button")).click();
        assertThat(text("confirm-changes")).contains("say_hello (success)").contains("slow_step (success)");
        screenshot("6-clear-confirm");
        browser.findElement(By.id("confirm-submit")).click();
        waitForPage("/dags/ui_hello/grid");
        // The cleared tasks run again (a second try) and the grid ends green.
        String sayHello = URI.create(firstCellHref("say_hello")).getPath();
        open(sayHello);
        waitFor(
                () -> browser.findElements(By.linkText("Try 2")).isEmpty() ? null : true,
                "say_hello's second try",
                true);
        open("/dags/ui_hello/grid");
        waitFor(() -> allCellsAre("success") ? true : null, "the cleared run to finish green", true);
        screenshot("7-grid-after-clear");

        // Both actions are in the audit log, by the signed-in user.
        open("/audit-log?dag_id=ui_hello");
        String auditLog = text("audit-log");
        assertThat(auditLog).contains("trigger").contains("clear");
        screenshot("8-audit-log");
        assertInert();
    }

    /** A 3 MB log is shown a page at a time: the page opens with the first, "Load more" adds the rest. */
    @Test
    void aLongLogIsShownAPageAtATimeInARealBrowser() throws Exception {
        Files.writeString(dags.resolve("ui_loud.yaml"), """
                ui_loud:
                  schedule: null
                  is_paused_upon_creation: false
                  default_args: {start_date: 2024-01-01}
                  tasks:
                    loud: {operator: bash, bash_command: 'seq 1 100000'}
                """);
        open("/");
        signIn("admin", adminPassword);
        WebElement row = waitFor(
                () -> browser.findElements(By.cssSelector("tr[data-dag-id='ui_loud']")).stream()
                        .findFirst()
                        .orElse(null),
                "ui_loud in the DAG list",
                true);
        row.findElement(By.linkText("▶ Trigger")).click();
        browser.findElement(By.id("trigger-submit")).click();
        waitForPage("/dags/ui_loud/grid");
        waitFor(() -> allCellsAre("success") ? true : null, "ui_loud's run to finish", true);
        open(URI.create(firstCellHref("loud")).getPath());

        JavascriptExecutor js = (JavascriptExecutor) browser;
        String first = (String) js.executeScript("return document.getElementById('log').textContent;");
        assertThat(first.length()).as("the first page of the log").isLessThan(300 * 1024);
        assertThat(first).contains("] 1000\n").doesNotContain("] 100000\n");
        WebElement more = browser.findElement(By.id("log-more"));
        for (int click = 0; more.isDisplayed(); click++) {
            assertThat(click).as("Load more clicks for a 3 MB log").isLessThan(30);
            long before = (Long) js.executeScript("return document.getElementById('log').textContent.length;");
            browser.findElement(By.id("log-more-button")).click();
            waitFor(
                    () -> (Long) js.executeScript("return document.getElementById('log').textContent.length;") > before
                            ? true
                            : null,
                    "the next page of the log",
                    false);
        }
        String all = (String) js.executeScript("return document.getElementById('log').textContent;");
        assertThat(all).startsWith(first).contains("] 100000\n").endsWith("Marking task as SUCCESS.\n");
        assertThat(all.split("\n")).hasSizeGreaterThanOrEqualTo(100000);
        screenshot("9-long-log");
    }

    /**
     * Task groups (issue 15): a run of a DAG with a nested group and a failing task; the grid shows
     * the group as one row with the failed aggregate state, opens and closes it (and the group
     * inside it) by clicks; the graph draws it as one box, opens it into a frame around its tasks,
     * and closes it again, all top to bottom as the DAG's orientation asks.
     */
    @Test
    void taskGroupsCollapseAndExpandInTheGridAndTheGraph() throws Exception {
        Files.writeString(dags.resolve("ui_groups.yaml"), """
                ui_groups:
                  schedule: null
                  orientation: TB
                  is_paused_upon_creation: false
                  default_args: {start_date: 2024-01-01}
                  task_groups:
                    extract: {tooltip: pulls the data}
                    api: {parent_group_name: extract}
                  tasks:
                    start: {operator: bash, bash_command: "echo start"}
                    orders: {operator: bash, bash_command: "exit 1", task_group_name: extract, dependencies: [start]}
                    pull: {operator: bash, bash_command: "echo pull", task_group_name: api, dependencies: [start]}
                    report: {operator: bash, bash_command: "echo report", dependencies: [extract], trigger_rule: all_done}
                """);
        open("/");
        signIn("admin", adminPassword);
        WebElement row = waitFor(
                () -> browser.findElements(By.cssSelector("tr[data-dag-id='ui_groups']")).stream()
                        .findFirst()
                        .orElse(null),
                "ui_groups in the DAG list",
                true);
        row.findElement(By.linkText("▶ Trigger")).click();
        browser.findElement(By.id("trigger-submit")).click();
        waitForPage("/dags/ui_groups/grid");
        waitFor(
                () -> "success".equals(lastCellState("tr[data-task-id='report'] a.cell")) ? true : null,
                "ui_groups' run to finish",
                true);

        // The grid: the group is one row, failed because one of its tasks failed.
        assertThat(gridRows()).containsExactly("start", "extract", "report");
        assertThat(lastCellState("tr[data-group-id='extract'] .cell")).isEqualTo("failed");
        screenshot("10-groups-grid-closed");
        clickAndWait(
                "tr[data-group-id='extract'] a.group-toggle", () -> gridRows().size() == 5);
        assertThat(gridRows()).containsExactly("start", "extract", "extract.orders", "extract.api", "report");
        assertThat(lastCellState("tr[data-task-id='extract.orders'] .cell")).isEqualTo("failed");
        assertThat(lastCellState("tr[data-group-id='extract.api'] .cell")).isEqualTo("success");
        clickAndWait(
                "tr[data-group-id='extract.api'] a.group-toggle",
                () -> gridRows().size() == 6);
        assertThat(gridRows())
                .containsExactly("start", "extract", "extract.orders", "extract.api", "extract.api.pull", "report");
        screenshot("11-groups-grid-open");
        clickAndWait(
                "tr[data-group-id='extract'] a.group-toggle", () -> gridRows().size() == 3);
        assertThat(gridRows()).containsExactly("start", "extract", "report");

        // The graph: the closed group is one box; clicked, it opens into a frame around its tasks.
        browser.findElement(By.linkText("Graph")).click();
        waitForPage("/dags/ui_groups/graph");
        assertThat(graphTasks()).containsExactlyInAnyOrder("start", "report");
        WebElement box = browser.findElement(By.cssSelector("#graph g.group-node[data-group-id='extract']"));
        assertThat(box.getAttribute("data-state")).isEqualTo("failed");
        assertThat(browser.findElements(By.cssSelector("#graph g.group-frame"))).isEmpty();
        screenshot("12-groups-graph-closed");
        clickAndWait(
                "#graph g.group-node[data-group-id='extract']",
                () -> graphTasks().size() == 3);
        assertThat(graphTasks()).containsExactlyInAnyOrder("start", "extract.orders", "report");
        assertThat(browser.findElements(By.cssSelector("#graph g.group-frame[data-group-id='extract']")))
                .hasSize(1);
        assertThat(browser.findElement(By.cssSelector("#graph g.group-node[data-group-id='extract.api']"))
                        .getAttribute("data-state"))
                .isEqualTo("success");
        clickAndWait(
                "#graph g.group-node[data-group-id='extract.api']",
                () -> graphTasks().size() == 4);
        assertThat(graphTasks()).containsExactlyInAnyOrder("start", "extract.orders", "extract.api.pull", "report");
        // top to bottom: the group's frame below start, report below the frame
        assertThat(browser.findElement(By.id("graph")).getAttribute("data-orientation"))
                .isEqualTo("TB");
        int startY = graphY("#graph g.node[data-task-id='start'] rect");
        int frameY = graphY("#graph g.group-frame[data-group-id='extract'] rect");
        int reportY = graphY("#graph g.node[data-task-id='report'] rect");
        assertThat(frameY).isGreaterThan(startY);
        assertThat(reportY).isGreaterThan(frameY);
        screenshot("13-groups-graph-open");
        clickAndWait(
                "#graph g.group-frame[data-group-id='extract'] a.group-toggle",
                () -> graphTasks().size() == 2);
        assertThat(browser.findElements(By.cssSelector("#graph g.group-frame"))).isEmpty();
        assertThat(browser.findElements(By.cssSelector("#graph g.group-node[data-group-id='extract']")))
                .hasSize(1);
    }

    /**
     * Issue 18's grid, run actions and live pages, each checked without a reload (a marker set
     * in the page's window survives only as long as the page does): a click on a cell opens its
     * panel beside the grid with a shareable address; the cell and the panel turn green as the
     * task finishes; a run is cleared from its panel through the confirmation page; the task
     * page's state dot, end time and followed log (tail, error lines, search, wrap) change as the
     * task runs; the DAG list's recent runs change as a run finishes.
     */
    @Test
    void theGridsPanelAndEveryLivePartUpdateWithoutAReload() throws Exception {
        Files.writeString(
                dags.resolve("ui_live.yaml"), """
                ui_live:
                  schedule: null
                  is_paused_upon_creation: false
                  default_args: {start_date: 2024-01-01}
                  tasks:
                    slow:
                      operator: bash
                      bash_command: "echo slow-start; sleep 12; echo 'ERROR: a line to see'; echo slow-done"
                    after: {operator: bash, bash_command: "echo after", dependencies: [slow]}
                    flaky:
                      operator: bash
                      bash_command: "test -f %s || { touch %s; exit 1; }"
                      retries: 1
                      retry_delay_sec: 1
                """.formatted(dags.resolve("flaky.mark"), dags.resolve("flaky.mark")));
        open("/");
        signIn("admin", adminPassword);
        triggerFromTheList("ui_live");

        // The grid: click the running task's cell; its panel opens beside the grid, in place.
        keepMarker();
        WebElement cell = waitFor(
                () -> browser.findElements(By.cssSelector("tr[data-task-id='slow'] a.cell")).stream()
                        .findFirst()
                        .orElse(null),
                "slow's cell to appear in the live grid",
                false);
        assertThat(browser.findElements(By.cssSelector("#grid a.bar"))).hasSize(1);
        cell.click();
        waitFor(
                () -> browser.findElements(By.cssSelector("#details #details-title")).stream()
                        .filter(title -> title.getText().contains("slow"))
                        .findFirst()
                        .orElse(null),
                "slow's panel",
                false);
        assertThat(browser.getCurrentUrl()).contains("task_id=slow").contains("run_id=");
        assertMarkerKept("opening the panel");
        assertThat(browser.findElement(By.cssSelector("tr[data-task-id='slow'] a.cell"))
                        .getAttribute("class"))
                .contains("selected");
        screenshot("14-grid-panel-running");

        // As the task finishes, its cell and its panel turn green with no reload.
        waitFor(
                () -> "success".equals(lastCellState("tr[data-task-id='after'] a.cell")) ? true : null,
                "the run to finish in the live grid",
                false);
        waitFor(
                () -> "success"
                                .equals(browser.findElement(By.id("details-state"))
                                        .getAttribute("data-state"))
                        ? true
                        : null,
                "the panel's state to turn success",
                false);
        assertThat(lastCellState("tr[data-task-id='slow'] a.cell")).isEqualTo("success");
        assertThat(browser.findElement(By.id("details-log")).getText()).contains("slow-done");
        assertMarkerKept("the run finishing");
        waitFor(
                () -> "false".equals(browser.findElement(By.id("grid-live")).getAttribute("data-active")) ? true : null,
                "the grid to stop updating once nothing runs",
                false);
        // the task that failed once and then succeeded looks different, and its tooltip says so
        WebElement flaky = browser.findElement(By.cssSelector("tr[data-task-id='flaky'] a.cell"));
        assertThat(flaky.getAttribute("data-state")).isEqualTo("success");
        assertThat(flaky.getAttribute("data-retried")).isEqualTo("true");
        assertThat(flaky.getAttribute("title")).contains("task: flaky").contains("tries: 2");
        assertThat(browser.findElement(By.cssSelector("tr[data-task-id='slow'] a.cell"))
                        .getAttribute("data-retried"))
                .isNull();
        screenshot("15-grid-panel-finished");

        // The run's panel, then clear the run through its confirmation page.
        browser.findElement(By.cssSelector("#grid .run-head a")).click();
        WebElement clearRun = waitFor(
                () -> browser.findElements(By.id("details-clear-run")).stream()
                        .findFirst()
                        .orElse(null),
                "the run's panel",
                false);
        assertMarkerKept("opening the run's panel");
        clearRun.click();
        waitFor(
                () -> browser.findElements(By.id("confirm-changes")).isEmpty() ? null : true,
                "the clear-run confirmation",
                false);
        assertThat(text("confirm-changes")).contains("slow (success)").contains("after (success)");
        screenshot("16-clear-run-confirm");
        browser.findElement(By.id("confirm-submit")).click();
        waitForPage("/dags/ui_live/grid");
        assertThat(browser.getCurrentUrl()).contains("run_id=");

        // The task page of the task running again: its dot, end time and log follow it live.
        String slowPage = firstCellHref("slow");
        waitFor(
                () -> "running".equals(lastCellState("tr[data-task-id='slow'] a.cell")) ? true : null,
                "slow to run again",
                false);
        browser.get(slowPage);
        keepMarker();
        assertThat(browser.findElement(By.id("log")).getAttribute("data-live")).isEqualTo("true");
        assertThat(browser.findElement(By.id("log-follow")).isSelected()).isTrue();
        assertThat(browser.findElement(By.id("ti-dot")).getAttribute("data-state"))
                .isEqualTo("running");
        waitFor(
                () -> "success".equals(browser.findElement(By.id("ti-dot")).getAttribute("data-state")) ? true : null,
                "the task page's state dot to turn success",
                false);
        waitFor(() -> text("log").contains("slow-done") ? true : null, "the followed log to show slow-done", false);
        assertMarkerKept("the task finishing on its page");
        assertThat(browser.findElement(By.cssSelector("tr[data-fact='Ended'] td"))
                        .getText())
                .isNotBlank();
        assertThat(browser.findElement(By.cssSelector("tr[data-fact='Duration'] td"))
                        .getText())
                .isNotBlank();
        assertThat(browser.findElements(By.cssSelector("#log .log-error")))
                .extracting(WebElement::getText)
                .anySatisfy(line -> assertThat(line).contains("ERROR: a line to see"));
        browser.findElement(By.id("log-search")).sendKeys("slow-done");
        waitFor(
                () -> text("log-search-count").endsWith(" lines") ? true : null,
                "the log search to count its lines",
                false);
        List<WebElement> hits = browser.findElements(By.cssSelector("#log .log-hit"));
        // the command line the bash operator logs, and the echo's output
        assertThat(hits).hasSizeGreaterThanOrEqualTo(2);
        assertThat(hits).allSatisfy(hit -> assertThat(hit.getText()).contains("slow-done"));
        assertThat(text("log-search-count")).isEqualTo(hits.size() + " lines");
        browser.findElement(By.id("log-wrap")).click();
        assertThat(browser.findElement(By.id("log")).getAttribute("class")).contains("nowrap");
        assertThat(browser.findElement(By.id("log-download")).getAttribute("href"))
                .contains("download=true");
        screenshot("17-task-page-live");

        // The DAG list: a new run's state changes in its row with no reload.
        triggerFromTheList("ui_live");
        open("/");
        keepMarker();
        String first = "tr[data-dag-id='ui_live'] .marks .mark";
        assertThat(browser.findElement(By.cssSelector(first)).getAttribute("data-state"))
                .isIn("queued", "running");
        waitFor(
                () -> "success"
                                .equals(browser.findElement(By.cssSelector(first))
                                        .getAttribute("data-state"))
                        ? true
                        : null,
                "the DAG list's newest run to turn success",
                false);
        assertMarkerKept("a run finishing on the DAG list");
        screenshot("18-dag-list-live");

        open("/audit-log?dag_id=ui_live");
        assertThat(text("audit-log")).contains("clear").contains("whole run");
        assertInert();
    }

    private void triggerFromTheList(String dagId) {
        open("/");
        WebElement row = waitFor(
                () -> browser.findElements(By.cssSelector("tr[data-dag-id='" + dagId + "']")).stream()
                        .findFirst()
                        .orElse(null),
                dagId + " in the DAG list",
                true);
        row.findElement(By.linkText("▶ Trigger")).click();
        browser.findElement(By.id("trigger-submit")).click();
        waitForPage("/dags/" + dagId + "/grid");
    }

    /** Sets a marker in the page's window: it is gone if the page reloads or is left. */
    private void keepMarker() {
        ((JavascriptExecutor) browser).executeScript("window.gustSamePage = 'yes';");
    }

    private void assertMarkerKept(String after) {
        assertThat(((JavascriptExecutor) browser).executeScript("return window.gustSamePage;"))
                .as("the page was not reloaded or left after " + after)
                .isEqualTo("yes");
    }

    /**
     * Dynamic task mapping and datasets (issue 17): a mapped task over an upstream's list is one
     * grid row whose cell says how many instances it has and shows their aggregate state (failed,
     * as one instance failed); its task page's instance list names each
     * instance by its map_index_template and marks its state, and leads to each instance. The
     * instances that succeeded updated the task's outlet: the Datasets page shows the dataset with
     * its producer, its consumer and the events by map index, and the consumer ran on them.
     */
    @Test
    void aMappedTaskIsOneGridRowThatOpensItsNamedInstancesAndItsDatasetIsOnTheDatasetsPage() throws Exception {
        Files.writeString(dags.resolve("ui_mapped.yaml"), """
                ui_mapped:
                  schedule: null
                  is_paused_upon_creation: false
                  default_args: {start_date: 2024-01-01}
                  tasks:
                    make: {operator: bash, bash_command: "echo '[\\"echo a\\", \\"exit 3\\", \\"echo c\\"]'"}
                    each:
                      operator: bash
                      map_index_template: "runs {{ task.bash_command }}"
                      expand: {bash_command: +make}
                      outlets: ['s3://ui/each']
                ui_consumer:
                  schedule: ['s3://ui/each']
                  is_paused_upon_creation: false
                  default_args: {start_date: 2024-01-01}
                  tasks:
                    use: {operator: bash, bash_command: "echo used"}
                """);
        open("/");
        signIn("admin", adminPassword);
        WebElement row = waitFor(
                () -> browser.findElements(By.cssSelector("tr[data-dag-id='ui_mapped']")).stream()
                        .findFirst()
                        .orElse(null),
                "ui_mapped in the DAG list",
                true);
        row.findElement(By.linkText("▶ Trigger")).click();
        browser.findElement(By.id("trigger-submit")).click();
        waitForPage("/dags/ui_mapped/grid");
        waitFor(
                () -> "failed".equals(lastCellState("tr[data-task-id='each'] a.cell")) ? true : null,
                "the mapped task's cell to turn failed",
                true);

        // One row for the mapped task; its cell counts the instances and links to the instance list.
        assertThat(gridRows()).containsExactly("make", "each");
        WebElement cell = browser.findElement(By.cssSelector("tr[data-task-id='each'] a.cell"));
        assertThat(cell.getAttribute("title"))
                .startsWith("task: each (3 mapped)\n")
                .contains("state: failed");
        screenshot("19-mapped-grid");
        // the cell opens the grid's panel (issue 18); the task page has the list of instances
        browser.get(firstCellHref("each"));
        waitFor(
                () -> browser.findElements(By.cssSelector(".map-indexes a.map-index"))
                                        .size()
                                == 3
                        ? true
                        : null,
                "the mapped task's instance list",
                false);
        List<WebElement> instances = browser.findElements(By.cssSelector(".map-indexes a.map-index"));
        assertThat(instances)
                .extracting(a -> a.getAttribute("data-map-index") + " " + a.getAttribute("data-state") + " "
                        + a.getText().strip())
                .containsExactly("0 success runs echo a", "1 failed runs exit 3", "2 success runs echo c");
        assertThat(text("map-index")).isEqualTo("[0] runs echo a");
        screenshot("20-mapped-instances");
        instances.get(1).click();
        waitFor(() -> text("map-index").equals("[1] runs exit 3") ? true : null, "instance 1's page", false);
        assertThat(text("ti-state")).isEqualTo("failed");
        assertThat(text("log")).contains("exit code 3");

        // The two instances that succeeded updated s3://ui/each, which the consumer is scheduled on.
        open("/datasets");
        WebElement dataset = waitFor(
                () -> browser.findElements(By.cssSelector("#datasets tr[data-uri='s3://ui/each']")).stream()
                        .findFirst()
                        .filter(tr ->
                                tr.findElements(By.cssSelector(".events div")).size() == 2)
                        .orElse(null),
                "s3://ui/each with its two events on the Datasets page",
                true);
        assertThat(dataset.findElement(By.cssSelector(".producers")).getText()).isEqualTo("ui_mapped.each");
        assertThat(dataset.findElement(By.cssSelector(".consumers")).getText()).isEqualTo("ui_consumer");
        assertThat(dataset.findElements(By.cssSelector(".events div")))
                .extracting(div -> div.getText().replaceAll("^.* by ", "").replaceAll(" manual__.*$", ""))
                .containsExactlyInAnyOrder("ui_mapped.each[0]", "ui_mapped.each[2]");
        screenshot("21-datasets");
        dataset.findElement(By.cssSelector(".consumers a")).click();
        waitForPage("/dags/ui_consumer/grid");
        waitFor(() -> allCellsAre("success") ? true : null, "the consumer's dataset-triggered run", true);
        assertInert();
    }

    private List<String> gridRows() {
        return browser.findElements(By.cssSelector("#grid tbody tr")).stream()
                .map(tr -> tr.getAttribute("data-task-id") != null
                        ? tr.getAttribute("data-task-id")
                        : tr.getAttribute("data-group-id"))
                .toList();
    }

    /** The y coordinate of an SVG box of the graph. */
    private int graphY(String selector) {
        return Integer.parseInt(browser.findElement(By.cssSelector(selector)).getAttribute("y"));
    }

    private List<String> graphTasks() {
        return browser.findElements(By.cssSelector("#graph g.node[data-task-id]")).stream()
                .map(node -> node.getAttribute("data-task-id"))
                .toList();
    }

    /** The state of the last (newest) cell matching {@code selector}, or null when there is none. */
    private String lastCellState(String selector) {
        List<WebElement> cells = browser.findElements(By.cssSelector(selector));
        return cells.isEmpty() ? null : cells.getLast().getAttribute("data-state");
    }

    /** Clicks the element and waits (without reloading) until the page it leads to shows {@code done}. */
    private void clickAndWait(String selector, java.util.function.BooleanSupplier done) {
        browser.findElement(By.cssSelector(selector)).click();
        waitFor(() -> done.getAsBoolean() ? true : null, "the page after clicking " + selector, false);
    }

    /** Every page needs a session: the browser is sent to the login form, fills it and comes back. */
    void signIn(String username, String password) {
        assertThat(URI.create(browser.getCurrentUrl()).getPath())
                .as("a page without a session sends the browser to /login")
                .startsWith("/login");
        browser.findElement(By.name("username")).sendKeys(username);
        browser.findElement(By.name("password")).sendKeys(password);
        browser.findElement(By.id("login-submit")).click();
        // The click returns before the browser has followed the POST's redirect: wait for it. A
        // refused login would stay on /login with its message, and the wait fails saying so.
        waitFor(
                () -> URI.create(browser.getCurrentUrl()).getPath().startsWith("/login") ? null : true,
                "the browser to leave /login after signing in",
                false);
    }

    /** A form's POST answers with a redirect; the click returns before the browser has followed it. */
    private void waitForPage(String path) {
        waitFor(
                () -> URI.create(browser.getCurrentUrl()).getPath().equals(path) ? true : null,
                "the browser to reach " + path,
                false);
    }

    private void open(String path) {
        browser.get(base + path);
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    /**
     * The task page of {@code taskId}'s newest grid cell: a cell opens the grid's panel
     * ({@code ?run_id=&task_id=}), which links to the task page.
     */
    private String firstCellHref(String taskId) {
        String cell = waitFor(
                () -> browser.findElements(By.cssSelector("tr[data-task-id='" + taskId + "'] a.cell")).stream()
                        .reduce((first, second) -> second)
                        .map(a -> a.getAttribute("href"))
                        .orElse(null),
                "a grid cell for " + taskId,
                true);
        URI uri = URI.create(cell);
        Map<String, String> query = new java.util.HashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            query.put(
                    kv[0],
                    java.net.URLDecoder.decode(kv.length > 1 ? kv[1] : "", java.nio.charset.StandardCharsets.UTF_8));
        }
        String dagPath = uri.getPath().substring(0, uri.getPath().length() - "/grid".length());
        return base + dagPath + "/runs/"
                + java.net.URLEncoder.encode(query.get("run_id"), java.nio.charset.StandardCharsets.UTF_8)
                        .replace("+", "%20")
                + "/tasks/" + query.get("task_id");
    }

    private boolean allCellsAre(String state) {
        List<WebElement> cells = browser.findElements(By.cssSelector("#grid a.cell"));
        return !cells.isEmpty() && cells.stream().allMatch(cell -> state.equals(cell.getAttribute("data-state")));
    }

    /** No script of the page's user-supplied text ran: no alert, no flag. */
    private void assertInert() {
        try {
            String alert = browser.switchTo().alert().getText();
            fail("an alert opened: " + alert);
        } catch (NoAlertPresentException expected) {
            // the <script> stayed text
        }
        Object flag = ((JavascriptExecutor) browser).executeScript("return window." + PWNED_FLAG + " === undefined;");
        assertThat(flag)
                .as("window." + PWNED_FLAG + " was set by an injected script")
                .isEqualTo(true);
    }

    /** Waits up to three minutes for {@code probe} to answer non-null, reloading the page between tries if asked. */
    private <T> T waitFor(java.util.function.Supplier<T> probe, String what, boolean reload) {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (true) {
            T value;
            try {
                value = probe.get();
            } catch (org.openqa.selenium.WebDriverException changing) {
                value = null; // the page was replaced while we looked (a refresh); look again
            }
            if (value != null) {
                return value;
            }
            if (Instant.now().isAfter(deadline)) {
                screenshot("timeout");
                String output;
                try {
                    output = gust.output();
                } catch (IOException e) {
                    output = e.toString();
                }
                fail("waited 3 minutes for " + what + " at " + browser.getCurrentUrl() + "\n" + output);
            }
            sleep(Duration.ofSeconds(1));
            if (reload) {
                browser.navigate().refresh();
            }
        }
    }

    private void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
            Files.write(SCREENSHOTS.resolve("browser-" + name + ".png"), png);
        } catch (IOException | RuntimeException e) {
            System.err.println("screenshot " + name + " failed: " + e);
        }
    }

    /** Debian's chromium through its own chromedriver: nothing is downloaded (no Selenium Manager). */
    private WebDriver chromium() {
        return HeadlessChromium.start(browserProfile, options -> {});
    }

    private void waitForHealth() throws Exception {
        HeadlessChromium.waitForHealth(gust, base);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
