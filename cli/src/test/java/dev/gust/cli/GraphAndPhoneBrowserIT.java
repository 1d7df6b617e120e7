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
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

/**
 * Issue 18's graph and phone layout in a real headless Chromium against a real {@code gust
 * standalone}: the graph shows every task with its operator and no edge runs across a box (read
 * from the drawn SVG's geometry), its zoom and fit buttons change the view's transform, and the
 * run picker recolours the boxes without a reload; at a phone's 390 px the grid shows cells in
 * its own scrolling box, and no page is wider than the screen. Screenshots at desktop width and
 * at 390 px go to {@code target/screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GraphAndPhoneBrowserIT {

    static final Path CHROMIUM = HeadlessChromium.CHROMIUM;
    static final Path CHROMEDRIVER = HeadlessChromium.CHROMEDRIVER;
    static final List<String> TASKS = List.of(
            "extract_customers_from_the_crm_system_of_record",
            "quick",
            "transform",
            "aggregate",
            "finish",
            "load_group.first",
            "load_group.second");

    Path home;
    Path dags;
    Path profile;
    GustProcess gust;
    ChromeDriver browser;
    String base;
    String firstRun;
    String secondRun;

    @BeforeAll
    void startGustAndBrowser() throws Exception {
        HeadlessChromium.requireInstalled();
        home = Files.createTempDirectory("gust-it-home");
        dags = Files.createTempDirectory("gust-it-dags");
        profile = Files.createTempDirectory("gust-it-chromium");
        // an edge over three layers (extract -> finish) and one over two (quick -> finish) must pass
        // the boxes between them; a group downstream of everything
        Files.writeString(dags.resolve("ui18d.yaml"), """
                ui_graph:
                  schedule: null
                  is_paused_upon_creation: false
                  default_args: {start_date: 2024-01-01}
                  task_groups:
                    load_group: {tooltip: loads the result}
                  tasks:
                    extract_customers_from_the_crm_system_of_record: {operator: bash, bash_command: "echo e"}
                    quick: {operator: empty}
                    transform: {operator: bash, bash_command: "sleep 6", dependencies: [extract_customers_from_the_crm_system_of_record]}
                    aggregate: {operator: empty, dependencies: [transform]}
                    finish: {operator: bash, bash_command: "echo f", dependencies: [aggregate, quick, extract_customers_from_the_crm_system_of_record]}
                    first: {operator: empty, task_group_name: load_group, dependencies: [finish]}
                    second: {operator: empty, task_group_name: load_group, dependencies: [first]}
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
        // a finished run; the picker's test starts a second one, of other colours
        firstRun = trigger("ui_graph");
        waitFor(() -> "success".equals(runState(firstRun)) ? true : null, "the first run to succeed", false);
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
    void theGraphShowsEveryTaskWithItsOperatorAndNoEdgeCrossesABox() {
        open("/dags/ui_graph/graph?run_id=" + encode(firstRun) + "&expanded=load_group");
        for (String task : TASKS) {
            WebElement node = browser.findElement(By.cssSelector("g.node[data-task-id='" + task + "']"));
            assertThat(node.findElement(By.cssSelector("text.operator")).getText())
                    .as(task)
                    .isEqualTo(
                            task.equals("quick") || task.startsWith("load_group") || task.equals("aggregate")
                                    ? "empty"
                                    : "bash");
            // the whole label, wrapped over lines rather than cut
            String label = String.join(
                    "",
                    node.findElements(By.cssSelector("text.label tspan")).stream()
                            .map(WebElement::getText)
                            .toList());
            assertThat(label).as(task).isEqualTo(task.replace("load_group.", ""));
        }
        assertThat(browser.findElements(By.cssSelector(
                        "g.node[data-task-id='extract_customers_from_the_crm_system_of_record'] text.label tspan")))
                .hasSizeGreaterThan(1);
        @SuppressWarnings("unchecked")
        List<String> crossings = (List<String>) ((JavascriptExecutor) browser).executeScript("""
                var svg = document.getElementById('graph');
                var boxes = Array.from(svg.querySelectorAll('g.node rect')).map(function (r) {
                  return {id: r.parentNode.getAttribute('data-task-id') || r.parentNode.getAttribute('data-group-id'),
                          x: r.x.baseVal.value, y: r.y.baseVal.value,
                          w: r.width.baseVal.value, h: r.height.baseVal.value};
                });
                var found = [];
                svg.querySelectorAll('path.edge').forEach(function (edge) {
                  var length = edge.getTotalLength();
                  for (var at = 0; at <= length; at += 2) {
                    var p = edge.getPointAtLength(at);
                    boxes.forEach(function (b) {
                      if (p.x > b.x + 1 && p.x < b.x + b.w - 1 && p.y > b.y + 1 && p.y < b.y + b.h - 1) {
                        found.push(edge.querySelector('title').textContent + ' crosses ' + b.id);
                      }
                    });
                  }
                });
                return Array.from(new Set(found));""");
        assertThat(crossings).isEmpty();
        assertThat(browser.findElements(By.cssSelector("path.edge"))).hasSize(7);
        screenshot("18d-graph");
        screenshotAt390("18d-graph");
    }

    @Test
    void zoomAndFitChangeTheViewsTransform() {
        open("/dags/ui_graph/graph?run_id=" + encode(firstRun));
        // the script picks runs in place: the form's Show button gives way to the zoom tools
        assertThat(browser.findElement(By.id("graph-run-show")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("graph-tools")).isDisplayed()).isTrue();
        WebElement view = browser.findElement(By.id("graph-view"));
        String fitted = waitFor(() -> view.getAttribute("transform"), "the graph to be fitted", false);
        browser.findElement(By.id("graph-zoom-in")).click();
        String zoomed = view.getAttribute("transform");
        assertThat(zoomed).isNotEqualTo(fitted).contains("scale(");
        assertThat(scale(zoomed)).isGreaterThan(scale(fitted));
        browser.findElement(By.id("graph-zoom-out")).click();
        browser.findElement(By.id("graph-zoom-out")).click();
        assertThat(scale(view.getAttribute("transform"))).isLessThan(scale(fitted));
        browser.findElement(By.id("graph-fit")).click();
        assertThat(view.getAttribute("transform")).isEqualTo(fitted);
    }

    @Test
    void theRunPickerShowsDatesAndStatesAndRecoloursWithoutAReload() {
        secondRun = trigger("ui_graph");
        open("/dags/ui_graph/graph?run_id=" + encode(secondRun));
        Select picker = new Select(browser.findElement(By.id("graph-run")));
        assertThat(picker.getOptions()).hasSize(2);
        for (WebElement option : picker.getOptions()) {
            assertThat(option.getText()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC · [a-z]+ · manual");
        }
        ((JavascriptExecutor) browser).executeScript("window.gustMarker = 'kept';");
        WebElement finish = browser.findElement(By.cssSelector("g.node[data-task-id='finish']"));
        assertThat(finish.getAttribute("data-state")).isNotEqualTo("success");
        picker.selectByValue(firstRun);
        waitFor(
                () -> "success"
                                .equals(browser.findElement(By.cssSelector("g.node[data-task-id='finish']"))
                                        .getAttribute("data-state"))
                        ? true
                        : null,
                "the picked run's colours",
                false);
        assertThat(browser.findElement(By.cssSelector("g.node[data-task-id='finish']"))
                        .getAttribute("class"))
                .contains("s-success");
        assertThat(((JavascriptExecutor) browser).executeScript("return window.gustMarker;"))
                .isEqualTo("kept");
        assertThat(browser.getCurrentUrl()).contains("run_id=");
        assertThat(browser.findElement(By.id("graph-run-state")).getText()).isEqualTo("success");
        // and back: the second run's boxes follow it live until it finishes
        picker.selectByValue(secondRun);
        waitFor(
                () -> "success".equals(runState(secondRun))
                                && "success"
                                        .equals(browser.findElement(
                                                        By.cssSelector("g.node[data-group-id='load_group']"))
                                                .getAttribute("data-state"))
                        ? true
                        : null,
                "the second run's colours to follow it to the end",
                false);
        assertThat(((JavascriptExecutor) browser).executeScript("return window.gustMarker;"))
                .isEqualTo("kept");
    }

    @Test
    void theGridsArrowKeysMoveTheSelectionAndEscapeClosesThePanel() {
        open("/dags/ui_graph/grid?run_id=" + encode(firstRun) + "&task_id=quick");
        assertThat(browser.findElement(By.id("details-title")).getText()).contains("quick");
        new Actions(browser).sendKeys(Keys.ARROW_DOWN).perform();
        String below = waitFor(
                () -> {
                    String task = taskInAddress();
                    return task != null && !task.equals("quick") ? task : null;
                },
                "the arrow down to select the task below quick",
                false);
        waitFor(
                () -> browser.findElement(By.id("details-title")).getText().contains(below) ? true : null,
                "the panel of " + below,
                false);
        assertThat(browser.findElement(By.cssSelector("#grid tr[data-task-id='" + below + "'] .cell.selected")))
                .isNotNull();
        new Actions(browser).sendKeys(Keys.ARROW_UP).perform();
        waitFor(() -> "quick".equals(taskInAddress()) ? true : null, "the arrow up to select quick again", false);
        new Actions(browser).sendKeys(Keys.ESCAPE).perform();
        waitFor(
                () -> taskInAddress() == null
                                && browser.findElements(By.id("details-title")).isEmpty()
                        ? true
                        : null,
                "Escape to close the panel",
                false);
    }

    private String taskInAddress() {
        String query = URI.create(browser.getCurrentUrl()).getRawQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith("task_id=")) {
                return java.net.URLDecoder.decode(
                        pair.substring("task_id=".length()), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    @Test
    void atAPhonesWidthTheGridShowsCellsAndNoPageIsWiderThanTheScreen() {
        Dimension desktop = browser.manage().window().getSize();
        try {
            browser.manage().window().setSize(new Dimension(390, 844));
            open("/dags/ui_graph/grid");
            @SuppressWarnings("unchecked")
            List<Object> visible = (List<Object>) ((JavascriptExecutor) browser).executeScript("""
                    return Array.from(document.querySelectorAll('#grid .cell')).filter(function (c) {
                      var r = c.getBoundingClientRect();
                      return r.width > 0 && r.height > 0 && r.left >= 0 && r.right <= window.innerWidth;
                    }).map(function (c) { return c.getAttribute('data-state'); });""");
            assertThat(visible).as("grid cells visible at 390 px").isNotEmpty();
            assertThat(scrollWidth()).as("grid page width at 390 px").isLessThanOrEqualTo(390);
            screenshot("18d-grid-390px");
            for (String path : List.of(
                    "/",
                    "/dags/ui_graph/runs/" + encode(firstRun) + "/tasks/finish",
                    "/dags/ui_graph/details",
                    "/dags/ui_graph/graph")) {
                open(path);
                assertThat(scrollWidth()).as(path + " at 390 px").isLessThanOrEqualTo(390);
            }
            open("/");
            screenshot("18d-dag-list-390px");
            // the top bar is collapsed behind its Menu toggle, which opens it
            assertThat(browser.findElement(By.cssSelector("#nav-items a[href='/dashboard']"))
                            .isDisplayed())
                    .isFalse();
            browser.findElement(By.id("nav-burger")).click();
            assertThat(browser.findElement(By.cssSelector("#nav-items a[href='/dashboard']"))
                            .isDisplayed())
                    .isTrue();
            assertThat(scrollWidth()).as("the open menu at 390 px").isLessThanOrEqualTo(390);
            screenshot("18d-nav-open-390px");
            open("/dags/ui_graph/runs/" + encode(firstRun) + "/tasks/finish");
            screenshot("18d-task-390px");
            open("/dags/ui_graph/details");
            screenshot("18d-details-390px");
        } finally {
            browser.manage().window().setSize(desktop);
        }
        open("/dags/ui_graph/grid");
        assertThat(browser.findElement(By.cssSelector("#nav-items a[href='/dashboard']"))
                        .isDisplayed())
                .as("the top bar at desktop width")
                .isTrue();
        screenshot("18d-grid");
    }

    private long scrollWidth() {
        return ((Number) ((JavascriptExecutor) browser).executeScript("return document.documentElement.scrollWidth;"))
                .longValue();
    }

    private static double scale(String transform) {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("scale\\(([0-9.]+)\\)").matcher(transform);
        assertThat(m.find()).as(transform).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The run's state as the graph's own JSON tells it. */
    private String runState(String runId) {
        Object state = ((JavascriptExecutor) browser)
                .executeAsyncScript(
                        "var done = arguments[arguments.length - 1];"
                                + "fetch('/dags/ui_graph/graph/states?run_id=' + encodeURIComponent(arguments[0]),"
                                + " {credentials: 'same-origin'}).then(function (r) { return r.json(); })"
                                + ".then(function (b) { done(b.run_state); }, function () { done(null); });",
                        runId);
        return state == null ? null : state.toString();
    }

    /** Triggers a run from the trigger form and returns its id (the grid's newest column). */
    private String trigger(String dagId) {
        open("/dags/" + dagId + "/trigger");
        browser.findElement(By.id("trigger-submit")).click();
        waitFor(
                () -> URI.create(browser.getCurrentUrl()).getPath().equals("/dags/" + dagId + "/grid") ? true : null,
                "the grid of " + dagId + " after triggering",
                false);
        List<WebElement> heads = browser.findElements(By.cssSelector("thead .run-head a[data-run-id]"));
        return heads.getLast().getAttribute("data-run-id");
    }

    private void screenshotAt390(String name) {
        Dimension desktop = browser.manage().window().getSize();
        try {
            browser.manage().window().setSize(new Dimension(390, 844));
            browser.navigate().refresh();
            screenshot(name + "-390px");
            assertThat(scrollWidth()).as(name + " at 390 px").isLessThanOrEqualTo(390);
        } finally {
            browser.manage().window().setSize(desktop);
        }
    }

    private void open(String path) {
        browser.get(base + path);
    }

    private void screenshot(String name) {
        HeadlessChromium.screenshot(browser, name);
    }

    private <T> T waitFor(java.util.function.Supplier<T> probe, String what, boolean reload) {
        return HeadlessChromium.waitFor(browser, gust, "18d-timeout", probe, what, reload);
    }

    private ChromeDriver chromium() {
        return HeadlessChromium.start(profile, options -> {});
    }

    private void waitForHealth() throws Exception {
        HeadlessChromium.waitForHealth(gust, base);
    }
}
