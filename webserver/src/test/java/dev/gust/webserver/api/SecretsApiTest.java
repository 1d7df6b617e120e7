package dev.gust.webserver.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.store.Params;
import dev.gust.core.store.variables.VariableRepository;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Reading secrets back through the REST API over real HTTP: a secret nested at any depth in a
 * connection's extra is masked in every answer, and a sensitive Variable's value is answered as
 * {@code ***} (and stored encrypted) while tasks still read the real one through the repository.
 */
class SecretsApiTest {

    @RegisterExtension
    static final ApiTestServer api = new ApiTestServer();

    @BeforeEach
    void empty() {
        api.empty();
    }

    @Test
    void secretsNestedInAConnectionsExtraAreMaskedAtAnyDepth() throws Exception {
        String extra = "{\"region\": \"eu-west-1\", \"auth\": {\"user\": \"svc\", \"api_token\": \"nested-tok-3f9\"},"
                + " \"replicas\": [{\"host\": \"r1\", \"password\": \"pw-in-a-list-7c\"}], \"client_secret\": \"top-sec-1\"}";
        var created = api.post(
                "/connections",
                "{\"connection_id\": \"warehouse\", \"conn_type\": \"http\", \"extra\": "
                        + ApiTestServer.JSON.writeValueAsString(extra) + "}");
        assertThat(created.status()).as(created.text()).isEqualTo(200);

        for (var reply : new ApiTestServer.Reply[] {created, api.get("/connections/warehouse")}) {
            assertThat(reply.text()).doesNotContain("nested-tok-3f9", "pw-in-a-list-7c", "top-sec-1");
            var shown = ApiTestServer.JSON.readTree(reply.json().get("extra").asText());
            assertThat(shown.get("region").asText()).isEqualTo("eu-west-1");
            assertThat(shown.get("auth").get("user").asText()).isEqualTo("svc");
            assertThat(shown.get("auth").get("api_token").asText()).isEqualTo("***");
            assertThat(shown.get("replicas").get(0).get("host").asText()).isEqualTo("r1");
            assertThat(shown.get("replicas").get(0).get("password").asText()).isEqualTo("***");
        }
    }

    @Test
    void aSensitiveVariableIsAnsweredMaskedStoredEncryptedAndStillReadByTasks() throws Exception {
        var created = api.post("/variables", "{\"key\": \"deploy_api_key\", \"value\": \"var-secret-9d2\"}");
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        api.post("/variables", "{\"key\": \"region\", \"value\": \"eu-west-1\"}");

        for (var reply : new ApiTestServer.Reply[] {
            created,
            api.get("/variables/deploy_api_key"),
            api.get("/variables"),
            api.patch("/variables/deploy_api_key?update_mask=description", "{\"description\": \"CD\"}")
        }) {
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.text()).doesNotContain("var-secret-9d2");
        }
        assertThat(api.get("/variables/deploy_api_key").json().get("value").asText())
                .isEqualTo("***");
        assertThat(api.get("/variables/region").json().get("value").asText()).isEqualTo("eu-west-1");

        // a client sending back what it was shown does not overwrite the secret with ***
        api.patch("/variables/deploy_api_key", "{\"key\": \"deploy_api_key\", \"value\": \"***\"}");
        VariableRepository tasksRead = new VariableRepository(api.db.jdbc(), api.services.cipher());
        assertThat(tasksRead.find("deploy_api_key").orElseThrow().value()).isEqualTo("var-secret-9d2");

        String row = api.db
                .jdbc()
                .queryOne("""
                SELECT concat_ws('|', key, val, encode(val_encrypted, 'escape'), description) AS row
                  FROM variable WHERE key = 'deploy_api_key'""", Params.none(), r -> r.getString("row"))
                .orElseThrow();
        assertThat(row).startsWith("deploy_api_key|").doesNotContain("var-secret-9d2");
    }
}
