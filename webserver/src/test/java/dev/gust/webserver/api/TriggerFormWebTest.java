package dev.gust.webserver.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.runs.DagRunRepository;
import dev.gust.webserver.TestUsers;
import dev.gust.webserver.WebClient;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The trigger form drawn from the DAG's params (Airflow 2.6+): a field per param by its type, an
 * enum as a select, what cannot be read said in words beside its field, the JSON view's mistakes
 * in words, and a run with the typed conf, the run id and the logical date asked for.
 */
class TriggerFormWebTest {

    static final String DAGS = """
            typed:
              schedule: null
              default_args: {start_date: 2024-01-01}
              params:
                region: {default: eu, enum: [eu, us, apac], title: Region, description: "Where to load"}
                count: {default: 10, type: integer, minimum: 1, maximum: 100}
                ratio: {default: 0.5, type: number}
                dry_run: {default: true, type: boolean}
                day: {default: "2024-01-31", type: string, format: date}
                at: {default: "2024-01-31T06:00:00+00:00", type: string, format: date-time}
                tables: {default: [orders, users], type: array, items: {type: string}}
                options: {default: {depth: 2}, type: object}
                label: {default: "nightly", type: string}
                plain_limit: 5
              tasks:
                t: {operator: empty}
            """;

    @RegisterExtension
    static final ApiTestServer api = ApiTestServer.withDags(DAGS);

    WebClient browser;
    String csrf;

    @BeforeEach
    void signIn() throws Exception {
        TestUsers.create(api.db.jdbc(), "runner", "user");
        browser = new WebClient(api.port);
        browser.login("runner", TestUsers.PASSWORD);
        csrf = WebClient.hiddenCsrf(browser.get("/dags/typed/trigger").body());
    }

    @Test
    void eachParamGetsTheFieldOfItsType() throws Exception {
        String form = browser.get("/dags/typed/trigger").body();
        assertThat(row(form, "region"))
                .contains("<select id=\"param-region\" name=\"param.region\"")
                .contains("<option value=\"&quot;eu&quot;\" selected>eu</option>")
                .contains("<option value=\"&quot;apac&quot;\">apac</option>")
                .contains("Where to load")
                .contains("<strong>Region</strong>");
        assertThat(row(form, "count"))
                .contains("type=\"number\" step=\"1\"")
                .contains("value=\"10\"")
                .contains("min=\"1\" max=\"100\"");
        assertThat(row(form, "ratio")).contains("type=\"number\" step=\"any\"");
        assertThat(row(form, "dry_run")).contains("type=\"checkbox\"").contains("checked");
        assertThat(row(form, "day")).contains("type=\"date\"").contains("value=\"2024-01-31\"");
        assertThat(row(form, "at")).contains("type=\"datetime-local\"").contains("value=\"2024-01-31T06:00:00\"");
        assertThat(row(form, "tables")).contains("<textarea").contains(">orders\nusers</textarea>");
        assertThat(row(form, "options")).contains("class=\"json\"").contains("&quot;depth&quot; : 2");
        assertThat(row(form, "label")).contains("type=\"text\"").contains("value=\"nightly\"");
        assertThat(row(form, "plain_limit")).contains("type=\"number\" step=\"1\"");
        assertThat(form)
                .contains("id=\"run_id\"")
                .contains("id=\"logical_date\"")
                .contains("id=\"conf\"");
    }

    @Test
    void aBadIntegerIsSaidInWordsBesideItsFieldAndNothingRuns() throws Exception {
        Map<String, String> form = validForm();
        form.put("param.count", "1.5");
        HttpResponse<String> page = browser.postForm("/dags/typed/trigger", form);
        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(row(page.body(), "count"))
                .contains("class=\"field-error\"")
                .contains("param &#39;count&#39; must be a whole number, like 3; &#39;1.5&#39; is not one")
                .contains("value=\"1.5\"");
        assertThat(runs()).isEmpty();

        form.put("param.count", "500");
        page = browser.postForm("/dags/typed/trigger", form);
        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(row(page.body(), "count")).contains("class=\"field-error\"").contains("maximum");
        assertThat(runs()).isEmpty();
    }

    @Test
    void brokenJsonIsSaidInWordsNeverInTheParsersTerms() throws Exception {
        Map<String, String> form = validForm();
        form.put("conf", "{extra: 1}");
        HttpResponse<String> page = browser.postForm("/dags/typed/trigger", form);
        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.body())
                .contains("conf is not valid JSON at line 1, column 2: a key must be in double quotes")
                .doesNotContain("code 101")
                .doesNotContain("Source:");
        form = validForm();
        form.put("param.options", "{\"depth\": 2,}");
        page = browser.postForm("/dags/typed/trigger", form);
        assertThat(row(page.body(), "options"))
                .contains("param &#39;options&#39; is not valid JSON at line 1, column 13");
        assertThat(runs()).isEmpty();
    }

    @Test
    void theFieldsMakeATypedConfWithTheRunIdAndLogicalDateAskedFor() throws Exception {
        Map<String, String> form = validForm();
        form.put("param.region", "\"apac\"");
        form.put("param.count", "7");
        form.remove("param.dry_run"); // unticked
        form.put("param.tables", "orders\n\ninvoices\n");
        form.put("conf", "{\"region\": \"us\", \"extra\": \"kept\"}");
        form.put("run_id", "my_backfill_1");
        form.put("logical_date", "2024-03-01");
        HttpResponse<String> page = browser.postForm("/dags/typed/trigger", form);
        assertThat(page.statusCode()).as(page.body()).isEqualTo(302);
        DagRun run = runs().getFirst();
        assertThat(run.runId()).isEqualTo("my_backfill_1");
        assertThat(run.logicalDate()).isEqualTo(java.time.Instant.parse("2024-03-01T00:00:00Z"));
        var conf = ApiTestServer.JSON.readTree(run.conf());
        assertThat(conf.get("region").asText())
                .as("the field wins over the JSON for a param")
                .isEqualTo("apac");
        assertThat(conf.get("count").isIntegralNumber()).isTrue();
        assertThat(conf.get("count").asInt()).isEqualTo(7);
        assertThat(conf.get("dry_run").asBoolean()).isFalse();
        assertThat(conf.get("tables").toString()).isEqualTo("[\"orders\",\"invoices\"]");
        assertThat(conf.get("at").asText()).isEqualTo("2024-01-31T06:00:00Z");
        assertThat(conf.get("extra").asText()).isEqualTo("kept");

        // the same run id again: refused in words
        page = browser.postForm("/dags/typed/trigger", form);
        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.body()).contains("already has a run with the id &#39;my_backfill_1&#39;");
    }

    /** What the page sends untouched: every field with its default. */
    private Map<String, String> validForm() {
        Map<String, String> form = new HashMap<>();
        form.put("_csrf", csrf);
        form.put("params_shown", "1");
        form.put("param.region", "\"eu\"");
        form.put("param.count", "10");
        form.put("param.ratio", "0.5");
        form.put("param.dry_run", "true");
        form.put("param.day", "2024-01-31");
        form.put("param.at", "2024-01-31T06:00:00");
        form.put("param.tables", "orders\nusers");
        form.put("param.options", "{\"depth\": 2}");
        form.put("param.label", "nightly");
        form.put("param.plain_limit", "5");
        form.put("conf", "");
        form.put("logical_date", "");
        form.put("run_id", "");
        form.put("note", "");
        return form;
    }

    private static List<DagRun> runs() {
        return new DagRunRepository(api.db.jdbc()).listForDag("typed", null, 10);
    }

    private static String row(String form, String param) {
        int start = form.indexOf("data-param=\"" + param + "\"");
        assertThat(start).as("the form's row of param " + param).isNotNegative();
        return form.substring(start, form.indexOf("</tr>", start));
    }
}
