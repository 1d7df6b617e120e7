package dev.gust.webserver.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.config.GustConfig;
import dev.gust.core.store.Params;
import dev.gust.core.store.dags.DagRecord;
import dev.gust.core.store.dags.DagRepository;
import dev.gust.core.testing.TestDatabase;
import dev.gust.webserver.WebServices;
import dev.gust.webserver.auth.CurrentUser;
import dev.gust.webserver.auth.Principal;
import dev.gust.webserver.auth.Role;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Buttons and menus a role may not use are not shown. The UI's routes run here behind a stand-in
 * for the login (the role comes from a test header), since enforcing roles is the security
 * layer's job and is tested there; this checks what each role sees.
 */
class RoleVisibilityTest {

    static TestDatabase db;
    static Javalin app;
    static int port;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
        db.jdbc().update("DELETE FROM dag", Params.none());
        new DagRepository(db.jdbc())
                .upsert(
                        new DagRecord(
                                "etl",
                                "etl.yaml",
                                "d",
                                "o",
                                List.of(),
                                "@daily",
                                "daily",
                                16,
                                16,
                                "{}",
                                "h1",
                                null,
                                null,
                                null),
                        false);
        GustConfig config = GustConfig.load(
                null,
                Map.of("GUST_SECURITY__ENCRYPTION_KEY", Base64.getEncoder().encodeToString(new byte[32])));
        app = Javalin.create(javalin -> javalin.showJavalinBanner = false);
        app.beforeMatched(ctx -> {
            String role = ctx.header("X-Test-Role");
            if (role != null) {
                CurrentUser.set(ctx, new Principal(1, "tester", Role.fromDbName(role)));
            }
        });
        UiRoutes.register(app, WebServices.create(config, db.jdbc()));
        port = app.start("127.0.0.1", 0).port();
    }

    @AfterAll
    static void stop() {
        app.stop();
        db.close();
    }

    @Test
    void aViewerSeesNoActionsAndNoAdminMenu() throws Exception {
        String page = get("/", "viewer");
        assertThat(page)
                .contains("data-dag-id=\"etl\"")
                .doesNotContain("/dags/etl/trigger")
                .doesNotContain("/dags/etl/pause")
                .doesNotContain("href=\"/variables\"")
                .contains("tester (viewer)");
    }

    @Test
    void aUserSeesActionsButNoAdminMenu() throws Exception {
        String page = get("/", "user");
        assertThat(page)
                .contains("/dags/etl/trigger")
                .contains("/dags/etl/pause")
                .doesNotContain("href=\"/variables\"");
    }

    @Test
    void anOpSeesTheAdminMenuWithoutUsersAndAnAdminWithUsers() throws Exception {
        assertThat(get("/", "op"))
                .contains("href=\"/variables\"")
                .contains("href=\"/pools\"")
                .doesNotContain("href=\"/users\"");
        assertThat(get("/", "admin")).contains("href=\"/users\"");
    }

    private String get(String path, String role) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .header("X-Test-Role", role)
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString())
                .body();
    }
}
