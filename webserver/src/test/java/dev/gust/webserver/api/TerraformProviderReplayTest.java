package dev.gust.webserver.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Replays, with Java's HTTP client, the calls the Terraform Airflow provider
 * (DrFaust92/terraform-provider-airflow, through apache/airflow-client-go) makes for its {@code
 * airflow_role}, {@code airflow_user} and {@code airflow_user_roles} resources: create, read
 * back, update, delete, and read after delete (404, which Terraform takes as "gone"). The bodies
 * are the ones the provider sends; every answer is checked against the spec as well.
 */
class TerraformProviderReplayTest {

    @RegisterExtension
    static final ApiTestServer api = new ApiTestServer();

    static final SpecContract spec = SpecContract.AIRFLOW;

    @Test
    void roleLifecycle() throws Exception {
        // resourceRoleCreate: PostRole {name, actions}, then resourceRoleRead: GetRole.
        var created = api.post(
                "/roles",
                "{\"name\":\"dag-editors\",\"actions\":[" + pair("can_read", "DAGs") + "," + pair("can_edit", "DAGs")
                        + "]}");
        spec.check("post_role", created);
        assertThat(created.status()).isEqualTo(200);
        var read = api.get("/roles/dag-editors");
        spec.check("get_role", read);
        assertThat(pairs(read.json())).containsExactlyInAnyOrder("can_read DAGs", "can_edit DAGs");

        // resourceRoleUpdate: PatchRole without update_mask, {name, actions} in full.
        var updated = api.patch(
                "/roles/dag-editors",
                "{\"name\":\"dag-editors\",\"actions\":[" + pair("can_read", "DAGs") + "," + pair("can_read", "Pools")
                        + "]}");
        spec.check("patch_role", updated);
        assertThat(pairs(api.get("/roles/dag-editors").json()))
                .containsExactlyInAnyOrder("can_read DAGs", "can_read Pools");

        // resourceRoleDelete: DeleteRole; the next refresh reads 404 and forgets the role.
        var deleted = api.delete("/roles/dag-editors");
        spec.check("delete_role", deleted);
        assertThat(deleted.status()).isEqualTo(204);
        var gone = api.get("/roles/dag-editors");
        spec.check("get_role", gone);
        assertThat(gone.status()).isEqualTo(404);
    }

    @Test
    void userAndUserRolesLifecycle() throws Exception {
        api.post("/roles", "{\"name\":\"auditors\",\"actions\":[" + pair("can_read", "Audit Logs") + "]}");

        // resourceUserCreate: PostUser with every field the resource has.
        var created = api.post(
                "/users",
                "{\"email\":\"tf@example.com\",\"first_name\":\"Terra\",\"last_name\":\"Form\",\"username\":\"tf\","
                        + "\"password\":\"terraform-password-1\",\"roles\":[{\"name\":\"Viewer\"},{\"name\":\"auditors\"}]}");
        spec.check("post_user", created);
        assertThat(created.status()).isEqualTo(200);

        // resourceUserRead: GetUser; the provider reads active, email, failed_login_count, names, roles.
        var read = api.get("/users/tf");
        spec.check("get_user", read);
        JsonNode user = read.json();
        assertThat(user.get("active").asBoolean()).isTrue();
        assertThat(user.get("email").asText()).isEqualTo("tf@example.com");
        assertThat(user.get("failed_login_count").asInt()).isZero();
        assertThat(user.get("first_name").asText()).isEqualTo("Terra");
        assertThat(user.get("last_name").asText()).isEqualTo("Form");
        assertThat(roleNames(user)).containsExactlyInAnyOrder("Viewer", "auditors");

        // resourceUserUpdate: PatchUser without update_mask, all fields again (same password).
        var updated = api.patch(
                "/users/tf",
                "{\"email\":\"tf@example.com\",\"first_name\":\"Terraform\",\"last_name\":\"Form\","
                        + "\"password\":\"terraform-password-1\",\"roles\":[{\"name\":\"User\"}],\"username\":\"tf\"}");
        spec.check("patch_user", updated);
        assertThat(updated.json().get("first_name").asText()).isEqualTo("Terraform");
        assertThat(roleNames(api.get("/users/tf").json())).containsExactly("User");

        // airflow_user_roles create/update: PatchUser with update_mask=roles; the other fields carry the username.
        var rolesOnly = api.patch(
                "/users/tf?update_mask=roles",
                "{\"roles\":[{\"name\":\"Op\"},{\"name\":\"auditors\"}],\"username\":\"tf\",\"first_name\":\"tf\","
                        + "\"last_name\":\"tf\",\"email\":\"tf\"}");
        spec.check("patch_user", rolesOnly);
        JsonNode afterRoles = api.get("/users/tf").json();
        assertThat(roleNames(afterRoles)).containsExactlyInAnyOrder("Op", "auditors");
        assertThat(afterRoles.get("first_name").asText()).isEqualTo("Terraform");
        assertThat(afterRoles.get("email").asText()).isEqualTo("tf@example.com");

        // airflow_user_roles delete: PatchUser roles=[] (its answer is ignored), then DeleteUser.
        var noRoles = api.patch(
                "/users/tf?update_mask=roles",
                "{\"roles\":[],\"username\":\"tf\",\"first_name\":\"tf\",\"last_name\":\"tf\",\"email\":\"tf\"}");
        spec.check("patch_user", noRoles);
        var deleted = api.delete("/users/tf");
        spec.check("delete_user", deleted);
        assertThat(deleted.status()).isEqualTo(204);
        var gone = api.get("/users/tf");
        spec.check("get_user", gone);
        assertThat(gone.status()).isEqualTo(404);
        api.delete("/roles/auditors");
    }

    private static String pair(String action, String resource) {
        return "{\"action\":{\"name\":\"" + action + "\"},\"resource\":{\"name\":\"" + resource + "\"}}";
    }

    private static List<String> pairs(JsonNode role) {
        List<String> pairs = new ArrayList<>();
        role.get("actions")
                .forEach(p -> pairs.add(p.at("/action/name").asText() + " "
                        + p.at("/resource/name").asText()));
        return pairs;
    }

    private static List<String> roleNames(JsonNode user) {
        List<String> names = new ArrayList<>();
        user.get("roles").forEach(r -> names.add(r.get("name").asText()));
        return names;
    }
}
