package dev.gust.webserver.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** The kit itself: it knows the spec's 89 operations and catches each kind of violation. */
class SpecContractTest {

    final SpecContract spec = SpecContract.AIRFLOW;

    @Test
    void knowsEveryOperationOfTheSpec() {
        assertThat(spec.operations()).hasSize(89);
        assertThat(spec.operations().get("patch_user").responses()).containsEntry("200", "UserCollectionItem");
        assertThat(spec.operations().get("get_providers").responses())
                .containsEntry("200", "ProviderCollection+CollectionInfo");
    }

    @Test
    void acceptsAConformingAnswer() throws Exception {
        assertThat(spec.violations("get_version", 200, json("{\"version\": \"1.2.3\", \"git_version\": null}")))
                .isEmpty();
    }

    @Test
    void catchesEachKindOfViolation() throws Exception {
        assertThat(spec.violations("get_version", 200, json("{\"version\": null, \"git_version\": null}")))
                .containsExactly("$.version is null, which the spec does not allow");
        assertThat(spec.violations("get_version", 200, json("{\"version\": 3, \"git_version\": null}")))
                .singleElement()
                .asString()
                .contains("$.version must be string");
        assertThat(spec.violations("get_version", 200, json("{\"version\": \"1\"}")))
                .containsExactly("$.git_version is missing (VersionInfo)");
        assertThat(spec.violations("get_version", 200, json("{\"version\": \"1\", \"git_version\": null, \"x\": 1}")))
                .containsExactly("$ has fields VersionInfo does not: [x]");
        assertThat(spec.violations("get_version", 201, json("{}")))
                .singleElement()
                .asString()
                .contains("status 201");
        assertThat(spec.violations(
                        "get_health",
                        200,
                        json("{\"metadatabase\": {\"status\": \"fine\"}, \"scheduler\": {\"status\": null,"
                                + " \"latest_scheduler_heartbeat\": \"yesterday\"}, \"dag_processor\": {\"status\": null,"
                                + " \"latest_dag_processor_heartbeat\": null}, \"triggerer\": {\"status\": null,"
                                + " \"latest_triggerer_heartbeat\": null}}")))
                .containsExactlyInAnyOrder(
                        "$.metadatabase.status is 'fine', not one of [healthy, unhealthy]",
                        "$.scheduler.latest_scheduler_heartbeat is 'yesterday', not an RFC 3339 date-time");
        assertThat(spec.violations(
                        "get_roles",
                        200,
                        json("{\"roles\": [{\"name\": \"x\", \"actions\": [1]}]," + " \"total_entries\": 1}")))
                .singleElement()
                .asString()
                .contains("$.roles[0].actions[0] must be an object");
    }

    @Test
    void datesMustBeWrittenAsAirflowWritesThem() throws Exception {
        String health = "{\"metadatabase\": {\"status\": \"healthy\"}, \"scheduler\": {\"status\": null,"
                + " \"latest_scheduler_heartbeat\": \"%s\"}, \"dag_processor\": {\"status\": null,"
                + " \"latest_dag_processor_heartbeat\": null}, \"triggerer\": {\"status\": null,"
                + " \"latest_triggerer_heartbeat\": null}}";
        assertThat(spec.violations("get_health", 200, json(health.formatted("2024-01-01T00:00:00+00:00"))))
                .isEmpty();
        assertThat(spec.violations("get_health", 200, json(health.formatted("2024-01-01T00:00:00.123456+00:00"))))
                .isEmpty();
        for (String other :
                new String[] {"2024-01-01T00:00:00Z", "2024-01-01T00:00:00.123+00:00", "2024-01-01T01:00:00+01:00"}) {
            assertThat(spec.violations("get_health", 200, json(health.formatted(other))))
                    .singleElement()
                    .asString()
                    .contains("not as Airflow writes dates");
        }
    }

    @Test
    void aFieldReferringToANullableSchemaMayBeNullAndAnAdditionMayBeSent() throws Exception {
        JsonNode dagWarning = json("{\"dag_id\": \"d\", \"warning_type\": \"w\", \"message\": \"m\","
                + " \"timestamp\": \"2024-01-01T00:00:00+00:00\"}");
        assertThat(spec.schemaViolations("DagWarning", dagWarning)).isEmpty();
        assertThat(spec.schemaViolations("TaskInstance", json("{\"sla_miss\": \"x\"}")))
                .contains("$.sla_miss must be an object (SLAMiss), got STRING");
        assertThat(spec.schemaViolations("TaskInstance", json("{\"trigger\": null, \"dag_id\": null}")))
                .contains("$.dag_id is null, which the spec does not allow")
                .doesNotContain("$.trigger is null, which the spec does not allow");
        assertThat(spec.schemaViolations("DatasetEvent", json("{\"id\": 1, \"nope\": 2}")))
                .contains("$ has fields DatasetEvent does not: [nope]");
    }

    private static JsonNode json(String text) throws Exception {
        return ApiTestServer.JSON.readTree(text);
    }
}
