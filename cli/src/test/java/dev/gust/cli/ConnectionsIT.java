package dev.gust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code gust connections ...} as users run it: secrets go in, and never come out. */
class ConnectionsIT extends IsolatedGustIT {

    @Test
    void addFromUriAndFlagsGetListDeleteWithoutShowingSecrets() throws Exception {
        GustProcess.Result added = gust(
                "connections",
                "add",
                "warehouse",
                "--conn-uri",
                "postgresql://etl:s3cr%40t-pw@db.internal:5432/analytics?sslmode=require",
                "--conn-description",
                "the DWH");
        assertThat(added.exitCode()).as(added.all()).isZero();
        assertThat(added.stdout()).contains("Connection warehouse added (type postgres)");
        assertOneLineError(
                gust("connections", "add", "warehouse", "--conn-type", "postgres"),
                "a connection 'warehouse' already exists; delete it first");
        assertThat(gust(
                                "connections",
                                "add",
                                "api",
                                "--conn-type",
                                "http",
                                "--conn-host",
                                "api.example.com",
                                "--conn-password",
                                "tok-pw",
                                "--conn-extra",
                                "{\"headers\": {\"Authorization\": \"Bearer xyz\"}}")
                        .exitCode())
                .isZero();
        assertOneLineError(
                gust("connections", "add", "bad", "--conn-uri", "etl:pw-in-error@host"),
                "invalid connection URI: it has no TYPE:// prefix");

        GustProcess.Result get = gust("connections", "get", "warehouse", "-o", "json");
        assertThat(get.exitCode()).as(get.all()).isZero();
        assertThat(get.stdout()).doesNotContain("s3cr@t-pw").doesNotContain("s3cr%40t-pw");
        JsonNode warehouse = JSON.readTree(get.stdout()).get(0);
        assertThat(warehouse.get("conn_type").asText()).isEqualTo("postgres");
        assertThat(warehouse.get("host").asText()).isEqualTo("db.internal");
        assertThat(warehouse.get("schema").asText()).isEqualTo("analytics");
        assertThat(warehouse.get("login").asText()).isEqualTo("etl");
        assertThat(warehouse.get("port").asText()).isEqualTo("5432");
        assertThat(warehouse.get("password").asText()).isEqualTo("***");
        assertThat(warehouse.get("extra").asText()).isEqualTo("{\"sslmode\":\"require\"}");
        assertThat(warehouse.get("description").asText()).isEqualTo("the DWH");

        // tables wrap to COLUMNS (120 for a pipe): a terminal wide enough keeps the extra column on one line
        Map<String, String> wide = GustProcess.isolatedEnvironment(home);
        wide.put("COLUMNS", "200");
        GustProcess.Result getApi = GustProcess.run(wide, "connections", "get", "api");
        assertThat(getApi.stdout())
                .as(getApi.all())
                .contains("api.example.com")
                .contains("{\"headers\":{\"Authorization\":\"***\"}}")
                .doesNotContain("tok-pw")
                .doesNotContain("Bearer xyz");

        GustProcess.Result list = gust("connections", "list", "-o", "json");
        assertThat(list.exitCode()).as(list.all()).isZero();
        assertThat(list.stdout())
                .doesNotContain("tok-pw")
                .doesNotContain("s3cr@t")
                .doesNotContain("Bearer");
        assertThat(JSON.readTree(list.stdout()))
                .extracting(row -> row.get("conn_id").asText())
                .containsExactly("api", "warehouse");

        assertThat(gust("connections", "delete", "api").stdout()).contains("Connection api deleted");
        assertOneLineError(gust("connections", "get", "api"), "no connection 'api'");
    }

    @Test
    void aConfiguredServerWithoutAnEncryptionKeyIsOneLineSayingWhatToSet() throws Exception {
        Map<String, String> env = GustProcess.isolatedEnvironment(home);
        env.put("GUST_DATABASE__URL", "jdbc:postgresql://127.0.0.1:" + GustProcess.freePort() + "/gust");
        assertOneLineError(GustProcess.run(env, "connections", "list"), "GUST_SECURITY__ENCRYPTION_KEY");
    }
}
