package dev.gust.webserver.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gust.core.config.GustConfig;
import dev.gust.core.dag.load.DagFolderScanner;
import dev.gust.core.dag.sync.DagFolderSync;
import dev.gust.core.store.Params;
import dev.gust.core.store.Stores;
import dev.gust.core.testing.TestDatabase;
import dev.gust.webserver.GustWebServer;
import dev.gust.webserver.TestUsers;
import dev.gust.webserver.WebServices;
import dev.gust.webserver.WebTestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A web server over real HTTP on an embedded PostgreSQL, with helpers to call the API and read JSON.
 * A test class registers one for all its tests and JUnit closes it after them:
 * {@code @RegisterExtension static final ApiTestServer api = new ApiTestServer();}; one made
 * {@link #withDags} also starts each test from those DAGs alone.
 */
final class ApiTestServer implements AutoCloseable, BeforeEachCallback, AfterAllCallback {

    static final ObjectMapper JSON = new ObjectMapper();

    final TestDatabase db;
    final WebServices services;
    final GustWebServer server;
    final int port;
    final HttpClient http = HttpClient.newHttpClient();
    private final WebTestServer web;
    private final String dags;
    private final Path dagsFolder;

    /** A response: status, content type and the body as text and (when JSON) as a tree. */
    record Reply(int status, String contentType, String text, JsonNode json) {}

    ApiTestServer() {
        this(null, Map.of());
    }

    private ApiTestServer(String dags, Map<String, String> settings) {
        this.dags = dags;
        try {
            dagsFolder = Files.createTempDirectory("gust-api-dags");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        web = new WebTestServer(config(settings, dagsFolder));
        db = web.db;
        services = web.services;
        server = web.server;
        port = web.port;
        TestUsers.create(db.jdbc(), USER, "admin");
    }

    /** A server that, before each test, empties the tables and stores the DAGs of {@code yaml}. */
    static ApiTestServer withDags(String yaml) {
        return new ApiTestServer(yaml, Map.of());
    }

    /** A server like {@link #withDags} whose configuration also has {@code settings}. */
    static ApiTestServer withDags(String yaml, Map<String, String> settings) {
        return new ApiTestServer(yaml, settings);
    }

    /** A server whose configuration also has {@code settings} (environment form, {@code GUST_CORE__...}). */
    static ApiTestServer withSettings(Map<String, String> settings) {
        return new ApiTestServer(null, settings);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        if (dags != null) {
            empty();
            syncDags(dagsFolder, dags);
        }
    }

    /** The admin every request is made as (HTTP basic, as scripts call Airflow's API). */
    static final String USER = "admin";

    static GustConfig config() {
        return config(Map.of(), null);
    }

    /**
     * The test configuration with {@code settings} (environment form) over it, and, when given, the DAG
     * folder {@link #withDags} writes its DAGs to.
     */
    private static GustConfig config(Map<String, String> settings, Path dagsFolder) {
        Map<String, String> environment = new java.util.HashMap<>(settings);
        environment.put("GUST_SECURITY__ENCRYPTION_KEY", Base64.getEncoder().encodeToString(new byte[32]));
        environment.put("GUST_API__MAXIMUM_PAGE_LIMIT", "50");
        if (dagsFolder != null) {
            environment.put("GUST_CORE__DAGS_FOLDER", dagsFolder.toString());
        }
        return GustConfig.load(null, environment);
    }

    /** Empties every table the API touches (the default pool and the admin stay). */
    void empty() {
        for (String table : new String[] {"dag", "import_error", "log", "variable", "connection", "job", "dataset"}) {
            db.jdbc().update("DELETE FROM " + table, Params.none());
        }
        db.jdbc().update("DELETE FROM slot_pool WHERE pool <> 'default_pool'", Params.none());
        db.jdbc().update("DELETE FROM app_user WHERE username <> :admin", Params.of("admin", USER));
    }

    /** Writes the YAML into {@code folder} and stores its DAGs as the scheduler's DAG folder sync does. */
    void syncDags(Path folder, String yaml) throws Exception {
        Files.writeString(folder.resolve("dags.yaml"), yaml);
        Stores stores = services.stores();
        try (DagFolderSync sync = new DagFolderSync(
                new DagFolderScanner(folder),
                stores.dags(),
                stores.importErrors(),
                stores.dagWarnings(),
                GustConfig.defaults().core())) {
            if (sync.sync().importErrors() != 0) {
                throw new IllegalStateException("the test DAG file does not load");
            }
        }
    }

    Reply get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    Reply get(String path, String accept) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("Accept", accept).GET());
    }

    Reply post(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Reply put(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).PUT(HttpRequest.BodyPublishers.noBody()));
    }

    Reply patch(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)));
    }

    Reply delete(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).DELETE());
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + "/api/v1" + path);
    }

    /** Sends a request built by the test (any method, headers) as the admin. */
    Reply send(HttpRequest.Builder request) throws Exception {
        return sendAs(USER, request);
    }

    /** Sends a request as {@code username} (made by {@link TestUsers}, or with its password). */
    Reply sendAs(String username, HttpRequest.Builder request) throws Exception {
        request.setHeader("Authorization", TestUsers.basic(username));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        String type = response.headers().firstValue("Content-Type").orElse("");
        JsonNode json = type.contains("json") && !response.body().isEmpty() ? JSON.readTree(response.body()) : null;
        return new Reply(response.statusCode(), type, response.body(), json);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        web.close();
        try (var files = Files.walk(dagsFolder)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(file -> file.toFile().delete());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
