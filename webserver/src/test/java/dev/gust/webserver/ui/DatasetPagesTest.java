package dev.gust.webserver.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.config.GustConfig;
import dev.gust.core.dag.load.DagFolderScanner;
import dev.gust.core.dag.sync.DagFolderSync;
import dev.gust.core.runs.DatasetTriggeredRuns;
import dev.gust.core.store.Stores;
import dev.gust.core.store.datasets.EventSource;
import dev.gust.core.store.runs.DagRun;
import dev.gust.webserver.TestUsers;
import dev.gust.webserver.WebClient;
import dev.gust.webserver.WebTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Over real HTTP, the Datasets page lists each dataset with the task that updates it, the DAG
 * scheduled on it and its latest events; the DAG list shows a dataset-scheduled DAG's progress
 * ("on datasets 1 of 2 updated"); a dataset-triggered run's row names the datasets it ran on.
 */
class DatasetPagesTest {

    static final String DAGS = """
            producer:
              schedule: null
              tasks:
                make_a: {operator: bash, bash_command: 'exit 0', outlets: ['s3://bucket/a']}
            consumer:
              start_date: 2024-01-01
              schedule: ['s3://bucket/a', 's3://bucket/b']
              tasks:
                use: {operator: empty}
            either:
              start_date: 2024-01-01
              schedule: {datasets: 's3://bucket/a | s3://bucket/c'}
              tasks:
                use: {operator: empty}
            """;

    @RegisterExtension
    static final WebTestServer web = new WebTestServer();

    static WebClient browser;

    @BeforeAll
    static void datasetsAndAnEvent() throws Exception {
        Path folder = Files.createTempDirectory("gust-dataset-pages");
        Files.writeString(folder.resolve("datasets.yaml"), DAGS);
        Stores stores = web.services.stores();
        try (DagFolderSync sync = new DagFolderSync(
                new DagFolderScanner(folder),
                stores.dags(),
                stores.importErrors(),
                stores.dagWarnings(),
                GustConfig.defaults().core())) {
            assertThat(sync.sync().importErrors()).isZero();
        }
        stores.dags().setPaused("consumer", false);
        stores.dags().setPaused("either", false);
        stores.datasets()
                .recordEvents(
                        List.of("s3://bucket/a"),
                        new EventSource("producer", "manual__2024-03-01", "make_a", -1),
                        "{}",
                        Instant.parse("2024-03-01T10:00:00Z"));
        TestUsers.create(web.db.jdbc(), "viewer", "viewer");
        browser = new WebClient(web.port);
        browser.login("viewer", TestUsers.PASSWORD);
    }

    @Test
    void theDatasetsPageShowsProducersConsumersAndLatestEvents() throws Exception {
        var page = browser.get("/datasets");
        assertThat(page.statusCode()).isEqualTo(200);
        String html = page.body();
        String rowA =
                html.substring(html.indexOf("data-uri=\"s3://bucket/a\""), html.indexOf("data-uri=\"s3://bucket/b\""));
        assertThat(rowA)
                .contains("href=\"/dags/producer/grid\">producer</a>.make_a")
                .contains("href=\"/dags/consumer/grid\">consumer</a>")
                .contains("2024-03-01")
                .contains("manual__2024-03-01");
        String rowB = html.substring(html.indexOf("data-uri=\"s3://bucket/b\""));
        assertThat(rowB).contains("no task").contains("never updated");
        assertThat(browser.get("/datasets?q=bucket/b").body())
                .contains("s3://bucket/b")
                .doesNotContain("data-uri=\"s3://bucket/a\"");
        assertThat(html).contains("<a href=\"/datasets\">Datasets</a>");
    }

    @Test
    void theDagListShowsHowManyDatasetsWereUpdated() throws Exception {
        String html = browser.get("/").body();
        String consumerRow = html.substring(html.indexOf("data-dag-id=\"consumer\""));
        consumerRow = consumerRow.substring(0, consumerRow.indexOf("</tr>"));
        assertThat(consumerRow).contains("on datasets 1 of 2 updated");
        String producerRow = html.substring(html.indexOf("data-dag-id=\"producer\""));
        producerRow = producerRow.substring(0, producerRow.indexOf("</tr>"));
        assertThat(producerRow).doesNotContain("on datasets");
    }

    @Test
    void aDatasetTriggeredRunShowsTheDatasetsItRanOn() throws Exception {
        List<DagRun> created =
                new DatasetTriggeredRuns(web.services.stores(), web.services.dagDefinitions()).createDue();
        assertThat(created).extracting(DagRun::dagId).containsExactly("either");
        String html = browser.get("/dags/either/runs").body();
        String row = html.substring(
                html.indexOf("data-run-id=\"" + created.getFirst().runId() + "\""));
        row = row.substring(0, row.indexOf("</tr>"));
        assertThat(row)
                .contains("dataset_triggered")
                .contains("class=\"consumed-datasets\"")
                .contains("s3://bucket/a");
    }
}
