package dev.gust.webserver.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gust.core.runs.DagRunCreator;
import dev.gust.core.state.TaskState;
import dev.gust.core.store.runs.DagRunRepository;
import dev.gust.core.store.runs.NewTaskInstance;
import dev.gust.core.store.runs.TaskInstanceKey;
import dev.gust.core.store.runs.TaskInstanceRepository;
import dev.gust.core.store.runs.XComRepository;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Over real HTTP, Airflow's endpoints of mapped task instances: {@code listMapped} lists the
 * instances of a mapped task in map_index order; {@code /{map_index}} answers and marks one
 * instance, leaving the others alone; XComs take {@code ?map_index=}; an unknown index is a 404.
 */
class MappedTaskInstancesApiTest {

    static final String DAGS = """
            mapped:
              schedule: null
              tasks:
                each:
                  operator: bash
                  expand: {bash_command: ["echo 0", "echo 1", "echo 2"]}
            """;

    @RegisterExtension
    static final ApiTestServer api = ApiTestServer.withDags(DAGS);

    private static String runWithThreeInstances() {
        String runId = new DagRunCreator(
                        new DagRunRepository(api.db.jdbc()), api.services.dagDefinitions(), false, Clock.systemUTC())
                .trigger("mapped", Map.of(), Instant.parse("2024-03-01T00:00:00+00:00"), null);
        TaskInstanceRepository tis = new TaskInstanceRepository(api.db.jdbc());
        tis.createForRun("mapped", runId, List.of(new NewTaskInstance("each", -1, 0, "default_pool", 1, 1, "bash")));
        assertThat(tis.expandMapped(TaskInstanceKey.of("mapped", runId, "each"), 3))
                .isTrue();
        XComRepository xcoms = new XComRepository(api.db.jdbc());
        for (int i = 0; i < 3; i++) {
            xcoms.push(new TaskInstanceKey("mapped", runId, "each", i), "return_value", "\"" + i + "\"");
        }
        return runId;
    }

    @Test
    void listMappedAndEachInstanceByItsMapIndex() throws Exception {
        String runId = runWithThreeInstances();
        String task = "/dags/mapped/dagRuns/" + runId + "/taskInstances/each";

        ApiTestServer.Reply listed = api.get(task + "/listMapped");
        assertThat(listed.status()).isEqualTo(200);
        assertThat(values(listed.json().get("task_instances"), "map_index")).containsExactly("0", "1", "2");
        assertThat(listed.json().get("total_entries").asInt()).isEqualTo(3);

        // a map_index_template's name, once the instance ran, is its rendered_map_index
        assertThat(new TaskInstanceRepository(api.db.jdbc())
                        .recordRenderedMapIndex(
                                new dev.gust.core.store.runs.TaskInstanceTry(
                                        new TaskInstanceKey("mapped", runId, "each", 1), 0),
                                "echo 1"))
                .isTrue();
        assertThat(api.get(task + "/listMapped")
                        .json()
                        .get("task_instances")
                        .get(1)
                        .get("rendered_map_index")
                        .asText())
                .isEqualTo("echo 1");
        assertThat(api.get(task + "/listMapped")
                        .json()
                        .get("task_instances")
                        .get(0)
                        .get("rendered_map_index")
                        .isNull())
                .isTrue();
        JsonNode second = api.get(task + "/1").json();
        assertThat(second.get("rendered_map_index").asText()).isEqualTo("echo 1");
        assertThat(second.get("map_index").asInt()).isEqualTo(1);
        assertThat(second.get("task_id").asText()).isEqualTo("each");
        JsonNode xcom = api.get(task + "/xcomEntries/return_value?map_index=1").json();
        assertThat(xcom.get("value").asText()).contains("1");
        assertThat(values(api.get(task + "/xcomEntries?map_index=2").json().get("xcom_entries"), "map_index"))
                .containsExactly("2");

        assertThat(api.get(task + "/7").status()).isEqualTo(404);
        assertThat(api.get(task + "/x").status()).isEqualTo(400);
        // the placeholder is gone once expanded
        assertThat(api.get(task).status()).isEqualTo(404);

        ApiTestServer.Reply marked = api.patch(task + "/1", "{\"new_state\": \"failed\", \"dry_run\": false}");
        assertThat(marked.status()).isEqualTo(200);
        TaskInstanceRepository tis = new TaskInstanceRepository(api.db.jdbc());
        assertThat(tis.find(new TaskInstanceKey("mapped", runId, "each", 1))
                        .orElseThrow()
                        .state())
                .isEqualTo(TaskState.FAILED);
        assertThat(tis.find(new TaskInstanceKey("mapped", runId, "each", 0))
                        .orElseThrow()
                        .state())
                .isEqualTo(TaskState.NONE);
        assertThat(tis.find(new TaskInstanceKey("mapped", runId, "each", 2))
                        .orElseThrow()
                        .state())
                .isEqualTo(TaskState.NONE);
    }

    @Test
    void eachMappedInstanceHasItsNoteTriesAndDependencies() throws Exception {
        String runId = runWithThreeInstances();
        String task = "/dags/mapped/dagRuns/" + runId + "/taskInstances/each";

        ApiTestServer.Reply noted = api.patch(task + "/2/setNote", "{\"note\": \"the slow one\"}");
        assertThat(noted.status()).as(noted.text()).isEqualTo(200);
        SpecContract.AIRFLOW.check("set_mapped_task_instance_note", noted);
        assertThat(noted.json().get("map_index").asInt()).isEqualTo(2);
        assertThat(api.get(task + "/2").json().get("note").asText()).isEqualTo("the slow one");
        assertThat(api.get(task + "/1").json().get("note").isNull()).isTrue();

        api.db
                .jdbc()
                .update(
                        "UPDATE task_instance SET state = 'running', try_number = 1 WHERE dag_id = 'mapped' AND map_index = 1",
                        dev.gust.core.store.Params.none());
        JsonNode tries = api.get(task + "/1/tries").json();
        assertThat(tries.get("total_entries").asInt()).isEqualTo(1);
        assertThat(tries.get("task_instances").get(0).get("map_index").asInt()).isEqualTo(1);
        assertThat(api.get(task + "/1/tries/1").json().get("state").asText()).isEqualTo("running");
        assertThat(api.get(task + "/0/tries/1").status()).isEqualTo(404);

        ApiTestServer.Reply dependencies = api.get(task + "/0/dependencies");
        SpecContract.AIRFLOW.check("get_mapped_task_instance_dependencies", dependencies);
        JsonNode blocked = dependencies.json().get("dependencies");
        assertThat(values(blocked, "name")).contains("Dagrun Running");
        assertThat(api.get(task + "/1/dependencies").json().get("dependencies")).isEmpty();
        assertThat(api.get(task + "/9/dependencies").status()).isEqualTo(404);
    }

    private static List<String> values(JsonNode items, String field) {
        List<String> values = new ArrayList<>();
        items.forEach(item -> values.add(item.get(field).asText()));
        return values;
    }
}
