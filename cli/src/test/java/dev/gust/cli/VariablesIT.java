package dev.gust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code gust variables ...} as users run it; one flow, since each start of gust costs a second. */
class VariablesIT extends IsolatedGustIT {

    @Test
    void setGetListImportExportDelete() throws Exception {
        GustProcess.Result set =
                gust("variables", "set", "db_password", "hunter2", "--description", "the DWH password");
        assertThat(set.exitCode()).as(set.all()).isZero();
        assertThat(set.stdout()).contains("Variable db_password set");
        assertThat(gust("variables", "set", "cfg", "{\"a\": [1, 2]}", "--json").exitCode())
                .isZero();
        assertOneLineError(gust("variables", "set", "broken", "{x", "--json"), "VALUE is not valid JSON");

        GustProcess.Result get = gust("variables", "get", "cfg");
        assertThat(get.stdout().strip()).as(get.all()).isEqualTo("{\"a\":[1,2]}");
        assertOneLineError(gust("variables", "get", "missing"), "no Variable 'missing'");
        assertThat(gust("variables", "get", "missing", "--default", "fallback")
                        .stdout()
                        .strip())
                .isEqualTo("fallback");

        Path in = home.resolve("in.json");
        Files.writeString(in, "{\"region\": \"eu-west-1\", \"retries\": 5, \"cfg\": {\"b\": true}}");
        GustProcess.Result imported = gust("variables", "import", in.toString());
        assertThat(imported.stdout())
                .as(imported.all())
                .contains("imported 3 Variables")
                .contains("2 created, 1 overwritten");

        GustProcess.Result list = gust("variables", "list", "-o", "json");
        assertThat(list.exitCode()).as(list.all()).isZero();
        assertThat(list.stdout()).doesNotContain("hunter2");
        JsonNode rows = JSON.readTree(list.stdout());
        assertThat(rows).hasSize(4);
        assertThat(rows.get(1).get("key").asText()).isEqualTo("db_password");
        assertThat(rows.get(1).get("val").asText()).isEqualTo("***");
        assertThat(rows.get(1).get("description").asText()).isEqualTo("the DWH password");
        assertThat(rows.get(3).get("key").asText()).isEqualTo("retries");
        assertThat(rows.get(3).get("val").asText()).isEqualTo("5");

        Path out = home.resolve("out.json");
        GustProcess.Result exported = gust("variables", "export", out.toString());
        assertThat(exported.stdout()).as(exported.all()).contains("exported 4 Variables");
        assertThat(JSON.readTree(out.toFile())).isEqualTo(JSON.readTree("""
                {"cfg": {"b": true}, "db_password": "hunter2", "region": "eu-west-1", "retries": "5"}"""));

        assertThat(gust("variables", "delete", "region").stdout()).contains("Variable region deleted");
        assertOneLineError(gust("variables", "delete", "region"), "no Variable 'region' to delete");
    }

    @Test
    void importRejectsAFileThatIsNotAJsonObject() throws Exception {
        Path in = home.resolve("list.json");
        Files.writeString(in, "[1, 2]");
        assertOneLineError(gust("variables", "import", in.toString()), "must hold a JSON object of key -> value");
    }
}
