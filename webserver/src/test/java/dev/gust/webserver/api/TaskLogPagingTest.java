package dev.gust.webserver.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.dag.model.Dag;
import dev.gust.core.runs.DagRunCreator;
import dev.gust.core.store.Params;
import dev.gust.core.store.runs.DagRunRepository;
import dev.gust.core.store.runs.NewTaskInstance;
import dev.gust.core.store.runs.TaskInstanceKey;
import dev.gust.core.store.runs.TaskInstanceRepository;
import dev.gust.core.store.runs.TaskLogRepository;
import dev.gust.webserver.TestUsers;
import dev.gust.webserver.WebClient;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A large task log (issue 13, finding 8: a 110 MB log sent whole to eight viewers took the server
 * down) is only ever sent a bounded page at a time, over real HTTP: the API's pages follow one
 * another by continuation token and add up to exactly the stored log, a forged token is a 400, the
 * whole log is streamed only on request, and the UI's task page and its log polls are bounded.
 */
class TaskLogPagingTest {

    @RegisterExtension
    static final ApiTestServer api = ApiTestServer.withDags("""
            flood:
              schedule: null
              default_args: {start_date: 2024-01-01}
              tasks:
                loud: {operator: bash, bash_command: 'seq 1 1000000'}
            """);

    String runId;
    TaskInstanceKey key;
    String stored;

    /** A finished try whose log is 3.5 MB in 64 KB chunks, as the task log writer stores them. */
    @BeforeEach
    void aTryWithALargeLog() throws Exception {
        var definitions = api.services.dagDefinitions();
        Dag dag = definitions.get("flood").orElseThrow().dag();
        runId = new DagRunCreator(new DagRunRepository(api.db.jdbc()), definitions, false, Clock.systemUTC())
                .trigger("flood", Map.of(), Instant.parse("2024-02-01T00:00:00Z"), null);
        new TaskInstanceRepository(api.db.jdbc())
                .createForRun(
                        "flood",
                        runId,
                        dag.tasks().stream()
                                .map(t -> new NewTaskInstance(t.taskId(), -1, 0, "default_pool", 1, 1, "bash"))
                                .toList());
        api.db
                .jdbc()
                .update(
                        "UPDATE task_instance SET try_number = 1, state = 'success' WHERE run_id = :runId",
                        Params.of("runId", runId));
        key = TaskInstanceKey.of("flood", runId, "loud");
        TaskLogRepository logs = new TaskLogRepository(api.db.jdbc());
        StringBuilder all = new StringBuilder();
        StringBuilder chunk = new StringBuilder();
        for (int line = 1; all.length() + chunk.length() < 3_500_000; line++) {
            chunk.append("[2024-02-01T00:00:00.000Z] line ").append(line).append(" of a flood — ü\n");
            if (chunk.length() >= 64 * 1024) {
                logs.append(key, 1, chunk.toString());
                all.append(chunk);
                chunk.setLength(0);
            }
        }
        logs.append(key, 1, chunk.toString());
        all.append(chunk);
        stored = all.toString();
    }

    private String logPath() {
        return "/dags/flood/dagRuns/" + runId + "/taskInstances/loud/logs/1";
    }

    @Test
    void theApiSendsBoundedPagesThatAddUpToTheStoredLog() throws Exception {
        StringBuilder read = new StringBuilder();
        String token = null;
        int pages = 0;
        while (true) {
            var reply = api.get(
                    logPath() + (token == null ? "" : "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)));
            assertThat(reply.status()).isEqualTo(200);
            String content = reply.json().get("content").asText();
            assertThat(content.getBytes(StandardCharsets.UTF_8).length)
                    .as("one page")
                    .isLessThanOrEqualTo(TaskLogRepository.PAGE_BYTES);
            token = reply.json().get("continuation_token").asText();
            if (content.isEmpty()) {
                break;
            }
            read.append(content);
            pages++;
            assertThat(pages).as("pages of a 3.5 MB log").isLessThan(10);
        }
        assertThat(pages).isGreaterThanOrEqualTo(4);
        assertThat(read.toString()).isEqualTo(stored);

        // plain text pages too, with the token in a header
        var plain = api.get(logPath(), "text/plain");
        assertThat(plain.contentType()).startsWith("text/plain");
        assertThat(plain.text().length()).isLessThan(stored.length() / 2);
        assertThat(stored).startsWith(plain.text());

        // the whole log only when asked for, streamed
        assertThat(api.get(logPath() + "?full_content=true", "text/plain").text())
                .isEqualTo(stored);
        var full = api.get(logPath() + "?full_content=true");
        assertThat(full.json().get("content").asText()).isEqualTo(stored);
        assertThat(api.get(logPath() + "?token="
                                + full.json().get("continuation_token").asText())
                        .json()
                        .get("content")
                        .asText())
                .isEmpty();
    }

    @Test
    void aForgedContinuationTokenIsABadRequest() throws Exception {
        for (String forged : new String[] {"garbage!", "Y2h1bms6LTE", "bm90LWEtdG9rZW4", "Y2h1bms6eA"}) {
            var reply = api.get(logPath() + "?token=" + forged);
            assertThat(reply.status()).as(forged).isEqualTo(400);
            assertThat(reply.text()).contains("token");
        }
    }

    @Test
    void theTaskPageAndItsLogPollsAreBounded() throws Exception {
        TestUsers.create(api.db.jdbc(), "viewer", "viewer");
        WebClient browser = new WebClient(api.port);
        browser.login("viewer", TestUsers.PASSWORD);
        String taskPage = "/dags/flood/runs/"
                + URLEncoder.encode(runId, StandardCharsets.UTF_8).replace("+", "%20") + "/tasks/loud";

        HttpResponse<String> page = browser.get(taskPage);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body().getBytes(StandardCharsets.UTF_8).length)
                .as("the task page")
                .isLessThan(512 * 1024);
        assertThat(page.body())
                .contains("line 1 of a flood")
                .doesNotContain("line 40000 of a flood")
                .contains("id=\"log-more-button\"")
                .contains("download=true");

        HttpResponse<String> poll = browser.get(taskPage + "/log?try=1&offset=0", "Accept", "application/json");
        assertThat(poll.statusCode()).isEqualTo(200);
        assertThat(poll.body().getBytes(StandardCharsets.UTF_8).length)
                .as("one log poll")
                .isLessThan(512 * 1024);
        var body = ApiTestServer.JSON.readTree(poll.body());
        assertThat(body.get("more").asBoolean()).isTrue();

        // "Load more" until the end gives back the whole stored log
        StringBuilder read = new StringBuilder(body.get("text").asText());
        int offset = body.get("next_offset").asInt();
        while (body.get("more").asBoolean()) {
            body = ApiTestServer.JSON.readTree(
                    browser.get(taskPage + "/log?try=1&offset=" + offset, "Accept", "application/json")
                            .body());
            read.append(body.get("text").asText());
            offset = body.get("next_offset").asInt();
        }
        assertThat(read.toString()).isEqualTo(stored);

        HttpResponse<String> download = browser.get(taskPage + "/log?try=1&download=true");
        assertThat(download.headers().firstValue("Content-Disposition").orElse(""))
                .contains("attachment");
        assertThat(download.body()).isEqualTo(stored);
    }
}
