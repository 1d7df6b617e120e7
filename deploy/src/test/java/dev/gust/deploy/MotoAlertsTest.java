package dev.gust.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gust.deploy.aws.AwsClients;
import dev.gust.deploy.image.ImagePublisher;
import dev.gust.deploy.model.DeployConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;

/**
 * The alarms, the SNS topic with its e-mail subscriptions and the dashboard that {@code gust
 * deploy up} makes, described with the SDK directly against moto_server; an alarm set to ALARM
 * shows in {@code status}; a second up changes nothing, a changed address list resubscribes, and
 * {@code down} removes them all.
 */
class MotoAlertsTest {

    private static final String IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/gust-a@sha256:" + "a".repeat(64);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ImagePublisher NO_BUILD = (repository, tag, login, platform) -> {
        throw new AssertionError("--image was given: nothing may be built");
    };

    private static MotoServer moto;
    private static AwsClients aws;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    @BeforeAll
    static void startMoto() throws Exception {
        moto = MotoServer.start(Map.of("MOTO_ECS_SERVICE_RUNNING", "2"));
        aws = AwsClients.create(
                Optional.of("us-east-1"),
                Optional.empty(),
                Optional.of(moto.endpoint()),
                Optional.of(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"))));
    }

    @AfterAll
    static void stopMoto() throws Exception {
        if (aws != null) {
            aws.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    private Deployment deployment(DeployConfig config) {
        return new Deployment(
                aws,
                "a",
                config,
                new PrintStream(output, true, StandardCharsets.UTF_8),
                Duration.ofMillis(50),
                Duration.ofSeconds(30));
    }

    private static DeployConfig config(Path dir, String yaml) throws Exception {
        Path file = dir.resolve("deploy.yaml");
        Files.writeString(file, yaml);
        return DeployConfig.load(file, true);
    }

    @Test
    void upMakesAlarmsTopicAndDashboardStatusShowsAlarmsDownRemovesThem(@TempDir Path dir) throws Exception {
        DeployConfig config = config(dir, """
                scheduler: {desired_count: 2}
                webserver: {desired_count: 2}
                environment: {GUST_SCHEDULER__TASK_QUEUED_TIMEOUT: 15m}
                alerts:
                  email: [ops@example.com, oncall@example.com]
                """);
        Deployment deployment = deployment(config);
        deployment.up(Optional.of(IMAGE), NO_BUILD);

        // --- the topic and its subscriptions
        String topicArn = aws.sns().listTopics().topics().stream()
                .map(t -> t.topicArn())
                .filter(arn -> arn.endsWith(":gust-a-alerts"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no topic gust-a-alerts"));
        assertThat(aws.sns().listTagsForResource(r -> r.resourceArn(topicArn)).tags())
                .anyMatch(t -> t.key().equals("gust:deployment") && t.value().equals("a"));
        assertThat(subscribers(topicArn)).containsExactlyInAnyOrder("ops@example.com", "oncall@example.com");

        // --- the alarms
        Map<String, MetricAlarm> alarms =
                aws.cloudwatch().describeAlarms(r -> r.alarmNamePrefix("gust-a-")).metricAlarms().stream()
                        .collect(Collectors.toMap(MetricAlarm::alarmName, a -> a));
        assertThat(alarms.keySet())
                .containsExactlyInAnyOrder(
                        "gust-a-webserver-unhealthy",
                        "gust-a-target-5xx",
                        "gust-a-webserver-below-desired",
                        "gust-a-scheduler-below-desired",
                        "gust-a-no-scheduler-heartbeat",
                        "gust-a-queued-too-long",
                        "gust-a-database-cpu",
                        "gust-a-database-storage",
                        "gust-a-database-connections");
        for (MetricAlarm alarm : alarms.values()) {
            assertThat(alarm.alarmActions()).as(alarm.alarmName()).containsExactly(topicArn);
            assertThat(alarm.okActions()).as(alarm.alarmName()).containsExactly(topicArn);
        }
        var lb = aws.elb()
                .describeLoadBalancers(r -> r.names("gust-a"))
                .loadBalancers()
                .getFirst();
        var tg = aws.elb()
                .describeTargetGroups(r -> r.names("gust-a-web"))
                .targetGroups()
                .getFirst();
        MetricAlarm unhealthy = alarms.get("gust-a-webserver-unhealthy");
        assertThat(unhealthy.namespace()).isEqualTo("AWS/ApplicationELB");
        assertThat(unhealthy.metricName()).isEqualTo("UnHealthyHostCount");
        assertThat(unhealthy.threshold()).isEqualTo(0.0);
        assertThat(unhealthy.evaluationPeriods() * unhealthy.period()).isEqualTo(300);
        assertThat(dimensions(unhealthy))
                .containsEntry(
                        "LoadBalancer",
                        lb.loadBalancerArn().substring(lb.loadBalancerArn().indexOf("loadbalancer/") + 13))
                .containsEntry(
                        "TargetGroup",
                        tg.targetGroupArn().substring(tg.targetGroupArn().lastIndexOf(':') + 1));
        assertThat(dimensions(unhealthy).get("LoadBalancer")).startsWith("app/gust-a/");
        assertThat(dimensions(unhealthy).get("TargetGroup")).startsWith("targetgroup/gust-a-web/");
        MetricAlarm crashLoop = alarms.get("gust-a-scheduler-below-desired");
        assertThat(crashLoop.namespace()).isEqualTo("ECS/ContainerInsights");
        assertThat(crashLoop.threshold()).isEqualTo(2.0);
        assertThat(crashLoop.evaluationPeriods() * crashLoop.period()).isEqualTo(600);
        assertThat(dimensions(crashLoop))
                .containsEntry("ClusterName", "gust-a")
                .containsEntry("ServiceName", "scheduler");
        MetricAlarm heartbeat = alarms.get("gust-a-no-scheduler-heartbeat");
        assertThat(heartbeat.namespace()).isEqualTo("Gust/a");
        assertThat(heartbeat.metricName()).isEqualTo("scheduler_heartbeat");
        assertThat(heartbeat.treatMissingData()).isEqualTo("breaching");
        assertThat(heartbeat.evaluationPeriods() * heartbeat.period()).isEqualTo(120);
        assertThat(alarms.get("gust-a-queued-too-long").threshold()).isEqualTo(900.0);
        assertThat(alarms.get("gust-a-database-storage").threshold()).isEqualTo(20 * 1024.0 * 1024 * 1024 / 10);
        assertThat(dimensions(alarms.get("gust-a-database-cpu"))).containsEntry("DBInstanceIdentifier", "gust-a");

        // --- the containers write EMF under the namespace the heartbeat alarm watches
        var scheduler = aws.ecs()
                .describeTaskDefinition(r -> r.taskDefinition("gust-a-scheduler"))
                .taskDefinition()
                .containerDefinitions()
                .getFirst();
        assertThat(scheduler.environment())
                .anyMatch(e -> e.name().equals("GUST_METRICS__EMF_NAMESPACE")
                        && e.value().equals("Gust/a"));

        // --- the dashboard
        String body =
                aws.cloudwatch().getDashboard(r -> r.dashboardName("gust-a")).dashboardBody();
        JsonNode widgets = JSON.readTree(body).path("widgets");
        assertThat(widgets.get(1).path("properties").path("alarms")).hasSize(9);
        assertThat(body).contains(unhealthy.alarmArn()).contains("gust:deployment=a");

        // --- status shows what is in ALARM
        aws.cloudwatch()
                .setAlarmState(r -> r.alarmName("gust-a-no-scheduler-heartbeat")
                        .stateValue(StateValue.ALARM)
                        .stateReason("Threshold Crossed: no datapoints"));
        String status = deployment.status();
        assertThat(status).contains("alarms: 1 of 9 in ALARM").contains("ALARM gust-a-no-scheduler-heartbeat");

        // --- a second run changes nothing; another address list resubscribes
        assertThat(deployment.plan(Optional.of(IMAGE)).hasChanges()).isFalse();
        DeployConfig fewer = config(dir, """
                scheduler: {desired_count: 2}
                webserver: {desired_count: 2}
                environment: {GUST_SCHEDULER__TASK_QUEUED_TIMEOUT: 15m}
                alerts:
                  email: [ops@example.com, pager@example.com]
                """);
        deployment(fewer).up(Optional.of(IMAGE), NO_BUILD);
        assertThat(subscribers(topicArn)).contains("pager@example.com", "ops@example.com");

        // --- down removes them all
        deployment.down();
        assertThat(aws.cloudwatch()
                        .describeAlarms(r -> r.alarmNamePrefix("gust-a-"))
                        .metricAlarms())
                .isEmpty();
        assertThat(aws.cloudwatch()
                        .listDashboards(r -> r.dashboardNamePrefix("gust-a"))
                        .dashboardEntries())
                .isEmpty();
        assertThat(aws.sns().listTopics().topics()).noneMatch(t -> t.topicArn().endsWith(":gust-a-alerts"));
    }

    private static List<String> subscribers(String topicArn) {
        return aws.sns().listSubscriptionsByTopic(r -> r.topicArn(topicArn)).subscriptions().stream()
                .filter(s -> s.protocol().equals("email"))
                .map(s -> s.endpoint())
                .toList();
    }

    private static Map<String, String> dimensions(MetricAlarm alarm) {
        return alarm.dimensions().stream().collect(Collectors.toMap(d -> d.name(), d -> d.value()));
    }
}
