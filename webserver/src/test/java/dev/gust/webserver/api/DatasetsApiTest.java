package dev.gust.webserver.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gust.core.runs.DatasetTriggeredRuns;
import dev.gust.core.store.runs.DagRun;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Airflow 2's dataset endpoints over real HTTP: datasets with their consumers and producers, an
 * external event (POST) queued for the consumer, the queued events read and deleted, and the
 * events a dataset-triggered run consumed ({@code upstreamDatasetEvents}, {@code created_dagruns}).
 */
class DatasetsApiTest {

    static final String DAGS = """
            producer:
              schedule: null
              tasks:
                make_a: {operator: bash, bash_command: 'exit 0', outlets: ['s3://bucket/a']}
            consumer:
              start_date: 2024-01-01
              schedule: ['s3://bucket/a', 's3://bucket/b']
              tasks:
                use: {operator: bash, bash_command: 'exit 0', inlets: ['s3://bucket/a']}
            nested:
              start_date: 2024-01-01
              schedule:
                datasets: 's3://bucket/a | (s3://bucket/b & s3://bucket/c)'
                timetable: {__type__: airflow.timetables.trigger.CronTriggerTimetable, cron: '0 6 * * *', timezone: UTC}
              tasks:
                use: {operator: empty}
            """;

    @RegisterExtension
    static final ApiTestServer api = ApiTestServer.withDags(DAGS);

    private static final String A = encoded("s3://bucket/a");

    private static String encoded(String uri) {
        return URLEncoder.encode(uri, StandardCharsets.UTF_8);
    }

    @BeforeEach
    void unpauseConsumer() {
        api.services.stores().dags().setPaused("consumer", false);
    }

    @Test
    void datasetsListTheirConsumersAndProducers() throws Exception {
        ApiTestServer.Reply all = api.get("/datasets?order_by=uri");
        assertThat(all.status()).isEqualTo(200);
        // a, b and the c that only the nested condition names
        assertThat(all.json().get("total_entries").asInt()).isEqualTo(3);
        JsonNode a = all.json().get("datasets").get(0);
        assertThat(a.get("uri").asText()).isEqualTo("s3://bucket/a");
        assertThat(a.get("extra").isObject()).isTrue();
        assertThat(a.get("consuming_dags").get(0).get("dag_id").asText()).isEqualTo("consumer");
        assertThat(a.get("producing_tasks").get(0).get("dag_id").asText()).isEqualTo("producer");
        assertThat(a.get("producing_tasks").get(0).get("task_id").asText()).isEqualTo("make_a");
        assertThat(a.get("aliases")).isEmpty();
        assertThat(a.get("created_at").asText()).endsWith("+00:00");
        assertThat(all.json().get("datasets").get(1).get("producing_tasks")).isEmpty();

        assertThat(api.get("/datasets?uri_pattern=bucket/b")
                        .json()
                        .get("total_entries")
                        .asInt())
                .isEqualTo(1);
        assertThat(api.get("/datasets?dag_ids=producer")
                        .json()
                        .get("total_entries")
                        .asInt())
                .isEqualTo(1);
        assertThat(api.get("/datasets?order_by=nope").status()).isEqualTo(400);

        ApiTestServer.Reply one = api.get("/datasets/" + A);
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().get("uri").asText()).isEqualTo("s3://bucket/a");
        assertThat(api.get("/datasets/" + encoded("s3://bucket/none")).status()).isEqualTo(404);
    }

    @Test
    void anExternalEventIsQueuedForTheConsumer() throws Exception {
        ApiTestServer.Reply created =
                api.post("/datasets/events", "{\"dataset_uri\": \"s3://bucket/a\", \"extra\": {\"from\": \"api\"}}");
        assertThat(created.status()).isEqualTo(200);
        assertThat(created.json().get("dataset_uri").asText()).isEqualTo("s3://bucket/a");
        assertThat(created.json().get("extra").get("from").asText()).isEqualTo("api");
        assertThat(created.json().get("source_dag_id").isNull()).isTrue();
        assertThat(created.json().get("source_map_index").asInt()).isEqualTo(-1);
        assertThat(created.json().get("created_dagruns")).isEmpty();
        assertThat(api.post("/datasets/events", "{\"dataset_uri\": \"s3://nowhere\"}")
                        .status())
                .isEqualTo(404);
        assertThat(api.post("/datasets/events", "{\"extra\": {}}").status()).isEqualTo(400);

        ApiTestServer.Reply events = api.get("/datasets/events?dataset_id="
                + created.json().get("dataset_id").asLong());
        assertThat(events.json().get("total_entries").asInt()).isEqualTo(1);
        assertThat(api.get("/datasets/events?source_dag_id=producer")
                        .json()
                        .get("total_entries")
                        .asInt())
                .isZero();

        ApiTestServer.Reply queued = api.get("/dags/consumer/datasets/queuedEvent");
        assertThat(queued.status()).isEqualTo(200);
        assertThat(queued.json().get("queued_events").get(0).get("uri").asText())
                .isEqualTo("s3://bucket/a");
        assertThat(queued.json().get("queued_events").get(0).get("dag_id").asText())
                .isEqualTo("consumer");
        assertThat(api.get("/datasets/queuedEvent/" + A)
                        .json()
                        .get("total_entries")
                        .asInt())
                .isEqualTo(1);
        assertThat(api.get("/dags/consumer/datasets/queuedEvent/" + A)
                        .json()
                        .get("uri")
                        .asText())
                .isEqualTo("s3://bucket/a");
        assertThat(api.get("/dags/consumer/datasets/queuedEvent?before=2000-01-01T00:00:00+00:00")
                        .status())
                .isEqualTo(404);

        assertThat(api.delete("/datasets/queuedEvent/" + A).status()).isEqualTo(204);
        assertThat(api.get("/dags/consumer/datasets/queuedEvent").status()).isEqualTo(404);
        assertThat(api.delete("/dags/consumer/datasets/queuedEvent").status()).isEqualTo(404);
    }

    @Test
    void aDatasetTriggeredRunShowsTheEventsItConsumed() throws Exception {
        assertThat(api.post("/datasets/events", "{\"dataset_uri\": \"s3://bucket/a\"}")
                        .status())
                .isEqualTo(200);
        DatasetTriggeredRuns runs = new DatasetTriggeredRuns(api.services.stores(), api.services.dagDefinitions());
        assertThat(runs.createDue()).as("s3://bucket/b is not updated yet").isEmpty();
        assertThat(api.post("/datasets/events", "{\"dataset_uri\": \"s3://bucket/b\"}")
                        .status())
                .isEqualTo(200);
        List<DagRun> created = runs.createDue();
        assertThat(created).hasSize(1);
        String runId = created.getFirst().runId();

        ApiTestServer.Reply upstream = api.get("/dags/consumer/dagRuns/"
                + URLEncoder.encode(runId, StandardCharsets.UTF_8) + "/upstreamDatasetEvents");
        assertThat(upstream.status()).isEqualTo(200);
        assertThat(upstream.json().get("total_entries").asInt()).isEqualTo(2);
        assertThat(upstream.json()
                        .get("dataset_events")
                        .get(0)
                        .get("dataset_uri")
                        .asText())
                .isEqualTo("s3://bucket/a");
        JsonNode triggered = upstream.json()
                .get("dataset_events")
                .get(1)
                .get("created_dagruns")
                .get(0);
        assertThat(triggered.get("run_id").asText()).isEqualTo(runId);
        assertThat(triggered.get("dag_id").asText()).isEqualTo("consumer");
        assertThat(triggered.get("state").asText()).isEqualTo("queued");
        assertThat(api.get("/dags/consumer/dagRuns/nope/upstreamDatasetEvents").status())
                .isEqualTo(404);

        ApiTestServer.Reply run = api.get("/dags/consumer/dagRuns/" + URLEncoder.encode(runId, StandardCharsets.UTF_8));
        assertThat(run.json().get("run_type").asText()).isEqualTo("dataset_triggered");
    }

    @Test
    void theTaskApiShowsOutletsAndInlets() throws Exception {
        JsonNode task = api.get("/dags/consumer/tasks/use").json();
        assertThat(task.get("inlets").get(0).asText()).isEqualTo("s3://bucket/a");
        assertThat(api.get("/dags/producer/tasks/make_a")
                        .json()
                        .get("outlets")
                        .get(0)
                        .asText())
                .isEqualTo("s3://bucket/a");
    }

    @Test
    void theDagDetailsGiveTheDatasetExpressionAsAirflowNestsIt() throws Exception {
        assertThat(api.get("/dags/consumer/details").json().get("dataset_expression"))
                .as("a plain list of datasets is all of them")
                .isEqualTo(new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree("{\"all\": [\"s3://bucket/a\", \"s3://bucket/b\"]}"));
        assertThat(api.get("/dags/nested/details").json().get("dataset_expression"))
                .isEqualTo(new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree("{\"any\": [\"s3://bucket/a\", {\"all\": [\"s3://bucket/b\", \"s3://bucket/c\"]}]}"));
        assertThat(api.get("/dags/producer/details")
                        .json()
                        .get("dataset_expression")
                        .isNull())
                .isTrue();
    }
}
