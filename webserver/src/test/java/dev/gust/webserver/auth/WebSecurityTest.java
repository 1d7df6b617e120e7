package dev.gust.webserver.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import dev.gust.core.store.events.EventLogRepository;
import dev.gust.core.testing.SettableClock;
import dev.gust.core.testing.TestDatabase;
import dev.gust.core.users.UserAccounts;
import dev.gust.webserver.GoneDatabase;
import dev.gust.webserver.GustWebServer;
import dev.gust.webserver.TestConfigs;
import dev.gust.webserver.TestUsers;
import dev.gust.webserver.WebClient;
import dev.gust.webserver.WebServices;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Login, sessions, CSRF, the login rate limit, basic and token auth, cookie flags, security
 * headers and error shapes, over real HTTP against two web servers sharing one real PostgreSQL
 * (the ALB without stickiness).
 */
class WebSecurityTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static TestDatabase db;
    static SettableClock clock = new SettableClock(Instant.now());
    static GustWebServer serverA;
    static GustWebServer serverB;
    static int portA;
    static int portB;

    WebClient browser;

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
        serverA = server(db.jdbc());
        serverB = server(db.jdbc());
        portA = serverA.start("127.0.0.1", 0);
        portB = serverB.start("127.0.0.1", 0);
        TestUsers.create(db.jdbc(), "ada", "admin");
        TestUsers.create(db.jdbc(), "vic", "viewer");
        TestUsers.create(db.jdbc(), "ursula", "user");
    }

    /** A server behind "the ALB": its peer, 127.0.0.1, is a trusted proxy. */
    static GustWebServer server(Jdbc jdbc) {
        return server(jdbc, "127.0.0.1/32");
    }

    static GustWebServer server(Jdbc jdbc, String trustedProxies) {
        return new GustWebServer(WebServices.create(
                        TestConfigs.config(Map.of(
                                "GUST_WEBSERVER__SESSION_IDLE_TIMEOUT", "1h",
                                "GUST_WEBSERVER__SESSION_MAX_AGE", "1d",
                                "GUST_WEBSERVER__LOGIN_MAX_FAILURES_PER_USER", "3",
                                "GUST_WEBSERVER__LOGIN_MAX_FAILURES_PER_USER_ALL_ADDRESSES", "10",
                                "GUST_WEBSERVER__LOGIN_MAX_FAILURES_PER_IP", "50",
                                "GUST_WEBSERVER__TRUSTED_PROXIES", trustedProxies)),
                        jdbc)
                .withClock(clock));
    }

    @AfterAll
    static void stop() {
        serverA.close();
        serverB.close();
        db.close();
    }

    @BeforeEach
    void fresh() {
        clock.set(Instant.now());
        db.jdbc().update("DELETE FROM login_failure", Params.none());
        db.jdbc().update("DELETE FROM web_session", Params.none());
        db.jdbc().update("DELETE FROM log", Params.none());
        browser = new WebClient(portA);
    }

    @Test
    void pagesRedirectAnonymousBrowsersToLoginWithALocalNext() throws Exception {
        HttpResponse<String> response = browser.get("/users?x=1");
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location")).hasValue("/login?next=%2Fusers%3Fx%3D1");

        String form = browser.get("/login?next=%2Fusers").body();
        assertThat(form)
                .contains(
                        "name=\"username\"",
                        "name=\"password\"",
                        "id=\"login-submit\"",
                        "name=\"next\" value=\"/users\"");
        assertThat(browser.get("/login?next=https://evil.example/").body()).contains("name=\"next\" value=\"/\"");
        assertThat(browser.get("/login?next=//evil.example/").body()).contains("name=\"next\" value=\"/\"");
    }

    @Test
    void loginSucceedsWithTheRightPasswordAndSetsAStrictSessionCookie() throws Exception {
        HttpResponse<String> login = browser.login("ada", TestUsers.PASSWORD, "/users");
        assertThat(login.statusCode()).isEqualTo(303);
        assertThat(login.headers().firstValue("Location")).hasValue("/users");
        String cookie = WebClient.setCookie(login, SessionCookie.NAME);
        assertThat(cookie).contains("HttpOnly", "SameSite=Lax", "Path=/").doesNotContain("Secure");
        String sessionId = browser.cookies().get(SessionCookie.NAME);
        assertThat(sessionId).hasSizeGreaterThanOrEqualTo(43);
        // The database keeps a hash, never the id itself.
        assertThat(db.jdbc().query("SELECT id_hash FROM web_session", Params.none(), row -> row.getString(1)))
                .hasSize(1)
                .doesNotContain(sessionId);

        HttpResponse<String> page = browser.get("/users");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("data-username=\"ada\"", "data-username=\"vic\"");
        assertThat(events()).contains("login");
    }

    @Test
    void loginFailsWithAWrongPasswordOrUnknownUserAndSaysSo() throws Exception {
        HttpResponse<String> wrong = browser.login("ada", "not-the-password");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("Wrong username or password.");
        assertThat(browser.cookies()).doesNotContainKey(SessionCookie.NAME);
        HttpResponse<String> unknown = browser.login("nobody", "whatever-it-is");
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(unknown.body()).contains("Wrong username or password.");
        assertThat(events()).containsExactly("login_failed", "login_failed");
        assertThat(db.jdbc().query("SELECT extra FROM log", Params.none(), row -> row.getString(1)))
                .noneMatch(extra -> extra.contains("not-the-password"));
    }

    @Test
    void loginWithoutTheFormsTokenIsRefused() throws Exception {
        HttpResponse<String> response =
                browser.postForm("/login", Map.of("username", "ada", "password", TestUsers.PASSWORD));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("The login form expired");
        assertThat(browser.cookies()).doesNotContainKey(SessionCookie.NAME);
    }

    @Test
    void aSessionMadeOnOneServerWorksOnTheOtherAndLogoutEndsItOnBoth() throws Exception {
        assertThat(browser.login("ada", TestUsers.PASSWORD).statusCode()).isEqualTo(303);
        browser.switchTo(portB);
        HttpResponse<String> onB = browser.get("/users");
        assertThat(onB.statusCode()).isEqualTo(200);
        String csrf = WebClient.hiddenCsrf(onB.body());
        String sessionId = browser.cookies().get(SessionCookie.NAME);

        HttpResponse<String> logout = browser.postForm("/logout", Map.of("_csrf", csrf));
        assertThat(logout.statusCode()).isEqualTo(303);
        assertThat(logout.headers().firstValue("Location")).hasValue("/login");
        assertThat(WebClient.setCookie(logout, SessionCookie.NAME)).contains("Max-Age=0");
        assertThat(events()).contains("logout");

        // Even a client that kept the old cookie is out, on either server.
        WebClient replay = new WebClient(portA);
        replay.cookies().put(SessionCookie.NAME, sessionId);
        assertThat(replay.get("/users").statusCode()).isEqualTo(302);
        assertThat(replay.switchTo(portB).get("/users").statusCode()).isEqualTo(302);
    }

    @Test
    void csrfIsRequiredForStateChangesOnASession() throws Exception {
        browser.login("ada", TestUsers.PASSWORD);
        String csrf = WebClient.hiddenCsrf(browser.get("/users").body());
        Map<String, String> newUser =
                Map.of("username", "csrf-victim", "role", "viewer", "password", "long-password-1");

        HttpResponse<String> forged = browser.postForm("/users", newUser);
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("CSRF token is missing or wrong");
        HttpResponse<String> wrongToken = browser.postForm("/users", withCsrf(newUser, "x" + csrf));
        assertThat(wrongToken.statusCode()).isEqualTo(403);
        assertThat(userExists("csrf-victim")).isFalse();

        HttpResponse<String> withField = browser.postForm("/users", withCsrf(newUser, csrf));
        assertThat(withField.statusCode()).as(withField.body()).isEqualTo(200);
        assertThat(userExists("csrf-victim")).isTrue();

        HttpResponse<String> withHeader =
                browser.postForm("/users/csrf-victim/delete", Map.of("confirm", "yes"), Csrf.HEADER, csrf);
        assertThat(withHeader.statusCode()).isEqualTo(200);
        assertThat(userExists("csrf-victim")).isFalse();
    }

    @Test
    void basicAuthNeedsNoCsrfBecauseBrowsersNeverSendItByThemselves() throws Exception {
        HttpResponse<String> response = browser.postForm(
                "/users",
                Map.of("username", "by-basic", "role", "viewer", "password", "long-password-1"),
                "Authorization",
                TestUsers.basic("ada"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(userExists("by-basic")).isTrue();
        new UserAccounts(db.jdbc(), clock).delete("by-basic", "test");
    }

    @Test
    void repeatedFailuresLimitLoginsEvenWithTheRightPasswordAcrossServers() throws Exception {
        for (int i = 0; i < 3; i++) {
            browser.switchTo(i % 2 == 0 ? portA : portB);
            assertThat(browser.login("ursula", "wrong-password-" + i).statusCode())
                    .isEqualTo(401);
        }
        HttpResponse<String> limited = browser.login("ursula", TestUsers.PASSWORD);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.body())
                .contains("Too many failed logins for this user or from this address; wait 15 minutes and try again.");
        assertThat(browser.cookies()).doesNotContainKey(SessionCookie.NAME);
        // HTTP basic counts against the same limit (ursula never used basic auth before, so nothing is cached).
        HttpResponse<String> api =
                browser.get("/api/v1/users", "Authorization", WebClient.basic("ursula", TestUsers.PASSWORD));
        assertThat(api.statusCode()).isEqualTo(429);
        assertThat(api.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));

        // Once the window has passed, the right password works again.
        clock.advance(Duration.ofMinutes(16));
        assertThat(browser.login("ursula", TestUsers.PASSWORD).statusCode()).isEqualTo(303);
    }

    @Test
    void theRateLimitCountsPerClientAddressFromTheAlb() throws Exception {
        // 50 per address: fill the window for one address directly, then try from it and from another.
        for (int i = 0; i < 50; i++) {
            db.jdbc()
                    .update(
                            "INSERT INTO login_failure (username, client_ip, failed_at) VALUES (:u, '203.0.113.9', :at)",
                            Params.of("u", "someone" + i).and("at", clock.instant()));
        }
        assertThat(browser.login("ada", TestUsers.PASSWORD, "/", "X-Forwarded-For", "10.9.9.9, 203.0.113.9")
                        .statusCode())
                .isEqualTo(429);
        assertThat(browser.login("ada", TestUsers.PASSWORD, "/", "X-Forwarded-For", "203.0.113.9, 198.51.100.1")
                        .statusCode())
                .isEqualTo(303);
    }

    @Test
    void basicAuthAndTokensWorkOnTheApi() throws Exception {
        HttpResponse<String> basic = browser.get("/api/v1/users", "Authorization", TestUsers.basic("ada"));
        assertThat(basic.statusCode()).isEqualTo(200);
        JsonNode users = JSON.readTree(basic.body());
        assertThat(users.get("total_entries").asInt()).isEqualTo(3);
        assertThat(users.get("users").get(0).get("roles").get(0).get("name").asText())
                .isEqualTo("Admin");
        assertThat(basic.body()).doesNotContain("$2");
        // The second call is served from the verified-password cache; same answer.
        assertThat(browser.get("/api/v1/users", "Authorization", TestUsers.basic("ada"))
                        .statusCode())
                .isEqualTo(200);

        String token = new UserAccounts(db.jdbc(), clock).issueToken("ada", "ci", Duration.ofDays(1), "test");
        HttpResponse<String> bearer = browser.get("/api/v1/users/vic", "Authorization", "Bearer " + token);
        assertThat(bearer.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(bearer.body()).get("username").asText()).isEqualTo("vic");
        assertThat(events()).contains("token.create");

        HttpResponse<String> wrongPassword =
                browser.get("/api/v1/users", "Authorization", WebClient.basic("ada", "nope-nope"));
        assertThat(wrongPassword.statusCode()).isEqualTo(401);
        assertThat(wrongPassword.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
        assertThat(browser.get("/api/v1/users", "Authorization", "Bearer gust_made-up")
                        .statusCode())
                .isEqualTo(401);

        clock.advance(Duration.ofDays(2));
        HttpResponse<String> expired = browser.get("/api/v1/users", "Authorization", "Bearer " + token);
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(expired.body()).get("detail").asText()).contains("expired");
    }

    @Test
    void aPasswordChangeEndsCachedBasicAuthAtOnce() throws Exception {
        TestUsers.create(db.jdbc(), "temp-admin", "admin");
        assertThat(browser.get("/api/v1/users", "Authorization", TestUsers.basic("temp-admin"))
                        .statusCode())
                .isEqualTo(200);
        new UserAccounts(db.jdbc(), clock).resetPassword("temp-admin", "a-new-password", "test");
        assertThat(browser.get("/api/v1/users", "Authorization", TestUsers.basic("temp-admin"))
                        .statusCode())
                .isEqualTo(401);
        assertThat(browser.get("/api/v1/users", "Authorization", WebClient.basic("temp-admin", "a-new-password"))
                        .statusCode())
                .isEqualTo(200);
        new UserAccounts(db.jdbc(), clock).setActive("temp-admin", false, "test");
        assertThat(browser.get("/api/v1/users", "Authorization", WebClient.basic("temp-admin", "a-new-password"))
                        .statusCode())
                .isEqualTo(401);
        new UserAccounts(db.jdbc(), clock).delete("temp-admin", "test");
    }

    @Test
    void idleAndOldSessionsAreRefused() throws Exception {
        browser.login("vic", TestUsers.PASSWORD);
        assertThat(browser.get("/").statusCode()).isEqualTo(200);
        clock.advance(Duration.ofMinutes(61));
        HttpResponse<String> idle = browser.get("/");
        assertThat(idle.statusCode()).isEqualTo(302);
        assertThat(WebClient.setCookie(idle, SessionCookie.NAME)).contains("Max-Age=0");

        browser.login("vic", TestUsers.PASSWORD);
        for (int i = 0; i < 24; i++) {
            clock.advance(Duration.ofMinutes(59));
            assertThat(browser.get("/").statusCode())
                    .as("used within the idle timeout, hour %d", i)
                    .isEqualTo(200);
        }
        clock.advance(Duration.ofMinutes(59));
        assertThat(browser.get("/").statusCode())
                .as("past the absolute age of 1 day")
                .isEqualTo(302);
    }

    @Test
    void theCookieIsSecureWhenTheAlbSaysHttps() throws Exception {
        HttpResponse<String> login = browser.login("vic", TestUsers.PASSWORD, "/", "X-Forwarded-Proto", "https");
        assertThat(WebClient.setCookie(login, SessionCookie.NAME)).contains("; Secure", "HttpOnly", "SameSite=Lax");
        assertThat(login.headers().firstValue("Strict-Transport-Security")).isPresent();
    }

    @Test
    void everyResponseCarriesTheSecurityHeadersAndNoServerVersion() throws Exception {
        for (String path : new String[] {"/health", "/login", "/no-such-page", "/api/v1/no-such-thing", "/users"}) {
            HttpResponse<String> response = browser.get(path);
            var headers = response.headers();
            assertThat(headers.firstValue("Content-Security-Policy"))
                    .as(path)
                    .hasValueSatisfying(csp -> assertThat(csp)
                            .contains("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'")
                            .doesNotContain("script-src 'self' 'unsafe-inline'"));
            assertThat(headers.firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
            assertThat(headers.firstValue("X-Frame-Options")).as(path).hasValue("DENY");
            assertThat(headers.firstValue("Referrer-Policy")).as(path).isPresent();
            assertThat(headers.firstValue("Server")).as(path).isEmpty();
        }
    }

    @Test
    void errorsHaveAirflowsProblemShapeUnderApiAndAPageElsewhere() throws Exception {
        HttpResponse<String> apiMissing = browser.get("/api/v1/no-such-thing", "Authorization", TestUsers.basic("ada"));
        assertThat(apiMissing.statusCode()).isEqualTo(404);
        assertThat(apiMissing.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(apiMissing.body());
        assertThat(problem.get("status").asInt()).isEqualTo(404);
        assertThat(problem.get("title").asText()).isEqualTo("Not Found");
        assertThat(problem.has("type")).isTrue();
        assertThat(problem.has("detail")).isTrue();
        assertThat(problem.get("instance").asText()).isEqualTo("/api/v1/no-such-thing");

        HttpResponse<String> userMissing = browser.get("/api/v1/users/ghost", "Authorization", TestUsers.basic("ada"));
        assertThat(userMissing.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(userMissing.body()).get("detail").asText()).contains("ghost");

        HttpResponse<String> pageMissing = browser.get("/no-such-page");
        assertThat(pageMissing.statusCode()).isEqualTo(404);
        assertThat(pageMissing.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(pageMissing.body()).contains("404 Not Found");

        HttpResponse<String> anonymousApi = browser.get("/api/v1/users");
        assertThat(anonymousApi.statusCode()).isEqualTo(401);
        assertThat(anonymousApi.headers().firstValue("WWW-Authenticate"))
                .hasValue("Basic realm=\"Gust\", charset=\"UTF-8\"");
        assertThat(JSON.readTree(anonymousApi.body()).get("title").asText()).isEqualTo("Unauthorized");

        HttpResponse<String> viewerApi = browser.get("/api/v1/users", "Authorization", TestUsers.basic("vic"));
        assertThat(viewerApi.statusCode()).isEqualTo(403);
        assertThat(viewerApi.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(JSON.readTree(viewerApi.body()).get("status").asInt()).isEqualTo(403);

        HttpResponse<String> viewerPage = browser.get("/users", "Authorization", TestUsers.basic("vic"));
        assertThat(viewerPage.statusCode()).isEqualTo(403);
        assertThat(viewerPage.body()).contains("403 Forbidden", "needs admin");

        HttpResponse<String> malformed = browser.send(
                "POST",
                "/api/v1/users",
                "{\"username\": ",
                "application/json",
                "Authorization",
                TestUsers.basic("ada"));
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(malformed.body()).get("title").asText()).isEqualTo("Bad Request");
    }

    @Test
    void aServerErrorShowsNoStackTrace() throws Exception {
        // A database whose users table is gone: every authenticated request fails inside the server.
        try (TestDatabase broken = TestDatabase.create();
                GustWebServer server = server(broken.jdbc())) {
            broken.jdbc().update("ALTER TABLE app_user RENAME TO app_user_gone", Params.none());
            WebClient client = new WebClient(server.start("127.0.0.1", 0));
            for (String path : new String[] {"/api/v1/users", "/users"}) {
                HttpResponse<String> response = client.get(path, "Authorization", TestUsers.basic("ada"));
                assertThat(response.statusCode()).as(path).isEqualTo(500);
                assertThat(response.body())
                        .as(path)
                        .contains("Something went wrong on the server")
                        .doesNotContain("Exception", "at dev.gust", "SQL", "app_user");
            }
        }
    }

    @Test
    void aDatabaseThatIsGoneIs503WithoutDetails() throws Exception {
        try (GoneDatabase gone = new GoneDatabase(db);
                GustWebServer broken = server(gone.jdbc())) {
            WebClient client = new WebClient(broken.start("127.0.0.1", 0));
            for (String path : new String[] {"/api/v1/users", "/users"}) {
                HttpResponse<String> response = client.get(path, "Authorization", TestUsers.basic("ada"));
                assertThat(response.statusCode()).as(path).isEqualTo(503);
                assertThat(response.body())
                        .as(path)
                        .contains("The metadata database does not answer")
                        .doesNotContain("Exception", "at dev.gust", "no_such_database");
            }
        }
    }

    // ------------------------------------------------------------ attacks of issue 13

    /** What a page on another site makes the browser send: a form post, text/plain, with the cached basic credentials. */
    @Test
    void aCrossSiteFormRidingOnBasicCredentialsCannotCreateAnAdmin() throws Exception {
        String evilAdmin =
                "{\"username\": \"evil\", \"password\": \"evil-password-1\", \"roles\": [{\"name\": \"Admin\"}]}";
        String basic = TestUsers.basic("ada");

        HttpResponse<String> formPost = browser.send(
                "POST",
                "/api/v1/users",
                evilAdmin,
                "text/plain",
                "Authorization",
                basic,
                "Origin",
                "https://evil.example",
                "Sec-Fetch-Site",
                "cross-site");
        assertThat(formPost.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(formPost.body()).get("detail").asText()).contains("another site");
        // Without the browser's headers (an old browser), the body type alone is refused, as Airflow's connexion does.
        HttpResponse<String> textPlain =
                browser.send("POST", "/api/v1/users", evilAdmin, "text/plain", "Authorization", basic);
        assertThat(textPlain.statusCode()).isEqualTo(415);
        assertThat(textPlain.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(JSON.readTree(textPlain.body()).get("detail").asText()).contains("Content-Type: application/json");
        assertThat(browser.send(
                                "POST",
                                "/api/v1/users",
                                "username=evil",
                                "application/x-www-form-urlencoded",
                                "Authorization",
                                basic)
                        .statusCode())
                .isEqualTo(415);
        // A cross-origin fetch with a JSON body, by Origin alone, by Sec-Fetch-Site alone, or from a sandboxed frame
        // (Origin: null).
        assertThat(browser.send(
                                "POST",
                                "/api/v1/users",
                                evilAdmin,
                                "application/json",
                                "Authorization",
                                basic,
                                "Origin",
                                "https://evil.example")
                        .statusCode())
                .isEqualTo(403);
        assertThat(browser.send(
                                "POST",
                                "/api/v1/users",
                                evilAdmin,
                                "application/json",
                                "Authorization",
                                basic,
                                "Sec-Fetch-Site",
                                "cross-site")
                        .statusCode())
                .isEqualTo(403);
        assertThat(browser.send(
                                "POST",
                                "/api/v1/users",
                                evilAdmin,
                                "application/json",
                                "Authorization",
                                basic,
                                "Origin",
                                "null")
                        .statusCode())
                .isEqualTo(403);
        // Same host, other port: another origin.
        assertThat(browser.send(
                                "POST",
                                "/api/v1/users",
                                evilAdmin,
                                "application/json",
                                "Authorization",
                                basic,
                                "Origin",
                                "http://127.0.0.1:" + portB)
                        .statusCode())
                .isEqualTo(403);
        // The UI's forms too, with basic credentials or with a session and its CSRF token.
        assertThat(browser.postForm(
                                "/users",
                                Map.of("username", "evil", "role", "admin", "password", "evil-password-1"),
                                "Authorization",
                                basic,
                                "Origin",
                                "https://evil.example")
                        .statusCode())
                .isEqualTo(403);
        browser.login("ada", TestUsers.PASSWORD);
        String csrf = WebClient.hiddenCsrf(browser.get("/users").body());
        assertThat(browser.postForm(
                                "/users",
                                Map.of(
                                        "username",
                                        "evil",
                                        "role",
                                        "admin",
                                        "password",
                                        "evil-password-1",
                                        Csrf.FORM_FIELD,
                                        csrf),
                                "Sec-Fetch-Site",
                                "cross-site")
                        .statusCode())
                .isEqualTo(403);
        assertThat(userExists("evil")).isFalse();

        // The same requests from Gust's own pages, or from a script without browser headers, work.
        HttpResponse<String> ownPage = browser.send(
                "POST",
                "/api/v1/users",
                evilAdmin.replace("evil", "friend"),
                "application/json",
                "Authorization",
                basic,
                "Origin",
                "http://127.0.0.1:" + portA,
                "Sec-Fetch-Site",
                "same-origin");
        assertThat(ownPage.statusCode()).as(ownPage.body()).isEqualTo(200);
        assertThat(new WebClient(portA)
                        .send("DELETE", "/api/v1/users/friend", null, null, "Authorization", basic)
                        .statusCode())
                .isEqualTo(204);
    }

    @Test
    void browsersGetNoBasicChallengeSoTheyNeverCacheCredentials() throws Exception {
        for (String[] browserHeaders : new String[][] {
            {"Accept", "text/html,application/xhtml+xml,*/*;q=0.8"},
            {"Sec-Fetch-Mode", "cors", "Accept", "*/*"},
            {"X-Requested-With", "XMLHttpRequest"}
        }) {
            HttpResponse<String> response = browser.get("/api/v1/users", browserHeaders);
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().allValues("WWW-Authenticate"))
                    .as(String.join(" ", browserHeaders))
                    .noneMatch(v -> v.toLowerCase(java.util.Locale.ROOT).startsWith("basic"));
        }
        // Scripts (curl, requests) still get the challenge they may wait for.
        assertThat(browser.get("/api/v1/users", "Accept", "application/json")
                        .headers()
                        .firstValue("WWW-Authenticate"))
                .hasValue("Basic realm=\"Gust\", charset=\"UTF-8\"");
    }

    @Test
    void aGetWithMethodOverrideCannotDeleteAPool() throws Exception {
        String basic = TestUsers.basic("ada");
        assertThat(browser.send(
                                "POST",
                                "/api/v1/pools",
                                "{\"name\": \"victim\", \"slots\": 3}",
                                "application/json",
                                "Authorization",
                                basic)
                        .statusCode())
                .isEqualTo(200);
        HttpResponse<String> overridden =
                browser.get("/api/v1/pools/victim", "Authorization", basic, "X-HTTP-Method-Override", "DELETE");
        assertThat(overridden.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(overridden.body()).get("detail").asText())
                .contains("X-HTTP-Method-Override is not supported");
        assertThat(browser.send(
                                "POST",
                                "/pools/victim/delete",
                                null,
                                null,
                                "Authorization",
                                basic,
                                "X-HTTP-Method-Override",
                                "DELETE")
                        .statusCode())
                .isEqualTo(400);
        assertThat(db.jdbc()
                        .queryOne(
                                "SELECT slots FROM slot_pool WHERE pool = 'victim'",
                                Params.none(),
                                row -> row.getInt(1)))
                .hasValue(3);
        // PATCH also takes JSON Merge Patch's media type; a form encoding is refused.
        assertThat(browser.send(
                                "PATCH",
                                "/api/v1/pools/victim",
                                "{\"slots\": 4}",
                                "application/merge-patch+json",
                                "Authorization",
                                basic)
                        .statusCode())
                .isEqualTo(200);
        assertThat(browser.send(
                                "PATCH",
                                "/api/v1/pools/victim",
                                "slots=5",
                                "application/x-www-form-urlencoded",
                                "Authorization",
                                basic)
                        .statusCode())
                .isEqualTo(415);
        assertThat(new WebClient(portA)
                        .send("DELETE", "/api/v1/pools/victim", null, null, "Authorization", basic)
                        .statusCode())
                .isEqualTo(204);
    }

    @Test
    void nulBytesAreA400NotA500() throws Exception {
        String basic = TestUsers.basic("ada");
        // Jetty itself refuses %00 in the path (a 400 of its own); everything else is ours to refuse.
        assertThat(browser.get("/api/v1/users/ad%00a", "Authorization", basic).statusCode())
                .isEqualTo(400);
        for (String path :
                new String[] {"/api/v1/dags?dag_id_pattern=x%00", "/api/v1/pools?x%00=1", "/api/v1/users?limit=1&a=%00"
                }) {
            HttpResponse<String> response = browser.get(path, "Authorization", basic);
            assertThat(response.statusCode()).as(path).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type"))
                    .as(path)
                    .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
            assertThat(JSON.readTree(response.body()).get("detail").asText())
                    .as(path)
                    .contains("NUL character");
        }
        HttpResponse<String> json = browser.send(
                "POST",
                "/api/v1/pools",
                "{\"name\": \"p\\u0000ool\", \"slots\": 1}",
                "application/json",
                "Authorization",
                basic);
        assertThat(json.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(json.body()).get("detail").asText()).contains("NUL character");
        // An escaped backslash followed by "u0000" is plain text, not a NUL.
        HttpResponse<String> notNul = browser.send(
                "POST",
                "/api/v1/pools",
                "{\"name\": \"p\\\\u0000\", \"slots\": 1}",
                "application/json",
                "Authorization",
                basic);
        assertThat(notNul.statusCode()).as(notNul.body()).isNotEqualTo(500);

        HttpResponse<String> page = browser.get("/?q=x%00y", "Authorization", basic);
        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        HttpResponse<String> form = browser.postForm(
                "/users",
                Map.of("username", "nul\0user", "role", "viewer", "password", "long-password-1"),
                "Authorization",
                basic);
        assertThat(form.statusCode()).isEqualTo(400);
        assertThat(form.body()).contains("NUL character");
    }

    @Test
    void withoutTrustedProxiesRotatingXForwardedForDoesNotEscapeTheLimit() throws Exception {
        try (GustWebServer direct = server(db.jdbc(), "")) {
            WebClient attacker = new WebClient(direct.start("127.0.0.1", 0));
            for (int i = 0; i < 3; i++) {
                assertThat(attacker.login("ursula", "guess-" + i, "/", "X-Forwarded-For", "198.51.100." + i)
                                .statusCode())
                        .isEqualTo(401);
            }
            assertThat(attacker.login("ursula", TestUsers.PASSWORD, "/", "X-Forwarded-For", "198.51.100.77")
                            .statusCode())
                    .as("a fresh X-Forwarded-For is not a fresh address")
                    .isEqualTo(429);
            assertThat(db.jdbc()
                            .query(
                                    "SELECT DISTINCT client_ip FROM login_failure",
                                    Params.none(),
                                    row -> row.getString(1)))
                    .containsExactly("127.0.0.1");
            assertThat(db.jdbc()
                            .query(
                                    "SELECT extra FROM log WHERE event = 'login_failed'",
                                    Params.none(),
                                    row -> row.getString(1)))
                    .allMatch(extra -> extra.contains("ip=127.0.0.1"))
                    .noneMatch(extra -> extra.contains("198.51.100"));
        }
        // Behind the ALB, only what it appended counts: forged entries to its left change nothing.
        db.jdbc().update("DELETE FROM login_failure", Params.none());
        for (int i = 0; i < 3; i++) {
            browser.login("ursula", "guess-" + i, "/", "X-Forwarded-For", "10.0.0." + i + ", 203.0.113.50");
        }
        assertThat(browser.login("ursula", TestUsers.PASSWORD, "/", "X-Forwarded-For", "10.0.0.99, 203.0.113.50")
                        .statusCode())
                .isEqualTo(429);
    }

    @Test
    void failuresFromOneAddressDoNotLockTheAdminOutFromAnother() throws Exception {
        for (int i = 0; i < 5; i++) {
            browser.login("ada", "guess-" + i, "/", "X-Forwarded-For", "203.0.113.66");
        }
        assertThat(browser.login("ada", TestUsers.PASSWORD, "/", "X-Forwarded-For", "203.0.113.66")
                        .statusCode())
                .as("the attacker's address is limited")
                .isEqualTo(429);
        assertThat(new WebClient(portB)
                        .login("ada", TestUsers.PASSWORD, "/", "X-Forwarded-For", "198.51.100.7")
                        .statusCode())
                .as("the admin signs in from their own address")
                .isEqualTo(303);
        // The real admin's login does not reset the attacker's count.
        assertThat(browser.login("ada", TestUsers.PASSWORD, "/", "X-Forwarded-For", "203.0.113.66")
                        .statusCode())
                .isEqualTo(429);

        // Failures from many addresses together reach a much higher ceiling (10 here) for the user everywhere.
        for (int i = 0; i < 10; i++) {
            browser.login("vic", "guess-" + i, "/", "X-Forwarded-For", "192.0.2." + i);
        }
        assertThat(new WebClient(portA)
                        .login("vic", TestUsers.PASSWORD, "/", "X-Forwarded-For", "198.51.100.8")
                        .statusCode())
                .isEqualTo(429);
    }

    @Test
    void aFloodOfRateLimitedLoginsIsOneAuditRowWithACount() throws Exception {
        for (int i = 0; i < 3; i++) {
            browser.login("ursula", "guess-" + i);
        }
        for (int i = 0; i < 40; i++) {
            assertThat(browser.login("ursula", "guess-more-" + i).statusCode()).isEqualTo(429);
        }
        assertThat(db.jdbc()
                        .query(
                                "SELECT extra FROM log WHERE event = 'login_failed' ORDER BY id",
                                Params.none(),
                                row -> row.getString(1)))
                .containsExactly(
                        "reason=bad_credentials ip=127.0.0.1",
                        "reason=bad_credentials ip=127.0.0.1",
                        "reason=bad_credentials ip=127.0.0.1",
                        "reason=rate_limited ip=127.0.0.1 attempts=40");
    }

    @Test
    void theApiRefusesSelfDeletionAndWeakPasswords() throws Exception {
        String basic = TestUsers.basic("ada");
        HttpResponse<String> self = browser.send("DELETE", "/api/v1/users/ada", null, null, "Authorization", basic);
        assertThat(self.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(self.body()).get("detail").asText())
                .isEqualTo("you cannot delete yourself while signed in as 'ada'; ask another admin to do it");
        assertThat(userExists("ada")).isTrue();

        for (String[] weak : new String[][] {
            {"short-pw1", "at least 10 characters"}, {"QwertyUIOP123", "one of the most common ones"}
        }) {
            HttpResponse<String> created = browser.send(
                    "POST",
                    "/api/v1/users",
                    "{\"username\": \"weakling\", \"password\": \"" + weak[0]
                            + "\", \"roles\": [{\"name\": \"Viewer\"}]}",
                    "application/json",
                    "Authorization",
                    basic);
            assertThat(created.statusCode()).as(weak[0]).isEqualTo(400);
            assertThat(JSON.readTree(created.body()).get("detail").asText())
                    .as(weak[0])
                    .contains(weak[1]);
        }
        assertThat(userExists("weakling")).isFalse();
    }

    private static Map<String, String> withCsrf(Map<String, String> form, String csrf) {
        var copy = new java.util.HashMap<>(form);
        copy.put(Csrf.FORM_FIELD, csrf);
        return copy;
    }

    private static boolean userExists(String username) {
        return db.jdbc()
                .queryOne("SELECT 1 FROM app_user WHERE username = :u", Params.of("u", username), row -> 1)
                .isPresent();
    }

    private static java.util.List<String> events() {
        return new EventLogRepository(db.jdbc())
                .recent(50).stream().map(e -> e.event().event()).toList().reversed();
    }
}
