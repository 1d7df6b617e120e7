package dev.gust.webserver.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.webserver.GustWebServer;
import dev.gust.webserver.TestConfigs;
import dev.gust.webserver.TestUsers;
import dev.gust.webserver.WebClient;
import dev.gust.webserver.WebTestServer;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every route of the real app, as Javalin's router lists it (so routes added later are covered
 * without touching this test), called without credentials and as a user of each role: public
 * routes are open; every other route sends anonymous callers to the login page (pages) or answers
 * 401 (API and non-GET); a role below the route's gets 403; a role that suffices is never refused
 * (path parameters are dummies, so 404 or 400 are fine then).
 */
class AuthorizationMatrixTest {

    // The configuration exposed and connection tests enabled, so that /config and /connections/test
    // answer by role alone (disabled, as by default, they refuse everyone).
    @RegisterExtension
    static final WebTestServer web = new WebTestServer(TestConfigs.config(
            java.util.Map.of("GUST_WEBSERVER__EXPOSE_CONFIG", "true", "GUST_CORE__TEST_CONNECTION", "Enabled")));

    @BeforeAll
    static void oneUserPerRole() {
        for (Role role : List.of(Role.VIEWER, Role.USER, Role.OP, Role.ADMIN)) {
            TestUsers.create(web.db.jdbc(), "matrix-" + role.dbName(), role.dbName());
        }
    }

    @Test
    void everyRouteAnswersEachRoleAsItsDeclaredRoleSays() throws Exception {
        List<GustWebServer.Route> routes = web.server.routes();
        assertThat(routes)
                .extracting(r -> r.method() + " " + r.path())
                .contains(
                        "GET /health",
                        "GET /login",
                        "POST /login",
                        "POST /logout",
                        "GET /users",
                        "GET /api/v1/users",
                        "GET /api/v1/dags",
                        "POST /api/v1/dags/{dag_id}/clearTaskInstances",
                        "GET /audit-log",
                        "GET /variables");
        // The REST API alone has over 40 operations and the UI over 30 pages and actions: all are checked.
        assertThat(routes).hasSizeGreaterThan(80);
        SoftAssertions softly = new SoftAssertions();
        List<String> table = new ArrayList<>();
        for (GustWebServer.Route route : routes) {
            Role needed = route.roles().stream()
                    .filter(Role.class::isInstance)
                    .map(Role.class::cast)
                    .max(Enum::compareTo)
                    .orElse(null);
            softly.assertThat(needed)
                    .as("%s %s declares a role", route.method(), route.path())
                    .isNotNull();
            if (needed == null) {
                continue;
            }
            String path = route.path()
                    .replaceAll("\\{[^}]*}", "dummy")
                    .replaceAll("<[^>]*>", "dummy")
                    .replace("*", "dummy");
            StringBuilder row = new StringBuilder(route.method() + " " + route.path() + " (" + needed.dbName() + "):");

            HttpResponse<String> anonymous = call(route.method(), path, null);
            row.append(" anonymous=").append(anonymous.statusCode());
            if (needed == Role.PUBLIC) {
                softly.assertThat(refused(anonymous))
                        .as("%s %s is public but refused anonymous: %d", route.method(), path, anonymous.statusCode())
                        .isFalse();
            } else {
                softly.assertThat(anonymous.statusCode() == 401 || redirectsToLogin(anonymous))
                        .as("%s %s without credentials answered %d", route.method(), path, anonymous.statusCode())
                        .isTrue();
            }
            for (Role role : List.of(Role.VIEWER, Role.USER, Role.OP, Role.ADMIN)) {
                HttpResponse<String> response = call(route.method(), path, TestUsers.basic("matrix-" + role.dbName()));
                row.append(' ').append(role.dbName()).append('=').append(response.statusCode());
                if (role.includes(needed)) {
                    softly.assertThat(refused(response))
                            .as(
                                    "%s %s refused %s (needs %s): %d %s",
                                    route.method(),
                                    path,
                                    role.dbName(),
                                    needed.dbName(),
                                    response.statusCode(),
                                    response.body())
                            .isFalse();
                } else {
                    softly.assertThat(response.statusCode())
                            .as("%s %s as %s (needs %s)", route.method(), path, role.dbName(), needed.dbName())
                            .isEqualTo(403);
                }
            }
            table.add(row.toString());
        }
        System.out.println("authorization matrix:\n  " + String.join("\n  ", table));
        softly.assertAll();
    }

    private static boolean refused(HttpResponse<String> response) {
        return response.statusCode() == 401 || response.statusCode() == 403 || redirectsToLogin(response);
    }

    private static boolean redirectsToLogin(HttpResponse<String> response) {
        return response.statusCode() / 100 == 3
                && response.headers()
                        .firstValue("Location")
                        .map(l -> l.startsWith("/login?next="))
                        .orElse(false);
    }

    private static HttpResponse<String> call(String method, String path, String authorization) throws Exception {
        WebClient client = new WebClient(web.port);
        boolean hasBody = !method.equals("GET")
                && !method.equals("DELETE")
                && !method.equals("HEAD")
                && !method.equals("OPTIONS");
        String[] headers = authorization == null ? new String[0] : new String[] {"Authorization", authorization};
        return client.send(method, path, hasBody ? "{}" : null, hasBody ? "application/json" : null, headers);
    }
}
