package dev.gust.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.state.DagRunState;
import dev.gust.core.store.connections.Connection;
import dev.gust.core.store.connections.ConnectionRepository;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.runs.TaskInstanceKey;
import dev.gust.core.store.runs.XComRepository;
import dev.gust.core.store.secrets.EncryptionKeySource;
import dev.gust.core.store.variables.VariableRepository;
import dev.gust.core.store.views.TaskInstanceExtrasQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A DAG author's tasks trying to expose secrets to every Viewer, run by the engine as real bash
 * subprocesses: {@code env} must not show Gust's own settings (the database URL and password, the
 * encryption key) though a variable the operator passes through does appear; a task that prints
 * a configuration secret literally leaves {@code ***} in its stored log; and a connection
 * password, a nested secret of a connection's extra or a sensitive Variable echoed as the last
 * line is not stored in the XCom row, while the task itself still gets the real values.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EngineSecretsTest {

    static final String DB_URL_PASSWORD = "url-pw-7f3a9c";
    static final String DB_PASSWORD = "db-pw-91c2e7";
    static final String KEY = Base64.getEncoder().encodeToString("0123456789abcdef0123456789ABCDEF".getBytes());
    static final String CONN_PASSWORD = "conn-pw-5b1d04";
    static final String NESTED_TOKEN = "nested-tok-88e1";
    static final String VARIABLE_SECRET = "var-secret-42ab";

    private EngineHarness harness;

    @BeforeEach
    void setUp() {
        harness = EngineHarness.create(Map.of(
                "GUST_DATABASE__URL",
                "jdbc:postgresql://127.0.0.1:1/gust?user=gust&password=" + DB_URL_PASSWORD,
                "GUST_DATABASE__PASSWORD",
                DB_PASSWORD,
                "GUST_SECURITY__ENCRYPTION_KEY",
                KEY,
                "GUST_CORE__TASK_ENVIRONMENT_PASSTHROUGH",
                "TEAM_SETTING",
                "TEAM_SETTING",
                "passed-through",
                "UNLISTED_SETTING",
                "not-passed"));
    }

    @AfterEach
    void tearDown() {
        harness.close();
    }

    @Test
    void aTaskRunningEnvSeesACleanEnvironmentAndPrintedConfigSecretsAreMasked() throws Exception {
        harness.dag("env_dump.yaml", """
                env_dump:
                  schedule: null
                  tasks:
                    dump:
                      operator: bash
                      owner: data-team
                      bash_command: %s
                """.formatted(
                        EngineHarness.yaml("env; echo literal " + DB_PASSWORD + " " + DB_URL_PASSWORD + " " + KEY)));
        DagRun run = harness.run("env_dump");

        assertThat(run.state()).isEqualTo(DagRunState.SUCCESS);
        String log = harness.log(run, "dump", 1);
        assertThat(log)
                .doesNotContain(
                        "GUST_DATABASE",
                        "GUST_SECURITY",
                        "GUST_CORE",
                        DB_PASSWORD,
                        DB_URL_PASSWORD,
                        KEY,
                        "UNLISTED_SETTING");
        assertThat(log)
                .contains(
                        "TEAM_SETTING=passed-through",
                        "PATH=",
                        "AIRFLOW_CTX_DAG_ID=env_dump",
                        "AIRFLOW_CTX_TASK_ID=dump",
                        "AIRFLOW_CTX_DAG_RUN_ID=" + run.runId(),
                        "AIRFLOW_CTX_TRY_NUMBER=1",
                        "AIRFLOW_CTX_DAG_OWNER=data-team",
                        "literal *** *** ***");
    }

    @Test
    void secretsEchoedAsTheLastLineAreNotStoredInXComButTheTaskGetsThem() throws Exception {
        var cipher = EncryptionKeySource.cipher(harness.config());
        new ConnectionRepository(harness.db().jdbc(), cipher)
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
        new VariableRepository(harness.db().jdbc(), cipher).set("deploy_api_key", VARIABLE_SECRET, null);
        Path seen = harness.dir().resolve("seen");
        harness.dag("echo_secrets.yaml", """
                echo_secrets:
                  schedule: null
                  tasks:
                    echo:
                      operator: bash
                      bash_command: %s
                """.formatted(
                        EngineHarness.yaml("echo \"{{ var.value.deploy_api_key }}\" > " + seen
                                + "; echo \"pw {{ conn.warehouse.password }} tok {{ conn.warehouse.extra_dejson.auth.api_token }}"
                                + " var {{ var.value.deploy_api_key }}\"")));
        DagRun run = harness.run("echo_secrets");

        assertThat(run.state()).isEqualTo(DagRunState.SUCCESS);
        assertThat(Files.readString(seen).strip())
                .as("the task reads the real value")
                .isEqualTo(VARIABLE_SECRET);
        var stored = new XComRepository(harness.db().jdbc()).listForRun("echo_secrets", run.runId());
        assertThat(stored).singleElement().satisfies(x -> {
            assertThat(x.key()).isEqualTo("return_value");
            assertThat(x.valueJson()).isEqualTo("\"pw *** tok *** var ***\"");
        });
        assertThat(harness.log(run, "echo", 1)).doesNotContain(CONN_PASSWORD, NESTED_TOKEN, VARIABLE_SECRET);
        // the try's rendered templates are stored for the task page, with the secrets they read masked
        String rendered = new TaskInstanceExtrasQuery(harness.db().jdbc())
                .renderedFields(new TaskInstanceKey("echo_secrets", run.runId(), "echo", -1), 1)
                .orElseThrow();
        assertThat(rendered)
                .contains("echo \\\"***\\\" > " + seen)
                .contains("pw *** tok *** var ***")
                .doesNotContain(CONN_PASSWORD, NESTED_TOKEN, VARIABLE_SECRET);
    }
}
