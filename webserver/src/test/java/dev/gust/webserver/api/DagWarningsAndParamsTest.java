package dev.gust.webserver.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.store.Params;
import dev.gust.webserver.TestUsers;
import dev.gust.webserver.WebClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 13, finding 3, over real HTTP: a trigger whose conf breaks a param's schema is a 400
 * naming the param and the rule and creates no run; a DAG that puts params into a bash command
 * unquoted gets a DAG warning in {@code GET /dagWarnings} (Airflow's shape) and on its page and
 * the DAG list.
 */
class DagWarningsAndParamsTest {

    static final String DAGS = """
            careless:
              schedule: null
              params: {name: world}
              tasks:
                hello: {operator: bash, bash_command: "echo hello {{ params.name }}", env: {WHO: "{{ dag_run.conf.who }}"}}
            careful:
              schedule: null
              params:
                name: {default: world, type: string, maxLength: 20}
                count: {default: 1, type: integer, minimum: 1, maximum: 10}
                mode: {default: fast, enum: [fast, slow]}
              tasks:
                hello: {operator: bash, bash_command: "echo hello {{ params.name | sh }} {{ params.count }}x"}
            """;

    @RegisterExtension
    static final ApiTestServer api = ApiTestServer.withDags(DAGS);

    @Test
    void dagWarningsAreListedAsAirflowDoes() throws Exception {
        var all = api.get("/dagWarnings");
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.json().get("total_entries").asInt()).isEqualTo(1);
        var warning = all.json().get("dag_warnings").get(0);
        assertThat(warning.get("dag_id").asText()).isEqualTo("careless");
        assertThat(warning.get("warning_type").asText()).isEqualTo("unquoted shell interpolation");
        assertThat(warning.get("message").asText())
                .contains("{{ params.name }}")
                .contains("env.WHO")
                .contains("{{ dag_run.conf.who }}");
        assertThat(warning.get("timestamp").asText()).endsWith("+00:00");

        assertThat(api.get("/dagWarnings?dag_id=careful")
                        .json()
                        .get("total_entries")
                        .asInt())
                .isZero();
        assertThat(api.get("/dagWarnings?dag_id=careless&warning_type=unquoted%20shell%20interpolation")
                        .json()
                        .get("total_entries")
                        .asInt())
                .isEqualTo(1);
        assertThat(api.get("/dagWarnings?warning_type=other").json().get("dag_warnings"))
                .isEmpty();
        assertThat(api.get("/dagWarnings?order_by=-timestamp&limit=1&offset=0")
                        .json()
                        .get("dag_warnings"))
                .hasSize(1);
        assertThat(api.get("/dagWarnings?order_by=nope").status()).isEqualTo(400);
    }

    @Test
    void aViewerReadsThemAndTheUiShowsThem() throws Exception {
        TestUsers.create(api.db.jdbc(), "viewer", "viewer");
        WebClient viewer = new WebClient(api.port);
        assertThat(viewer.send("GET", "/api/v1/dagWarnings", null, null, "Authorization", TestUsers.basic("viewer"))
                        .statusCode())
                .isEqualTo(200);
        viewer.login("viewer", TestUsers.PASSWORD);
        assertThat(viewer.get("/dags/careless/grid").body())
                .contains("class=\"dag-warning\"")
                .contains("unquoted shell interpolation")
                .contains("{{ params.name }}");
        assertThat(viewer.get("/dags/careful/grid").body()).doesNotContain("class=\"dag-warning\"");
        assertThat(viewer.get("/").body())
                .contains("id=\"dag-warnings-notice\"")
                .contains("⚠ 1 warning");
    }

    @Test
    void aConfThatBreaksAParamsSchemaIsRefusedAndNoRunIsMade() throws Exception {
        var shell = api.post("/dags/careful/dagRuns", "{\"conf\": {\"count\": \"1; id\"}}");
        assertThat(shell.status()).isEqualTo(400);
        assertThat(shell.json().get("detail").asText())
                .contains("param 'count'")
                .contains("'type'")
                .contains("integer expected");
        assertThat(api.post("/dags/careful/dagRuns", "{\"conf\": {\"count\": 11}}")
                        .json()
                        .get("detail")
                        .asText())
                .contains("param 'count'")
                .contains("maximum");
        assertThat(api.post("/dags/careful/dagRuns", "{\"conf\": {\"mode\": \"x\"}}")
                        .json()
                        .get("detail")
                        .asText())
                .contains("param 'mode'")
                .contains("enum");
        assertThat(api.post("/dags/careful/dagRuns", "{\"conf\": {\"name\": \"" + "n".repeat(21) + "\"}}")
                        .json()
                        .get("detail")
                        .asText())
                .contains("param 'name'")
                .contains("maxLength");
        assertThat(api.db.jdbc().queryOne("SELECT count(*) FROM dag_run", Params.none(), r -> r.getLong(1)))
                .contains(0L);

        var fits = api.post("/dags/careful/dagRuns", "{\"conf\": {\"name\": \"x; id\", \"count\": 3}}");
        assertThat(fits.status()).as(fits.text()).isEqualTo(200);
        assertThat(fits.json().get("conf").get("name").asText()).isEqualTo("x; id");
    }

    @Test
    void theUiTriggerFormRefusesAConfThatBreaksASchema() throws Exception {
        TestUsers.create(api.db.jdbc(), "user", "user");
        WebClient user = new WebClient(api.port);
        user.login("user", TestUsers.PASSWORD);
        String csrf = WebClient.hiddenCsrf(user.get("/dags/careful/trigger").body());
        var refused = user.postForm(
                "/dags/careful/trigger",
                java.util.Map.of("_csrf", csrf, "conf", "{\"count\": \"2; id\"}", "logical_date", "", "note", ""));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("param &#39;count&#39;").contains("integer expected");
        assertThat(api.db.jdbc().queryOne("SELECT count(*) FROM dag_run", Params.none(), r -> r.getLong(1)))
                .contains(0L);
    }

    @Test
    void aChosenRunIdCannotCarryShellSyntax() throws Exception {
        // {{ run_id }} is as common in bash commands as it is unquoted, so a run id is not free text
        var refused = api.post("/dags/careless/dagRuns", "{\"dag_run_id\": \"x; touch /tmp/p\"}");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("detail").asText()).contains("dag_run_id may only hold");
        assertThat(api.post("/dags/careless/dagRuns", "{\"dag_run_id\": \"$(id)\"}")
                        .status())
                .isEqualTo(400);
        assertThat(api.db.jdbc().queryOne("SELECT count(*) FROM dag_run", Params.none(), r -> r.getLong(1)))
                .contains(0L);
        assertThat(api.post("/dags/careless/dagRuns", "{\"dag_run_id\": \"manual__2024-01-01T00:00:00+00:00.v2~a\"}")
                        .status())
                .isEqualTo(200);
    }
}
