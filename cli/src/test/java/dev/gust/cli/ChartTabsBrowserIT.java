package dev.gust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * Issue 18's Gantt, task duration, landing times, calendar and audit tabs in a real headless
 * Chromium against a real {@code gust standalone}: after a run where one task fails and one
 * succeeds, the Gantt has a bar per task in its state's colour, the duration chart (uPlot) has a
 * series per task, the calendar marks today as a failed day, and the audit tab lists a pause made
 * in the test; no tab logs a console error. Each tab is saved as a screenshot at desktop width
 * and at 390 px in {@code target/screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChartTabsBrowserIT {

    static final Path CHROMIUM = HeadlessChromium.CHROMIUM;
    static final Path CHROMEDRIVER = HeadlessChromium.CHROMEDRIVER;
    static final String RED = "rgb(255, 0, 0)";
    static final String GREEN = "rgb(0, 128, 0)";

    Path home;
    Path dags;
    Path profile;
    GustProcess gust;
    ChromeDriver browser;
    String base;

    @BeforeAll
    void startGustAndRunTheDag() throws Exception {
        HeadlessChromium.requireInstalled();
        home = Files.createTempDirectory("gust-it-home");
        dags = Files.createTempDirectory("gust-it-dags");
        profile = Files.createTempDirectory("gust-it-chromium");
        Files.writeString(dags.resolve("ui18e.yaml"), """
                ui_charts:
                  schedule: null
                  is_paused_upon_creation: false
                  default_args: {start_date: 2024-01-01}
                  tasks:
                    works: {operator: bash, bash_command: "sleep 1; echo fine"}
                    breaks: {operator: bash, bash_command: "exit 1", dependencies: [works]}
                    after: {operator: empty, dependencies: [breaks]}
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
        open("/dags/ui_charts/trigger");
        browser.findElement(By.id("trigger-submit")).click();
        // the submit's navigation ends on the grid; opening the runs page before it ends lost the race
        waitFor(
                () -> URI.create(browser.getCurrentUrl()).getPath().equals("/dags/ui_charts/grid") ? true : null,
                "the grid after triggering",
                false);
        open("/dags/ui_charts/runs");
        waitFor(
                () -> browser.findElements(By.cssSelector("#runs tr[data-run-id] .s-failed"))
                                .isEmpty()
                        ? null
                        : true,
                "the run of ui_charts to fail",
                true);
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
    void theGanttHasABarPerTaskOfTheRunInItsStatesColour() {
        open("/dags/ui_charts/gantt");
        List<WebElement> rows = browser.findElements(By.cssSelector("#gantt .gantt-row[data-task-id]"));
        assertThat(rows).extracting(r -> r.getAttribute("data-task-id")).containsExactly("works", "breaks", "after");
        assertThat(background("#gantt .gantt-bar[data-task-id='works']")).isEqualTo(GREEN);
        assertThat(background("#gantt .gantt-bar[data-task-id='breaks']")).isEqualTo(RED);
        WebElement works = browser.findElement(By.cssSelector("#gantt .gantt-bar[data-task-id='works']"));
        assertThat(works.getSize().getWidth())
                .as("works ran a second or more: a visible bar")
                .isGreaterThan(3);
        // after never ran (upstream_failed): a row without a bar, and the table says why
        assertThat(rows.get(2).findElements(By.cssSelector(".gantt-bar"))).isEmpty();
        assertThat(browser.findElement(By.cssSelector("#gantt-table tr[data-task-id='after']"))
                        .getText())
                .contains("upstream_failed");
        assertNoConsoleErrors("gantt");
        screenshots("gantt");
    }

    @Test
    void theDurationChartHasASeriesPerTask() {
        open("/dags/ui_charts/duration");
        List<String> series = waitFor(
                () -> {
                    List<String> labels =
                            browser.findElements(By.cssSelector("#chart .u-legend .u-series .u-label")).stream()
                                    .map(WebElement::getText)
                                    .toList();
                    return labels.size() == 4 ? labels : null;
                },
                "uPlot's legend with the x axis and a series per task",
                false);
        assertThat(series).containsExactly("Logical date", "works", "breaks", "after");
        assertThat(browser.findElements(By.cssSelector("#chart canvas"))).hasSize(1);
        assertThat(browser.findElement(By.cssSelector("#chart-table tbody tr")).getText())
                .contains("manual__")
                .containsPattern("\\d\\.\\ds");
        assertNoConsoleErrors("duration");
        screenshots("task-duration");

        open("/dags/ui_charts/landing-times");
        waitFor(
                () -> browser.findElements(By.cssSelector("#chart .u-legend .u-series"))
                                        .size()
                                == 4
                        ? true
                        : null,
                "the landing chart's legend",
                false);
        assertNoConsoleErrors("landing times");
        screenshots("landing-times");
    }

    @Test
    void theCalendarMarksTheFailedDayAsFailed() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        open("/dags/ui_charts/calendar?year=" + today.getYear());
        String day = "#calendar .cal-day[data-date='" + today + "']";
        assertThat(browser.findElement(By.cssSelector(day)).getAttribute("data-state"))
                .isEqualTo("failed");
        assertThat(background(day)).isEqualTo(RED);
        assertThat(browser.findElement(By.cssSelector(day)).getAttribute("title"))
                .isEqualTo(today + ": 1 failed");
        assertThat(background("#calendar .cal-day[data-date='" + today.minusDays(1) + "']"))
                .as("a day without runs")
                .isNotEqualTo(RED);
        assertNoConsoleErrors("calendar");
        screenshots("calendar");
    }

    @Test
    void theAuditTabListsAPauseMadeInTheTest() {
        open("/dags/ui_charts/pause?paused=true&next=/dags/ui_charts/grid");
        browser.findElement(By.id("confirm-submit")).click();
        waitFor(
                () -> URI.create(browser.getCurrentUrl()).getPath().endsWith("/grid") ? true : null,
                "the grid after pausing",
                false);
        try {
            browser.findElement(By.id("tab-audit")).click();
            waitFor(
                    () -> URI.create(browser.getCurrentUrl()).getPath().endsWith("/audit-log") ? true : null,
                    "the audit tab",
                    false);
            WebElement pause = browser.findElement(By.cssSelector("#dag-audit tr[data-event='pause']"));
            assertThat(pause.getText()).contains("admin").contains(" UTC");
            assertThat(browser.findElements(By.cssSelector("#dag-audit tbody tr[data-event]")))
                    .extracting(r -> r.getAttribute("data-event"))
                    .contains("trigger");
            assertNoConsoleErrors("audit");
            screenshots("dag-audit");
        } finally {
            open("/dags/ui_charts/pause?paused=false&next=/dags/ui_charts/grid");
            browser.findElement(By.id("confirm-submit")).click();
            // the next test's page must not be overtaken by this submit's redirect to the grid
            waitFor(
                    () -> URI.create(browser.getCurrentUrl()).getPath().endsWith("/grid") ? true : null,
                    "the grid after unpausing",
                    false);
        }
    }

    private String background(String selector) {
        return (String) browser.executeScript(
                "return getComputedStyle(document.querySelector(arguments[0])).backgroundColor;", selector);
    }

    private void assertNoConsoleErrors(String tab) {
        List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
                // the browser's own guess at /favicon.ico (the pages link /static/favicon.svg) is not a tab's
                .filter(entry -> !entry.getMessage().contains("/favicon.ico"))
                .toList();
        assertThat(errors).as("console errors on the " + tab + " tab").isEmpty();
    }

    private void open(String path) {
        browser.get(base + path);
    }

    /** The page at desktop width and at a phone's 390 px, where it must not be wider than the screen. */
    private void screenshots(String name) {
        screenshot("18e-" + name);
        Dimension desktop = browser.manage().window().getSize();
        try {
            browser.manage().window().setSize(new Dimension(390, 844));
            screenshot("18e-" + name + "-390px");
            Number overflow = (Number) ((JavascriptExecutor) browser)
                    .executeScript("return document.documentElement.scrollWidth - window.innerWidth;");
            assertThat(overflow.intValue())
                    .as(name + " at 390 px is wider than the screen (wide tables scroll inside the page)")
                    .isLessThanOrEqualTo(0);
        } finally {
            browser.manage().window().setSize(desktop);
        }
    }

    private void screenshot(String name) {
        HeadlessChromium.screenshot(browser, name);
    }

    private <T> T waitFor(java.util.function.Supplier<T> probe, String what, boolean reload) {
        return HeadlessChromium.waitFor(browser, gust, "18e-timeout", probe, what, reload);
    }

    private ChromeDriver chromium() {
        // the console, to check that the chart tabs log no error (a CSP refusal, a script error)
        return HeadlessChromium.start(
                profile, options -> options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL")));
    }

    private void waitForHealth() throws Exception {
        HeadlessChromium.waitForHealth(gust, base);
    }
}
