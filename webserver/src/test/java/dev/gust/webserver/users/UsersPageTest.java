package dev.gust.webserver.users;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.store.Params;
import dev.gust.core.store.events.EventLogRepository;
import dev.gust.webserver.TestUsers;
import dev.gust.webserver.WebClient;
import dev.gust.webserver.WebTestServer;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Users admin page over real HTTP: an admin signed in through the form manages users with CSRF-carrying forms. */
class UsersPageTest {

    @RegisterExtension
    static final WebTestServer web = new WebTestServer();

    @BeforeAll
    static void anAdmin() {
        TestUsers.create(web.db.jdbc(), "root", "admin");
    }

    @Test
    void anAdminCreatesChangesResetsDeactivatesAndDeletesUsers() throws Exception {
        WebClient admin = new WebClient(web.port);
        admin.login("root", TestUsers.PASSWORD);
        String csrf = WebClient.hiddenCsrf(admin.get("/users").body());

        HttpResponse<String> created = admin.postForm(
                "/users",
                Map.of(
                        "_csrf",
                        csrf,
                        "username",
                        "dora",
                        "role",
                        "user",
                        "email",
                        "<script>alert(1)</script>@example.com",
                        "password",
                        ""));
        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(created.body())
                .contains("User dora created.", "&lt;script&gt;")
                .doesNotContain("<script>");
        String generated = generatedPassword(created.body());
        assertThat(new WebClient(web.port).login("dora", generated).statusCode())
                .as("the generated password works")
                .isEqualTo(303);
        assertThat(admin.get("/users").body()).doesNotContain(generated);

        HttpResponse<String> role = admin.postForm("/users/dora/role", Map.of("_csrf", csrf, "role", "op"));
        assertThat(role.body()).contains("Role of dora changed to op.");
        assertThat(roleOf("dora")).isEqualTo("op");
        assertThat(admin.postForm("/users/dora/role", Map.of("_csrf", csrf, "role", "boss"))
                        .statusCode())
                .isEqualTo(400);

        HttpResponse<String> reset =
                admin.postForm("/users/dora/password", Map.of("_csrf", csrf, "password", "doras-new-password"));
        assertThat(reset.body()).contains("Password of dora reset").doesNotContain("doras-new-password");
        assertThat(new WebClient(web.port).login("dora", generated).statusCode())
                .isEqualTo(401);
        assertThat(new WebClient(web.port).login("dora", "doras-new-password").statusCode())
                .isEqualTo(303);

        HttpResponse<String> unconfirmed =
                admin.postForm("/users/dora/active", Map.of("_csrf", csrf, "active", "false"));
        assertThat(unconfirmed.statusCode()).isEqualTo(400);
        assertThat(unconfirmed.body()).contains("Tick the confirmation box");
        admin.postForm("/users/dora/active", Map.of("_csrf", csrf, "active", "false", "confirm", "yes"));
        assertThat(new WebClient(web.port).login("dora", "doras-new-password").statusCode())
                .as("deactivated")
                .isEqualTo(401);

        // The signed-in admin can neither delete, deactivate nor demote themselves (another admin must):
        // their row offers none of it, and a forged form is refused.
        String page = admin.get("/users").body();
        String ownRow = page.substring(
                page.indexOf("data-username=\"root\""), page.indexOf("</tr>", page.indexOf("data-username=\"root\"")));
        assertThat(ownRow)
                .contains("(you)")
                .doesNotContain("/users/root/delete", "/users/root/active", "/users/root/role")
                .contains("/users/root/password");
        HttpResponse<String> selfDelete = admin.postForm("/users/root/delete", Map.of("_csrf", csrf, "confirm", "yes"));
        assertThat(selfDelete.statusCode()).isEqualTo(400);
        assertThat(selfDelete.body())
                .contains("You cannot delete yourself while signed in as &#39;root&#39;; ask another admin");
        assertThat(admin.postForm("/users/root/active", Map.of("_csrf", csrf, "active", "false", "confirm", "yes"))
                        .body())
                .contains("You cannot deactivate yourself");
        assertThat(admin.postForm("/users/root/role", Map.of("_csrf", csrf, "role", "viewer"))
                        .body())
                .contains("You cannot change your own role");
        assertThat(roleOf("root")).isEqualTo("admin");
        assertThat(admin.get("/users").statusCode())
                .as("still signed in, still active")
                .isEqualTo(200);

        // Short and common passwords are refused on the page as everywhere else.
        assertThat(admin.postForm(
                                "/users",
                                Map.of("_csrf", csrf, "username", "weak", "role", "user", "password", "short-pw1"))
                        .body())
                .contains("The password must have at least 10 characters");
        assertThat(admin.postForm("/users/dora/password", Map.of("_csrf", csrf, "password", "Qwertyuiop123"))
                        .body())
                .contains("The password is one of the most common ones");
        assertThat(admin.postForm("/users/dora/delete", Map.of("_csrf", csrf)).statusCode())
                .isEqualTo(400);
        HttpResponse<String> deleted = admin.postForm("/users/dora/delete", Map.of("_csrf", csrf, "confirm", "yes"));
        assertThat(deleted.body()).contains("User dora deleted.").doesNotContain("data-username=\"dora\"");

        assertThat(new EventLogRepository(web.db.jdbc())
                        .recent(50).stream()
                                .map(e -> e.event().event() + " by " + e.event().owner()))
                .contains(
                        "user.create by root",
                        "user.change_role by root",
                        "user.reset_password by root",
                        "user.deactivate by root",
                        "user.delete by root");
    }

    private static String generatedPassword(String html) {
        Matcher m = Pattern.compile("id=\"generated-password\">([^<]+)<").matcher(html);
        assertThat(m.find()).as(html).isTrue();
        return m.group(1);
    }

    private static String roleOf(String username) {
        return web.db
                .jdbc()
                .queryOne(
                        "SELECT role FROM app_user WHERE username = :u",
                        Params.of("u", username),
                        row -> row.getString(1))
                .orElseThrow();
    }
}
