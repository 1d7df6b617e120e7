package dev.gust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.config.GustConfig;
import dev.gust.core.dag.load.DagFileParser;
import dev.gust.core.dag.load.DagFolderScanner;
import dev.gust.core.dag.sync.DagFolderSync;
import dev.gust.core.state.DagRunState;
import dev.gust.core.store.connections.Connection;
import dev.gust.core.store.connections.ConnectionRepository;
import dev.gust.core.store.dags.DagRepository;
import dev.gust.core.store.dagwarnings.DagWarningRepository;
import dev.gust.core.store.importerrors.ImportErrorRepository;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.runs.XComRepository;
import dev.gust.core.store.secrets.EncryptionKeySource;
import dev.gust.core.store.secrets.SecretCipher;
import dev.gust.core.store.variables.VariableRepository;
import dev.gust.core.testing.TestDatabase;
import dev.gust.core.users.UserAccounts;
import dev.gust.scheduler.engine.SingleRunExecution;
import dev.gust.webserver.GustWebServer;
import dev.gust.webserver.WebServices;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The XCom leak as a Viewer would exploit it: a DAG's bash task echoes a connection password, a
 * secret nested in the connection's extra and a sensitive Variable as its last line, which the
 * bash operator pushes as {@code return_value}. The run is executed by the engine (real bash), the
 * Viewer reads the task's XComs and its page from a real web server over HTTP: neither the
 * answers nor the stored row hold the secrets.
 */
class XComSecretsTest {

    static final String CONN_PASSWORD = "conn-pw-e2e-51a";
    static final String NESTED_TOKEN = "nested-tok-e2e-7b";
    static final String VARIABLE_SECRET = "var-secret-e2e-c3";
    static final String VIEWER_PASSWORD = "Viewer-Passphrase-48zq";

    @TempDir
    Path dir;

    @Test
    void aViewerDoesNotReadSecretsATaskEchoedIntoItsXCom() throws Exception {
        Path dags = Files.createDirectories(dir.resolve("dags"));
        Map<String, String> env = new HashMap<>();
        env.put("PATH", System.getenv("PATH"));
        env.put("GUST_CORE__HOME", dir.resolve("home").toString());
        env.put("GUST_CORE__DAGS_FOLDER", dags.toString());
        env.put("GUST_SECURITY__ENCRYPTION_KEY", Base64.getEncoder().encodeToString(new byte[32]));
        GustConfig config = GustConfig.load(null, env);
        Files.writeString(dags.resolve("leaky.yaml"), """
                leaky:
                  schedule: null
                  tasks:
                    echo:
                      operator: bash
                      bash_command: 'echo "pw {{ conn.warehouse.password }} tok {{ conn.warehouse.extra_dejson.auth.api_token }} var {{ var.value.deploy_api_key }}"'
                """);

        try (TestDatabase db = TestDatabase.create();
                DagFolderSync sync = new DagFolderSync(
                        new DagFolderScanner(dags, DagFolderScanner.Settings.defaults(), new DagFileParser()),
                        new DagRepository(db.jdbc()),
                        new ImportErrorRepository(db.jdbc()),
                        new DagWarningRepository(db.jdbc()),
                        config.core())) {
            assertThat(sync.sync().importErrors()).isZero();
            SecretCipher cipher = EncryptionKeySource.cipher(config);
            new ConnectionRepository(db.jdbc(), cipher)
                    .add(new Connection(
                            "warehouse",
                            "postgres",
                            null,
                            "db.example",
                            null,
                            "loader",
                            CONN_PASSWORD,
                            5432,
                            "{\"auth\": {\"api_token\": \"" + NESTED_TOKEN + "\"}}"));
            new VariableRepository(db.jdbc(), cipher).set("deploy_api_key", VARIABLE_SECRET, null);
            new UserAccounts(db.jdbc(), Clock.systemUTC()).create("viewer1", "viewer", null, VIEWER_PASSWORD, "test");

            DagRun run = new SingleRunExecution(config, db.database(), Clock.systemUTC()).run("leaky", null, Map.of());
            assertThat(run.state()).isEqualTo(DagRunState.SUCCESS);

            assertThat(new XComRepository(db.jdbc()).listForRun("leaky", run.runId()))
                    .singleElement()
                    .satisfies(x -> assertThat(x.valueJson()).isEqualTo("\"pw *** tok *** var ***\""));

            try (GustWebServer server = new GustWebServer(WebServices.create(config, db.jdbc()))) {
                int port = server.start("127.0.0.1", 0);
                String ti =
                        "/dags/leaky/runs/" + URLEncoder.encode(run.runId(), StandardCharsets.UTF_8) + "/tasks/echo";
                String apiTi = "/api/v1/dags/leaky/dagRuns/" + URLEncoder.encode(run.runId(), StandardCharsets.UTF_8)
                        + "/taskInstances/echo";
                for (String path : new String[] {apiTi + "/xcomEntries", apiTi + "/xcomEntries/return_value", ti}) {
                    HttpResponse<String> reply = getAsViewer(port, path);
                    assertThat(reply.statusCode()).as(path).isEqualTo(200);
                    assertThat(reply.body()).as(path).doesNotContain(CONN_PASSWORD, NESTED_TOKEN, VARIABLE_SECRET);
                }
                assertThat(getAsViewer(port, apiTi + "/xcomEntries/return_value")
                                .body())
                        .contains("pw *** tok *** var ***");
                assertThat(getAsViewer(port, ti).body()).contains("pw *** tok *** var ***");
            }
        }
    }

    private static HttpResponse<String> getAsViewer(int port, String path) throws Exception {
        String basic =
                Base64.getEncoder().encodeToString(("viewer1:" + VIEWER_PASSWORD).getBytes(StandardCharsets.UTF_8));
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .header("Authorization", "Basic " + basic)
                                .header("Accept", "application/json")
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }
}
