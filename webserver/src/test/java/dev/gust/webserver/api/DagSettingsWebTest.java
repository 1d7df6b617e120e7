package dev.gust.webserver.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.webserver.TestUsers;
import dev.gust.webserver.WebClient;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The DAG-level settings over real HTTP: doc_md rendered as Markdown with everything that could
 * run script removed, dag_display_name in the DAG list, on the DAG's page and in the REST API,
 * owner_links as links on the DAG list, default_view as the tab a DAG's link opens, and params
 * with Airflow's Param keywords explained on the trigger form and enforced on trigger.
 */
class DagSettingsWebTest {

    static final String DAGS = """
            shown:
              dag_display_name: "Revenue <b>report</b>"
              default_view: graph
              orientation: TB
              render_template_as_native_obj: true
              owner_links: {data-eng: "https://wiki.example.com/data-eng"}
              default_args: {owner: "data-eng, bob"}
              doc_md: |
                # Revenue *report*

                <script>window.pwned = 1</script>

                [click me](javascript:alert(1)) and <a href="javascript:alert(2)">this</a>

                <img src=x onerror="alert(3)"> <a href="https://ok.example.com" onclick="alert(4)">ok</a>

                | step | what |
                |------|------|
                | extract | invoices |
              schedule: null
              params:
                month: {type: string, pattern: "^[0-9]{4}-[0-9]{2}$", title: Month, description: "The month, as YYYY-MM"}
                limit: {default: 10, type: integer, minimum: 1, maximum: 100}
              tasks:
                t:
                  operator: empty
                  doc_md: "**Loads** the month. <script>window.pwned = 2</script>[x](javascript:alert(5))"
                u:
                  operator: empty
                  doc_json: '{"owner": "<b>bob</b>"}'
            plain:
              schedule: null
              tasks:
                t: {operator: empty}
            """;

    @RegisterExtension
    static final ApiTestServer api = ApiTestServer.withDags(DAGS);

    WebClient browser;

    @BeforeEach
    void signIn() throws Exception {
        TestUsers.create(api.db.jdbc(), "viewer", "viewer");
        browser = new WebClient(api.port);
        browser.login("viewer", TestUsers.PASSWORD);
    }

    @Test
    void docMdIsRenderedAsMarkdownWithNothingThatRuns() throws Exception {
        String page = browser.get("/dags/shown/grid").body();
        int start = page.indexOf("id=\"dag-docs\"");
        String docs = page.substring(start, page.indexOf("</details>", start));
        assertThat(docs)
                .contains("<h1>Revenue <em>report</em></h1>")
                .contains("<table>")
                .contains("<td>extract</td>")
                .contains("<a href=\"https://ok.example.com\" rel=\"noopener noreferrer nofollow\">ok</a>")
                .contains("click me")
                .doesNotContain("<script")
                .doesNotContain("pwned = 1</script>")
                .doesNotContain("javascript:")
                .doesNotContain("onerror")
                .doesNotContain("onclick")
                .doesNotContain("<img");
        assertThat(browser.get("/dags/plain/grid").body()).doesNotContain("dag-docs");
    }

    @Test
    void aTasksDocIsShownOnItsTaskInstancePage() throws Exception {
        var run = api.post("/dags/shown/dagRuns", "{\"dag_run_id\": \"r1\", \"conf\": {\"month\": \"2024-05\"}}");
        assertThat(run.status()).isEqualTo(200);
        api.services
                .stores()
                .taskInstances()
                .createForRun(
                        "shown",
                        "r1",
                        java.util.List.of(
                                new dev.gust.core.store.runs.NewTaskInstance("t", -1, 0, "default_pool", 1, 1, "empty"),
                                new dev.gust.core.store.runs.NewTaskInstance(
                                        "u", -1, 0, "default_pool", 1, 1, "empty")));
        String page = browser.get("/dags/shown/runs/r1/tasks/t").body();
        int start = page.indexOf("id=\"task-docs\"");
        String docs = page.substring(start, page.indexOf("</details>", start));
        assertThat(docs)
                .contains("<strong>Loads</strong> the month.")
                .doesNotContain("<script")
                .doesNotContain("javascript:");
        String json = browser.get("/dags/shown/runs/r1/tasks/u").body();
        assertThat(json).contains("<pre class=\"code\">{&quot;owner&quot;: &quot;&lt;b&gt;bob&lt;/b&gt;&quot;}</pre>");
    }

    @Test
    void displayNameAndOwnerLinksOnTheListAndThePage() throws Exception {
        String list = browser.get("/").body();
        assertThat(list)
                .contains("href=\"/dags/shown/graph\" title=\"shown\">Revenue &lt;b&gt;report&lt;/b&gt;</a>")
                .contains("href=\"/dags/plain/grid\" title=\"plain\">plain</a>")
                .contains("<a class=\"owner-link\" href=\"https://wiki.example.com/data-eng\" rel=\"noopener"
                        + " noreferrer\">data-eng</a>, <span class=\"owner\">bob</span>")
                .doesNotContain("<b>report</b>");
        assertThat(browser.get("/?q=revenue").body())
                .contains("data-dag-id=\"shown\"")
                .doesNotContain("data-dag-id=\"plain\"");
        String page = browser.get("/dags/shown/details").body();
        assertThat(page)
                .contains("<span id=\"dag-id\" data-dag-id=\"shown\">Revenue &lt;b&gt;report&lt;/b&gt;</span>")
                .contains("href=\"https://wiki.example.com/data-eng\"");
    }

    @Test
    void aDagPausedByTheSchedulerSaysWhyWhileItStaysPaused() throws Exception {
        var stores = api.services.stores();
        stores.dags().setPaused("shown", true);
        stores.events()
                .append(new dev.gust.core.store.events.Event(
                        "pause", "shown", null, null, "scheduler", "paused it because its last 3 DAG runs failed"));
        assertThat(browser.get("/dags/shown/grid").body())
                .contains("id=\"paused-by-scheduler\">The scheduler paused it because its last 3 DAG runs failed<");
        // someone unpaused it, then paused it again themselves: the scheduler's reason no longer applies
        stores.events().append(dev.gust.core.store.events.Event.of("unpause", "shown", "admin"));
        stores.events().append(dev.gust.core.store.events.Event.of("pause", "shown", "admin"));
        assertThat(browser.get("/dags/shown/grid").body()).doesNotContain("paused-by-scheduler");
        stores.dags().setPaused("shown", false);
    }

    @Test
    void theDagsLinkOpensItsDefaultView() throws Exception {
        HttpResponse<String> shown = browser.get("/dags/shown");
        assertThat(shown.statusCode()).isEqualTo(302);
        assertThat(shown.headers().firstValue("Location")).contains("/dags/shown/graph");
        assertThat(browser.get("/dags/plain").headers().firstValue("Location")).contains("/dags/plain/grid");
    }

    @Test
    void restApiAnswersTheSettingsAsAirflowDoes() throws Exception {
        var dag = api.get("/dags/shown").json();
        assertThat(dag.get("dag_display_name").asText()).isEqualTo("Revenue <b>report</b>");
        assertThat(dag.get("default_view").asText()).isEqualTo("graph");
        assertThat(api.get("/dags/plain").json().get("dag_display_name").asText())
                .isEqualTo("plain");
        assertThat(api.get("/dags/plain").json().get("default_view").asText()).isEqualTo("grid");

        var details = api.get("/dags/shown/details").json();
        assertThat(details.get("orientation").asText()).isEqualTo("TB");
        assertThat(details.get("render_template_as_native_obj").asBoolean()).isTrue();
        assertThat(details.get("doc_md").asText()).startsWith("# Revenue *report*\n");
        var month = details.get("params").get("month");
        assertThat(month.get("value").isNull()).isTrue();
        assertThat(month.get("description").asText()).isEqualTo("The month, as YYYY-MM");
        assertThat(month.get("schema").get("title").asText()).isEqualTo("Month");
        assertThat(api.get("/dags/plain/details").json().get("orientation").asText())
                .isEqualTo("LR");
    }

    @Test
    void paramsAreExplainedOnTheTriggerFormAndEnforcedOnTrigger() throws Exception {
        TestUsers.create(api.db.jdbc(), "runner", "user");
        WebClient runner = new WebClient(api.port);
        runner.login("runner", TestUsers.PASSWORD);
        String form = runner.get("/dags/shown/trigger").body();
        String month = row(form, "month");
        assertThat(month)
                .contains("<strong>Month</strong> <code>month</code>")
                .contains("required")
                .contains("The month, as YYYY-MM")
                .contains("type: string; pattern: ^[0-9]{4}-[0-9]{2}$");
        String limit = row(form, "limit");
        assertThat(limit).contains("minimum: 1; maximum: 100").doesNotContain("required</span>");

        // a required param (no default) must be given; each keyword is checked
        assertThat(api.post("/dags/shown/dagRuns", "{\"conf\": {}}").status()).isEqualTo(400);
        var badPattern = api.post("/dags/shown/dagRuns", "{\"conf\": {\"month\": \"May\"}}");
        assertThat(badPattern.status()).isEqualTo(400);
        assertThat(badPattern.text()).contains("month");
        assertThat(api.post("/dags/shown/dagRuns", "{\"conf\": {\"month\": \"2024-05\", \"limit\": 500}}")
                        .status())
                .isEqualTo(400);
        assertThat(api.post("/dags/shown/dagRuns", "{\"conf\": {\"month\": \"2024-05\"}}")
                        .status())
                .isEqualTo(200);
    }

    private static String row(String form, String param) {
        int start = form.indexOf("data-param=\"" + param + "\"");
        assertThat(start).as("the form's row of param " + param).isNotNegative();
        return form.substring(start, form.indexOf("</tr>", start));
    }
}
