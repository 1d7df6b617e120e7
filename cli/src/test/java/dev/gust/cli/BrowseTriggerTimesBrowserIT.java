package dev.gust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
import org.openqa.selenium.support.ui.Select;

/**
 * Issue 18's cross-DAG views, trigger form and time zones in a real headless Chromium against a
 * real {@code gust standalone}: "failed in the last 24 h" lists only those, the dashboard sees
 * the scheduler, an enum param is a select and a bad integer is refused in words, and switching
 * the top bar's zone rewrites a shown time (and stays switched). One standalone serves all the
 * tests; each page is saved as a screenshot at desktop width and at 390 px in
 * {@code target/screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowseTriggerTimesBrowserIT {

    static final Path CHROMIUM = HeadlessChromium.CHROMIUM;
    static final Path CHROMEDRIVER = HeadlessChromium.CHROMEDRIVER;

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
        Files.writeString(dags.resolve("ui18.yaml"), """
                ui_fails:
                  schedule: null
                  is_paused_upon_creation: false
                  default_args: {start_date: 2024-01-01}
                  tasks:
                    breaks: {operator: bash, bash_command: "exit 1"}
                ui_works:
                  schedule: null
                  is_paused_upon_creation: false
                  default_args: {start_date: 2024-01-01}
                  tasks:
                    works: {operator: bash, bash_command: "echo fine"}
                ui_params:
                  schedule: '0 6 * * *'
                  timezone: Europe/Paris
                  is_paused_upon_creation: true
                  default_args: {start_date: 2024-01-01}
                  params:
                    region: {default: eu, enum: [eu, us, apac], description: Where to load}
                    count: {default: 10, type: integer, minimum: 1}
                  tasks:
                    t: {operator: empty}
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
    void failedInTheLast24HoursShowsOnlyTheFailedTaskInstances() {
        trigger("ui_fails");
        trigger("ui_works");
        // both runs end: the failed one and the good one
        open("/browse/runs?since=24h");
        waitFor(
                () -> browser.findElements(By.cssSelector("#browse-runs tr[data-state='failed']"))
                                                .size()
                                        == 1
                                && browser.findElements(By.cssSelector("#browse-runs tr[data-state='success']"))
                                                .size()
                                        == 1
                        ? true
                        : null,
                "a failed and a successful run in Browse → DAG runs",
                true);
        screenshots("browse-runs");

        // Browse → Task instances, filtered as a user does it: the state and the window from the form
        open("/browse/task-instances");
        new Select(browser.findElement(By.name("state"))).selectByValue("failed");
        new Select(browser.findElement(By.name("since"))).selectByValue("24h");
        browser.findElement(By.cssSelector("#browse-filters button[type=submit]"))
                .click();
        waitFor(
                () -> URI.create(browser.getCurrentUrl()).getQuery() != null
                                && URI.create(browser.getCurrentUrl())
                                        .getQuery()
                                        .contains("since=24h")
                        ? true
                        : null,
                "the filtered listing",
                false);
        List<WebElement> rows = browser.findElements(By.cssSelector("#browse-task-instances tbody tr[data-task-id]"));
        assertThat(rows).extracting(r -> r.getAttribute("data-task-id")).containsExactly("breaks");
        assertThat(rows).extracting(r -> r.getAttribute("data-state")).containsOnly("failed");
        assertThat(rows.getFirst().getText()).contains("ui_fails").contains(" UTC");
        screenshots("browse-task-instances-failed-24h");

        // the dashboard: the standalone's scheduler is alive, and its counts link to these listings
        open("/dashboard");
        assertThat(browser.findElement(By.id("scheduler-health")).getText()).isEqualTo("healthy");
        assertThat(browser.findElement(By.cssSelector("#ti-states tr[data-state='failed'] a"))
                        .getText())
                .isEqualTo("1");
        screenshots("dashboard");
        open("/browse/xcoms");
        screenshots("browse-xcoms");
    }

    @Test
    void anEnumParamIsASelectAndABadIntegerIsRefusedInWords() {
        open("/dags/ui_params/trigger");
        WebElement region = browser.findElement(By.id("param-region"));
        assertThat(region.getTagName()).isEqualTo("select");
        assertThat(new Select(region).getOptions())
                .extracting(WebElement::getText)
                .contains("eu", "us", "apac");
        // the JSON view follows the fields
        new Select(region).selectByVisibleText("us");
        assertThat(browser.findElement(By.id("conf")).getAttribute("value")).contains("\"region\": \"us\"");
        screenshots("trigger-form");

        WebElement count = browser.findElement(By.id("param-count"));
        count.clear();
        count.sendKeys("1.5");
        browser.findElement(By.id("trigger-submit")).click();
        WebElement error = waitFor(
                () -> browser.findElements(By.id("error-count")).stream()
                        .findFirst()
                        .orElse(null),
                "the count field's message",
                false);
        assertThat(error.getText()).isEqualTo("param 'count' must be a whole number, like 3; '1.5' is not one");
        assertThat(browser.findElement(By.id("param-region")).getAttribute("value"))
                .as("what was chosen is kept")
                .isEqualTo("\"us\"");
        screenshots("trigger-form-error");
    }

    @Test
    void switchingTheZoneRewritesAShownTimeAndStays() {
        // the browser's own zone, whatever the machine's: Tokyo (UTC+9, no daylight saving)
        browser.executeCdpCommand("Emulation.setTimezoneOverride", Map.of("timezoneId", "Asia/Tokyo"));
        open("/dags/ui_params/details");
        WebElement start = browser.findElement(By.cssSelector("#details time"));
        String instant = start.getAttribute("datetime");
        String utcText = start.getText();
        assertThat(utcText).endsWith(" UTC");
        // the schedule in words says the zone it runs in
        assertThat(browser.findElement(By.id("details")).getText()).contains("(Europe/Paris)");

        WebElement zone = browser.findElement(By.id("tz-select"));
        assertThat(zone.isDisplayed()).isTrue();
        new Select(zone).selectByValue("local");
        String tokyo = browser.findElement(By.cssSelector("#details time")).getText();
        assertThat(tokyo).isNotEqualTo(utcText).endsWith("GMT+9");
        assertThat(hourOf(tokyo)).isEqualTo((hourOf(utcText) + 9) % 24);
        assertThat(browser.findElement(By.cssSelector("#details time")).getAttribute("datetime"))
                .isEqualTo(instant);
        // the details page is item 10's (a phone's layout of the DAG pages): saved, its width not checked here
        screenshot("18b-details-browser-zone");

        // kept across pages (a cookie)
        browser.navigate().refresh();
        assertThat(browser.findElement(By.cssSelector("#details time")).getText())
                .isEqualTo(tokyo);
        assertThat(new Select(browser.findElement(By.id("tz-select")))
                        .getFirstSelectedOption()
                        .getAttribute("value"))
                .isEqualTo("local");

        // the DAG's zone: Paris in winter is UTC+1
        new Select(browser.findElement(By.id("tz-select"))).selectByValue("dag");
        String paris = browser.findElement(By.cssSelector("#details time")).getText();
        assertThat(hourOf(paris)).isEqualTo((hourOf(utcText) + 1) % 24);
        new Select(browser.findElement(By.id("tz-select"))).selectByValue("utc");
        assertThat(browser.findElement(By.cssSelector("#details time")).getText())
                .isEqualTo(utcText);
    }

    @Test
    void darkModeFollowsTheSystemSetting() {
        open("/dashboard");
        assertThat(background()).isEqualTo("rgb(255, 255, 255)");
        browser.executeCdpCommand(
                "Emulation.setEmulatedMedia",
                Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
        try {
            open("/dashboard");
            assertThat(background()).isEqualTo("rgb(13, 17, 23)");
            screenshot("18b-dashboard-dark");
            open("/users");
            screenshot("18b-users-dark");
        } finally {
            browser.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of()));
        }
        open("/users");
        screenshot("18b-users");
    }

    private String background() {
        return (String) browser.executeScript("return getComputedStyle(document.body).backgroundColor;");
    }

    private static int hourOf(String shown) {
        return Integer.parseInt(shown.substring(11, 13));
    }

    private void trigger(String dagId) {
        open("/dags/" + dagId + "/trigger");
        browser.findElement(By.id("trigger-submit")).click();
        waitFor(
                () -> URI.create(browser.getCurrentUrl()).getPath().equals("/dags/" + dagId + "/grid") ? true : null,
                "the grid of " + dagId + " after triggering",
                false);
    }

    private void open(String path) {
        browser.get(base + path);
    }

    /** The page at desktop width and at a phone's 390 px, where it must not be wider than the screen. */
    private void screenshots(String name) {
        screenshot("18b-" + name);
        Dimension desktop = browser.manage().window().getSize();
        try {
            browser.manage().window().setSize(new Dimension(390, 844));
            screenshot("18b-" + name + "-390px");
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
        return HeadlessChromium.waitFor(browser, gust, "18b-timeout", probe, what, reload);
    }

    private ChromeDriver chromium() {
        return HeadlessChromium.start(profile, options -> {});
    }

    private void waitForHealth() throws Exception {
        HeadlessChromium.waitForHealth(gust, base);
    }
}
