package dev.gust.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.state.DagRunState;
import dev.gust.core.store.callbacks.CallbackRequest;
import dev.gust.core.store.runs.DagRun;
import dev.gust.scheduler.callbacks.CallbackRunner;
import dev.gust.scheduler.notify.Notification;
import dev.gust.scheduler.notify.Notifier;
import dev.gust.scheduler.notify.NotifierException;
import dev.gust.scheduler.notify.Notifiers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Notifier callbacks reach the {@link Notifier} of their kind with every argument rendered with
 * the callback's context; {@code email} with Airflow's default e-mail on failure reaches the SMTP
 * one with Airflow's subject and body; a notifier's refusal fails the callback with its line; and
 * a DAG's callbacks carry Airflow's reason ({@code success}, {@code task_failure}, {@code timed_out}).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EngineCallbackNotifiersTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @RegisterExtension
    final EngineHarness harness = EngineHarness.create();

    /** A notifier that keeps what it was sent; it refuses a text that says "refuse". */
    record Recording(String kind, List<Notification> sent) implements Notifier {
        @Override
        public String send(Notification notification) throws NotifierException {
            if (String.valueOf(notification.arguments().get("text")).contains("refuse")) {
                throw new NotifierException("the webhook refused the message; check the connection's token");
            }
            sent.add(notification);
            return kind + " sent";
        }
    }

    @Test
    void notifierArgumentsAreRenderedAndEmailOnFailureIsAirflowsMail() throws Exception {
        harness.dag("notified.yaml", """
                notified:
                  schedule: null
                  default_args:
                    email: [oncall@example.com]
                    email_on_retry: false
                  tasks:
                    t:
                      operator: bash
                      bash_command: exit 1
                      on_failure_callback:
                        - callback: airflow.providers.slack.notifications.slack_webhook.send_slack_webhook_notification
                          slack_webhook_conn_id: hooks
                          text: "{{ ti.task_id }} of {{ dag.dag_id }} failed: {{ exception }}"
                          blocks: [{text: "run {{ run_id }}"}]
                        - callback: airflow.providers.slack.notifications.slack_webhook.SlackWebhookNotifier
                          text: please refuse this
                """);
        DagRun run = harness.run("notified");
        assertThat(run.state()).isEqualTo(DagRunState.FAILED);
        // gust dags test ran the callbacks itself, with the built-in notifiers and no connection
        // stored: each failed, naming the connection to create
        assertThat(harness.stores().callbackRequests().listForRun(run.dagId(), run.runId()))
                .extracting(CallbackRequest::error)
                .containsExactlyInAnyOrder(
                        "slack_webhook notifier: connection 'hooks' does not exist; create it with gust connections"
                                + " add hooks --conn-uri 'slackwebhook://:T000%2FB000%2FXXX@'",
                        "slack_webhook notifier: connection 'slack_default' does not exist; create it with gust"
                                + " connections add slack_default --conn-uri 'slackwebhook://:T000%2FB000%2FXXX@'",
                        "smtp notifier: connection 'smtp_default' does not exist; create it with gust connections"
                                + " add smtp_default --conn-uri"
                                + " 'smtp://USER:PASSWORD@smtp.example.com:587?disable_ssl=true'");
        // run them again with recording notifiers, to see exactly what a notifier is handed
        harness.db()
                .jdbc()
                .update(
                        "UPDATE callback_request SET state = 'pending', attempts = 0, error = NULL, claimed_by = NULL",
                        dev.gust.core.store.Params.none());
        List<Notification> slack = new CopyOnWriteArrayList<>();
        List<Notification> smtp = new CopyOnWriteArrayList<>();
        List<CallbackRequest> requests =
                runCallbacks(run, 3, List.of(new Recording("slack_webhook", slack), new Recording("smtp", smtp)));

        assertThat(slack).singleElement().satisfies(n -> {
            assertThat(n.arguments()).containsEntry("slack_webhook_conn_id", "hooks");
            assertThat((String) n.arguments().get("text")).startsWith("t of notified failed: Bash command failed");
            assertThat(n.arguments()).containsEntry("blocks", List.of(Map.of("text", "run " + run.runId())));
        });
        assertThat(smtp).singleElement().satisfies(n -> {
            assertThat(n.arguments()).containsEntry("to", List.of("oncall@example.com"));
            assertThat(n.arguments())
                    .containsEntry("subject", "Airflow alert: <TaskInstance: notified.t " + run.runId() + " [failed]>");
            assertThat((String) n.arguments().get("html_content"))
                    .startsWith("Try 1 out of 1<br>Exception:<br>Bash command failed");
        });
        assertThat(requests)
                .extracting(CallbackRequest::error)
                .containsExactly(null, "the webhook refused the message; check the connection's token", null);
        assertThat(harness.log(run, "t", 1))
                .contains("[on_failure_callback] Callback succeeded: slack_webhook sent")
                .contains("[on_failure_callback] Callback failed: the webhook refused the message");
    }

    @Test
    void dagCallbacksCarryAirflowsReason() throws Exception {
        harness.dag("reasons.yaml", """
                fine:
                  schedule: null
                  on_success_callback:
                    callback: airflow.providers.smtp.notifications.smtp.send_smtp_notification
                    to: team@example.com
                    subject: "{{ dag.dag_id }} {{ reason }}"
                  on_failure_callback:
                    callback: airflow.providers.smtp.notifications.smtp.SmtpNotifier
                    to: team@example.com
                    subject: never
                  tasks:
                    t: {operator: bash, bash_command: 'echo ok'}
                broken:
                  schedule: null
                  on_failure_callback:
                    callback: airflow.providers.amazon.aws.notifications.sns.SnsNotifier
                    target_arn: arn:aws:sns:eu-west-1:123456789012:alerts
                    message: "{{ dag.dag_id }} {{ reason }} {{ state }}"
                  tasks:
                    t: {operator: bash, bash_command: 'exit 2'}
                slow:
                  schedule: null
                  dagrun_timeout: 2s
                  on_failure_callback:
                    callback: airflow.providers.amazon.aws.notifications.sns.send_sns_notification
                    target_arn: arn:aws:sns:eu-west-1:123456789012:alerts
                    message: "{{ dag.dag_id }} {{ reason }}"
                  tasks:
                    t: {operator: bash, bash_command: 'sleep 6'}
                """);
        harness.startEngine();
        for (String dagId : List.of("fine", "broken", "slow")) {
            harness.awaitFinished(harness.trigger(dagId), DEADLINE);
        }
        for (DagRun run : List.of(
                harness.runs("fine").getFirst(),
                harness.runs("broken").getFirst(),
                harness.runs("slow").getFirst())) {
            // the engine's built-in notifiers find no connection (smtp_default, aws_default): each fails
            EngineHarness.await(
                    DEADLINE,
                    "the DAG callback of " + run.dagId() + " to end",
                    () -> harness.stores().callbackRequests().listForRun(run.dagId(), run.runId()),
                    list -> list.size() == 1 && list.getFirst().state().equals("failed"));
        }
        assertThat(harness.stores()
                        .callbackRequests()
                        .listForRun("fine", harness.runs("fine").getFirst().runId()))
                .singleElement()
                .satisfies(r -> {
                    assertThat(r.taskId()).isNull();
                    assertThat(r.event().key()).isEqualTo("on_success_callback");
                    assertThat(r.context()).containsEntry("reason", "success");
                });
        assertThat(harness.stores()
                        .callbackRequests()
                        .listForRun("broken", harness.runs("broken").getFirst().runId()))
                .singleElement()
                .satisfies(r -> assertThat(r.context()).containsEntry("reason", "task_failure"));
        assertThat(harness.stores()
                        .callbackRequests()
                        .listForRun("slow", harness.runs("slow").getFirst().runId()))
                .singleElement()
                .satisfies(r -> {
                    assertThat(r.context()).containsEntry("reason", "timed_out");
                    assertThat(r.error()).startsWith("sns notifier: ").contains("region_name");
                });
    }

    /** Runs the pending callback requests of {@code run} with {@code notifiers} until {@code count} ended. */
    private List<CallbackRequest> runCallbacks(DagRun run, int count, List<Notifier> notifiers)
            throws InterruptedException {
        try (CallbackRunner runner = harness.context().callbackRunner(0, Notifiers.of(notifiers))) {
            runner.runDue();
            return EngineHarness.await(
                    DEADLINE,
                    count + " callbacks to end",
                    () -> harness.stores().callbackRequests().listForRun(run.dagId(), run.runId()),
                    list -> list.size() == count
                            && list.stream()
                                    .allMatch(r -> r.state().equals("success")
                                            || r.state().equals("failed")));
        }
    }
}
