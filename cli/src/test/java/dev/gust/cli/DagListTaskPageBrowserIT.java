package dev.gust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Issue 18's DAG list and task page in a real headless Chromium against a real {@code gust
 * standalone}: a click on a column's header sorts the list by it, the Failed tab shows only the
 * DAGs whose last run failed, a trigger on a paused DAG warns and unpauses it, a finished try's
 * rendered templates show the templated value with the secret it read masked, and a successful
 * task offers no "Mark success". Each page is saved as a screenshot at desktop width and at 390 px
 * in {@code target/screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DagListTaskPageBrowserIT {

    static final Path CHROMIUM = HeadlessChromium.CHROMIUM;
    static final Path CHROMEDRIVER = HeadlessChromium.CHROMEDRIVER;
    static final String SECRET = "sekrit-4f9a2c";
    static final Pattern TRIGGERED = Pattern.compile("Triggered run '([^']+)'");

    Path home;
    Path dags;
    Path profile;
    GustProcess gust;
    ChromeDriver browser;
    String base;

    @BeforeAll
    void startGustAndBrowser() throws Exception {
        HeadlessChromium.requireInstalled();
        home = Files.createTempDirectory("gust-it-home");
        dags = Files.createTempDirectory("gust-it-dags");
        profile = Files.createTempDirectory("gust-it-chromium");
        Files.writeString(dags.resolve("ui18c.yaml"), """
                c_fails:
                  schedule: null
                  is_paused_upon_creation: false
                  default_args: {start_date: 2024-01-01}
                  tasks:
                    breaks: {operator: bash, bash_command: "exit 1"}
                c_works:
                  schedule: null
                  is_paused_upon_creation: false
                  default_args: {start_date: 2024-01-01}
                  tasks:
                    works: {operator: bash, bash_command: "echo fine"}
                c_paused:
                  schedule: null
                  is_paused_upon_creation: true
                  default_args: {start_date: 2024-01-01}
                  tasks:
                    t: {operator: empty}
                c_render:
                  schedule: null
                  is_paused_upon_creation: false
                  default_args: {start_date: 2024-01-01}
                  tasks:
                    render: {operator: bash, bash_command: "echo day {{ ds }} key {{ var.value.c_api_key }}"}
                """);
        int port = GustProcess.freePort();
        Map<String, String> env = GustProcess.isolatedEnvironment(home);
        env.put("GUST_WEBSERVER__PORT", String.valueOf(port));
        env.put("GUST_CORE__DAGS_FOLDER", dags.toString());
        gust = GustProcess.start(env, "standalone");
        base = "http://127.0.0.1:" + port;
        waitForHealth();
        browser = chromium();
        HeadlessChromium.logInAsAdmin(browser, gust, base);
    }

    @AfterAll
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
    void sortingByLastRunOrdersTheListAndTheFailedTabShowsOnlyDagsWhoseLastRunFailed() {
        trigger("c_fails");
        trigger("c_works");
        open("/");
        waitFor(
                () -> lastRunState("c_fails").equals("failed")
                                && lastRunState("c_works").equals("success")
                        ? true
                        : null,
                "c_fails's run to fail and c_works's to succeed on the DAG list",
                true);
        assertThat(dagIds()).as("A to Z by default").containsSubsequence("c_fails", "c_paused", "c_works");

        browser.findElement(By.id("sort-last_run")).click();
        waitFor(() -> browser.getCurrentUrl().contains("sort=last_run") ? true : null, "the sorted list", false);
        assertThat(browser.getCurrentUrl()).contains("dir=desc");
        assertThat(lastRunDates())
                .as("newest last run first, DAGs that never ran last")
                .isSortedAccordingTo(Comparator.nullsLast(Comparator.<Instant>reverseOrder()));
        assertThat(dagIds()).containsSubsequence("c_works", "c_fails");
        screenshots("dag-list-sorted");
        browser.findElement(By.id("sort-last_run")).click();
        waitFor(() -> browser.getCurrentUrl().contains("dir=asc") ? true : null, "the list sorted oldest first", false);
        assertThat(lastRunDates()).isSortedAccordingTo(Comparator.nullsLast(Comparator.<Instant>naturalOrder()));
        assertThat(dagIds()).containsSubsequence("c_fails", "c_works");

        browser.findElement(By.cssSelector("#dag-status-tabs a[data-status='failed']"))
                .click();
        waitFor(() -> browser.getCurrentUrl().contains("status=failed") ? true : null, "the Failed tab", false);
        assertThat(dagIds()).containsExactly("c_fails");
        assertThat(browser.findElement(By.cssSelector("#dag-status-tabs a[data-status='failed'] .count"))
                        .getText())
                .isEqualTo("1");
        screenshots("dag-list-failed");

        // the failed-runs count opens that DAG's failed runs
        browser.findElement(By.cssSelector("tr[data-dag-id='c_fails'] a.run-count[data-state='failed']"))
                .click();
        waitFor(
                () -> browser.getCurrentUrl().endsWith("/dags/c_fails/runs?state=failed") ? true : null,
                "c_fails's failed runs",
                false);
    }

    @Test
    void aTriggerOnAPausedDagWarnsAndUnpausingItLetsTheRunFinish() {
        open("/dags/c_paused/trigger");
        WebElement warning = browser.findElement(By.id("paused-warning"));
        assertThat(warning.getText()).contains("is paused").contains("stays queued");
        assertThat(browser.findElement(By.id("unpause")).isSelected()).isTrue();
        screenshots("trigger-paused");
        browser.findElement(By.id("trigger-submit")).click();
        waitFor(
                () -> URI.create(browser.getCurrentUrl()).getPath().equals("/dags/c_paused/grid") ? true : null,
                "the grid after triggering",
                false);
        assertThat(browser.findElement(By.id("flash")).getText()).contains("and unpaused the DAG");
        open("/");
        waitFor(
                () -> lastRunState("c_paused").equals("success") ? true : null,
                "c_paused's run to succeed once unpaused",
                true);
        assertThat(browser.findElement(By.cssSelector("tr[data-dag-id='c_paused'] a.toggle"))
                        .getAttribute("class"))
                .contains("on");
    }

    @Test
    void aFinishedTrysRenderedTemplatesShowTheValueWithTheSecretMaskedAndNoMarkSuccess() {
        open("/variables/new");
        browser.findElement(By.id("key")).sendKeys("c_api_key");
        browser.findElement(By.id("value")).sendKeys(SECRET);
        browser.findElement(By.cssSelector("form.stacked button[type=submit]")).click();
        waitFor(
                () -> URI.create(browser.getCurrentUrl()).getPath().equals("/variables") ? true : null,
                "the variables list",
                false);
        assertThat(browser.findElement(By.id("flash")).getText()).contains("c_api_key");

        String runId = trigger("c_render");
        String taskPage = "/dags/c_render/runs/"
                + java.net.URLEncoder.encode(runId, java.nio.charset.StandardCharsets.UTF_8) + "/tasks/render";
        open(taskPage);
        waitFor(
                () -> "success".equals(browser.findElement(By.id("ti-dot")).getAttribute("data-state")) ? true : null,
                "the render task to succeed",
                true);
        browser.navigate().refresh();
        WebElement rendered = browser.findElement(By.cssSelector("#rendered tr[data-field='bash_command'] pre"));
        assertThat(rendered.getText()).matches("echo day \\d{4}-\\d{2}-\\d{2} key \\*\\*\\*");
        assertThat(browser.findElement(By.tagName("body")).getText()).doesNotContain(SECRET);
        assertThat(browser.findElements(By.id("mark-success-button")))
                .as("no mark success on a success")
                .isEmpty();
        assertThat(browser.findElements(By.id("mark-failed-button"))).hasSize(1);
        assertThat(browser.findElements(By.id("map-index")))
                .as("no map index on an unmapped task")
                .isEmpty();
        // the log comes first, and tall
        WebElement log = browser.findElement(By.id("log"));
        assertThat(log.getLocation().getY())
                .isLessThan(browser.findElement(By.id("rendered")).getLocation().getY());
        assertThat(log.getSize().getHeight()).isGreaterThan(400);
        screenshots("task-page-rendered");
    }

    private String lastRunState(String dagId) {
        List<WebElement> marks =
                browser.findElements(By.cssSelector("tr[data-dag-id='" + dagId + "'] td.last-run .mark"));
        return marks.isEmpty() ? "" : marks.getFirst().getAttribute("data-state");
    }

    /** Reads the list again when the live update replaced it mid-read. */
    private <T> T settled(java.util.function.Supplier<T> read) {
        for (int attempt = 1; ; attempt++) {
            try {
                return read.get();
            } catch (org.openqa.selenium.StaleElementReferenceException replaced) {
                if (attempt == 5) {
                    throw replaced;
                }
            }
        }
    }

    private List<String> dagIds() {
        return settled(this::readDagIds);
    }

    private List<String> readDagIds() {
        return browser.findElements(By.cssSelector("#dags tbody tr[data-dag-id]")).stream()
                .map(row -> row.getAttribute("data-dag-id"))
                .toList();
    }

    /** Each row's last run, top to bottom; null for a DAG that never ran. */
    private List<Instant> lastRunDates() {
        return settled(this::readLastRunDates);
    }

    private List<Instant> readLastRunDates() {
        List<Instant> dates = new ArrayList<>();
        for (WebElement row : browser.findElements(By.cssSelector("#dags tbody tr[data-dag-id]"))) {
            List<WebElement> time = row.findElements(By.cssSelector("td.last-run time"));
            dates.add(time.isEmpty() ? null : Instant.parse(time.getFirst().getAttribute("datetime")));
        }
        return dates;
    }

    /** Triggers through the form and returns the new run's id, read from the message the grid shows. */
    private String trigger(String dagId) {
        open("/dags/" + dagId + "/trigger");
        browser.findElement(By.id("trigger-submit")).click();
        waitFor(
                () -> URI.create(browser.getCurrentUrl()).getPath().equals("/dags/" + dagId + "/grid") ? true : null,
                "the grid of " + dagId + " after triggering",
                false);
        Matcher runId = TRIGGERED.matcher(browser.findElement(By.id("flash")).getText());
        assertThat(runId.find()).as("the trigger's message names the run").isTrue();
        return runId.group(1);
    }

    private void open(String path) {
        browser.get(base + path);
    }

    /** The page at desktop width and at a phone's 390 px. */
    private void screenshots(String name) {
        screenshot("18c-" + name);
        Dimension desktop = browser.manage().window().getSize();
        try {
            browser.manage().window().setSize(new Dimension(390, 844));
            screenshot("18c-" + name + "-390px");
        } finally {
            browser.manage().window().setSize(desktop);
        }
    }

    private void screenshot(String name) {
        HeadlessChromium.screenshot(browser, name);
    }

    private <T> T waitFor(java.util.function.Supplier<T> probe, String what, boolean reload) {
        return HeadlessChromium.waitFor(browser, gust, "18c-timeout", probe, what, reload);
    }

    private ChromeDriver chromium() {
        return HeadlessChromium.start(profile, options -> {});
    }

    private void waitForHealth() throws Exception {
        HeadlessChromium.waitForHealth(gust, base);
    }
}
