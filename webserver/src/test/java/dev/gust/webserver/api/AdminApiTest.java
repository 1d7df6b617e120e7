package dev.gust.webserver.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gust.core.store.Params;
import dev.gust.webserver.TestUsers;
import dev.gust.webserver.WebClient;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Airflow's admin and security endpoints as Gust answers them: config (exposed here; the default
 * refusal is in {@link ApiErrorsTest}), plugins, providers, version, health, roles, permissions,
 * users with {@code PATCH}, pools with {@code include_deferred} and renaming. Every answer is
 * checked against Airflow 2.10's spec with {@link SpecContract}.
 */
class AdminApiTest {

    @RegisterExtension
    static final ApiTestServer api = ApiTestServer.withSettings(Map.of(
            "GUST_WEBSERVER__EXPOSE_CONFIG", "true", "GUST_DATABASE__URL", "postgresql://gust:s3cret@db.example/gust"));

    static final SpecContract spec = SpecContract.AIRFLOW;

    @Test
    void configListsEverySettingWithSecretsMasked() throws Exception {
        var config = api.get("/config");
        spec.check("get_config", config);
        List<String> sections = new ArrayList<>();
        config.json().get("sections").forEach(s -> sections.add(s.get("name").asText()));
        assertThat(sections).contains("core", "database", "webserver", "api");
        assertThat(config.text()).doesNotContain("s3cret").contains("********");
        assertThat(config.text()).contains("\"key\":\"expose_config\",\"value\":\"true\"");

        var core = api.get("/config?section=core");
        spec.check("get_config", core);
        assertThat(core.json().get("sections")).hasSize(1);
        assertThat(core.json().at("/sections/0/name").asText()).isEqualTo("core");
        var unknownSection = api.get("/config?section=nope");
        spec.check("get_config", unknownSection);
        assertThat(unknownSection.status()).isEqualTo(404);

        var option = api.get("/config/section/api/option/maximum_page_limit");
        spec.check("get_value", option);
        assertThat(option.json().at("/sections/0/options/0/value").asText()).isEqualTo("50");
        var secret = api.get("/config/section/security/option/encryption_key");
        assertThat(secret.json().at("/sections/0/options/0/value").asText()).isEqualTo("********");
        var missing = api.get("/config/section/core/option/nope");
        spec.check("get_value", missing);
        assertThat(missing.json().get("detail").asText()).isEqualTo("The option [core/nope] is not found in config.");

        var text = api.get("/config?section=api", "text/plain");
        assertThat(text.contentType()).startsWith("text/plain");
        assertThat(text.text()).startsWith("[api]\nmaximum_page_limit = 50\n");
    }

    @Test
    void configIsForOpsAndAdmins() throws Exception {
        TestUsers.create(api.db.jdbc(), "vera", "viewer");
        TestUsers.create(api.db.jdbc(), "otto", "op");
        assertThat(api.sendAs("vera", HttpRequest.newBuilder(api.uri("/config")))
                        .status())
                .isEqualTo(403);
        assertThat(api.sendAs("otto", HttpRequest.newBuilder(api.uri("/config")))
                        .status())
                .isEqualTo(200);
        assertThat(api.sendAs("vera", HttpRequest.newBuilder(api.uri("/plugins")))
                        .status())
                .isEqualTo(200);
        api.db.jdbc().update("DELETE FROM app_user WHERE username IN ('vera', 'otto')", Params.none());
    }

    @Test
    void pluginsProvidersVersionAndHealth() throws Exception {
        var plugins = api.get("/plugins");
        spec.check("get_plugins", plugins);
        assertThat(plugins.json().get("total_entries").asInt()).isZero();

        var providers = api.get("/providers");
        spec.check("get_providers", providers);
        List<String> packages = new ArrayList<>();
        providers
                .json()
                .get("providers")
                .forEach(p -> packages.add(p.get("package_name").asText()));
        assertThat(packages)
                .contains(
                        "apache-airflow-providers-amazon",
                        "apache-airflow-providers-common-sql",
                        "apache-airflow-providers-http",
                        "apache-airflow-providers-standard");
        assertThat(providers.json().get("total_entries").asInt()).isEqualTo(packages.size());

        var version = api.get("/version");
        spec.check("get_version", version);
        assertThat(version.json().get("version").asText()).matches("\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?");

        var health = api.get("/health");
        spec.check("get_health", health);
        assertThat(health.json().at("/triggerer/status").isNull()).isTrue();
        assertThat(health.json().at("/dag_processor/status").asText()).isEqualTo("unhealthy");
    }

    @Test
    void builtInRolesAreListedWithTheirPermissionsAndCannotChange() throws Exception {
        var roles = api.get("/roles");
        spec.check("get_roles", roles);
        List<String> names = new ArrayList<>();
        roles.json().get("roles").forEach(r -> names.add(r.get("name").asText()));
        assertThat(names).startsWith("Viewer", "User", "Op", "Admin");

        var viewer = api.get("/roles/Viewer");
        spec.check("get_role", viewer);
        assertThat(pairs(viewer.json()))
                .contains("can_read DAGs", "can_read Plugins")
                .doesNotContain("can_read Users");
        assertThat(pairs(api.get("/roles/Op").json())).contains("can_read Configurations", "can_edit Pools");
        assertThat(pairs(api.get("/roles/Admin").json())).contains("can_edit Roles", "can_create Users");
        assertThat(api.get("/roles?order_by=-name&limit=1")
                        .json()
                        .at("/roles/0/name")
                        .asText())
                .isEqualTo("Viewer");

        var patchBuiltIn = api.patch("/roles/Admin", "{\"name\": \"Admin\", \"actions\": []}");
        spec.check("patch_role", patchBuiltIn);
        assertThat(patchBuiltIn.status()).isEqualTo(400);
        var deleteBuiltIn = api.delete("/roles/Viewer");
        spec.check("delete_role", deleteBuiltIn);
        assertThat(deleteBuiltIn.status()).isEqualTo(400);
        var missing = api.get("/roles/ghost");
        spec.check("get_role", missing);
        assertThat(missing.json().get("detail").asText()).contains("`ghost`");

        var permissions = api.get("/permissions");
        spec.check("get_permissions", permissions);
        List<String> actions = new ArrayList<>();
        permissions.json().get("actions").forEach(a -> actions.add(a.get("name").asText()));
        assertThat(actions).contains("can_read", "can_edit", "can_create", "can_delete", "menu_access");
    }

    @Test
    void customRolesAreCreatedChangedRenamedAndDeleted() throws Exception {
        var created = api.post(
                "/roles",
                "{\"name\": \"deployers\", \"actions\": [" + action("can_read", "DAGs") + ","
                        + action("can_edit", "DAGs") + "]}");
        spec.check("post_role", created);
        assertThat(pairs(created.json())).containsExactlyInAnyOrder("can_read DAGs", "can_edit DAGs");

        var duplicate = api.post("/roles", "{\"name\": \"deployers\", \"actions\": []}");
        // The spec lists no 409 for post_role, but Airflow's FAB answers a taken name with one.
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.json().get("title").asText()).isEqualTo("Conflict");

        var unknownResource =
                api.post("/roles", "{\"name\": \"x\", \"actions\": [" + action("can_read", "Moon") + "]}");
        spec.check("post_role", unknownResource);
        assertThat(unknownResource.json().get("detail").asText()).contains("'Moon' was not found");

        var onlyActions = api.patch(
                "/roles/deployers?update_mask=actions",
                "{\"name\": \"ignored\", \"actions\": [" + action("can_read", "Pools") + "]}");
        spec.check("patch_role", onlyActions);
        assertThat(onlyActions.json().get("name").asText()).isEqualTo("deployers");
        assertThat(pairs(onlyActions.json())).containsExactly("can_read Pools");

        var renamed = api.patch("/roles/deployers?update_mask=name", "{\"name\": \"releasers\"}");
        spec.check("patch_role", renamed);
        assertThat(pairs(renamed.json())).containsExactly("can_read Pools");
        assertThat(api.get("/roles/deployers").status()).isEqualTo(404);

        var deleted = api.delete("/roles/releasers");
        spec.check("delete_role", deleted);
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(api.get("/roles/releasers").status()).isEqualTo(404);
        assertThat(api.get("/eventLogs?event=role.update")
                        .json()
                        .get("total_entries")
                        .asInt())
                .isEqualTo(2);
    }

    @Test
    void usersCarryNamesCountsAndRolesAndArePatchedWithAMask() throws Exception {
        var created = api.post(
                "/users",
                "{\"username\": \"ann\", \"email\": \"ann@example.com\", \"first_name\": \"Ann\", \"last_name\":"
                        + " \"Lee\", \"password\": \"long-enough-password\", \"roles\": [{\"name\": \"User\"}]}");
        spec.check("post_user", created);
        assertThat(created.json().get("first_name").asText()).isEqualTo("Ann");
        assertThat(created.json().get("login_count").asInt()).isZero();
        assertThat(created.json().get("changed_on").isNull()).isFalse();

        var onlyName = api.patch(
                "/users/ann?update_mask=last_name",
                "{\"username\": \"ann\", \"email\": \"other@example.com\", \"last_name\": \"Park\"}");
        spec.check("patch_user", onlyName);
        assertThat(onlyName.json().get("last_name").asText()).isEqualTo("Park");
        assertThat(onlyName.json().get("email").asText()).isEqualTo("ann@example.com");

        var everything = api.patch("/users/ann", "{\"email\": \"ann@corp.example\", \"roles\": [{\"name\": \"Op\"}]}");
        spec.check("patch_user", everything);
        assertThat(everything.json().get("email").asText()).isEqualTo("ann@corp.example");
        assertThat(everything.json().at("/roles/0/name").asText()).isEqualTo("Op");
        assertThat(api.db
                        .jdbc()
                        .queryOne(
                                "SELECT role FROM app_user WHERE username = 'ann'",
                                Params.none(),
                                row -> row.getString(1))
                        .orElseThrow())
                .isEqualTo("op");

        var badMask = api.patch("/users/ann?update_mask=first_name", "{\"last_name\": \"X\"}");
        spec.check("patch_user", badMask);
        assertThat(badMask.json().get("detail").asText()).contains("first_name");
        var unknownRole = api.patch("/users/ann?update_mask=roles", "{\"roles\": [{\"name\": \"Wizard\"}]}");
        spec.check("patch_user", unknownRole);
        assertThat(unknownRole.json().get("detail").asText()).contains("Wizard");
        var readOnly = api.patch("/users/ann", "{\"login_count\": 5}");
        spec.check("patch_user", readOnly);
        assertThat(readOnly.status()).isEqualTo(400);
        var ghost = api.patch("/users/ghost", "{\"email\": \"g@example.com\"}");
        spec.check("patch_user", ghost);
        assertThat(ghost.status()).isEqualTo(404);

        var list = api.get("/users");
        spec.check("get_users", list);
        spec.check("get_user", api.get("/users/ann"));
        spec.check("delete_user", api.delete("/users/ann"));
    }

    @Test
    void loginsAreCountedAsFabCountsThem() throws Exception {
        TestUsers.create(api.db.jdbc(), "lou", "viewer");
        WebClient browser = new WebClient(api.port);
        browser.login("lou", "wrong-password-1");
        browser.login("lou", "wrong-password-2");
        var failed = api.get("/users/lou");
        spec.check("get_user", failed);
        assertThat(failed.json().get("failed_login_count").asInt()).isEqualTo(2);
        assertThat(failed.json().get("login_count").asInt()).isZero();

        new WebClient(api.port).login("lou", TestUsers.PASSWORD);
        var succeeded = api.get("/users/lou").json();
        assertThat(succeeded.get("login_count").asInt()).isEqualTo(1);
        assertThat(succeeded.get("failed_login_count").asInt()).isZero();
        assertThat(succeeded.get("last_login").isNull()).isFalse();
        api.delete("/users/lou");
    }

    @Test
    void aUserWithOnlyACustomRoleGetsTheBuiltInRoleItCovers() throws Exception {
        StringBuilder viewerActions = new StringBuilder();
        for (JsonNode pair : api.get("/roles/Viewer").json().get("actions")) {
            viewerActions.append(viewerActions.isEmpty() ? "" : ",").append(pair.toString());
        }
        api.post("/roles", "{\"name\": \"readers\", \"actions\": [" + viewerActions + "]}");
        api.post("/roles", "{\"name\": \"narrow\", \"actions\": [" + action("can_read", "DAGs") + "]}");

        var reader = api.post(
                "/users",
                "{\"username\": \"rita\", \"email\": \"rita@example.com\", \"password\": \"long-enough-password\","
                        + " \"roles\": [{\"name\": \"readers\"}]}");
        spec.check("post_user", reader);
        assertThat(reader.json().get("roles").toString()).isEqualTo("[{\"name\":\"Viewer\"},{\"name\":\"readers\"}]");

        var narrow = api.post(
                "/users",
                "{\"username\": \"nina\", \"email\": \"nina@example.com\", \"password\": \"long-enough-password\","
                        + " \"roles\": [{\"name\": \"narrow\"}]}");
        spec.check("post_user", narrow);
        assertThat(narrow.status()).isEqualTo(400);
        assertThat(narrow.json().get("detail").asText()).contains("less than Viewer");

        api.delete("/users/rita");
        api.delete("/roles/readers");
        api.delete("/roles/narrow");
    }

    @Test
    void poolsKeepIncludeDeferredAndAreRenamedWithTheMask() throws Exception {
        var created = api.post("/pools", "{\"name\": \"gpu\", \"slots\": 2, \"include_deferred\": true}");
        spec.check("post_pool", created);
        assertThat(created.json().get("include_deferred").asBoolean()).isTrue();

        var renamed = api.patch("/pools/gpu?update_mask=name", "{\"name\": \"gpus\", \"slots\": 99}");
        spec.check("patch_pool", renamed);
        assertThat(renamed.json().get("name").asText()).isEqualTo("gpus");
        assertThat(renamed.json().get("slots").asInt()).isEqualTo(2);
        assertThat(renamed.json().get("include_deferred").asBoolean()).isTrue();
        assertThat(api.get("/pools/gpu").status()).isEqualTo(404);

        var off = api.patch("/pools/gpus?update_mask=include_deferred", "{\"include_deferred\": false}");
        spec.check("patch_pool", off);
        assertThat(off.json().get("include_deferred").asBoolean()).isFalse();

        var taken = api.patch("/pools/gpus", "{\"name\": \"default_pool\"}");
        spec.check("patch_pool", taken);
        assertThat(taken.status()).isEqualTo(409);
        spec.check("get_pools", api.get("/pools"));
        spec.check("delete_pool", api.delete("/pools/gpus"));
    }

    private static String action(String action, String resource) {
        return "{\"action\": {\"name\": \"" + action + "\"}, \"resource\": {\"name\": \"" + resource + "\"}}";
    }

    /** A role's permissions as "action resource" strings. */
    private static List<String> pairs(JsonNode role) {
        List<String> pairs = new ArrayList<>();
        role.get("actions")
                .forEach(p -> pairs.add(p.at("/action/name").asText() + " "
                        + p.at("/resource/name").asText()));
        return pairs;
    }
}
