package dev.gust.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gust.deploy.aws.AwsClients;
import dev.gust.deploy.model.DeployConfig;
import dev.gust.deploy.plan.PlanAction;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.sns.model.Tag;

/**
 * {@code notifications.sns_topic: true} against moto_server, asked through SNS's own calls:
 * {@code up} creates the deployment's tagged topic, lets the task role publish to it and gives the
 * scheduler its ARN; {@code status} prints the ARN; {@code down} deletes the topic.
 */
class MotoNotificationTopicTest {

    private static final String IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/gust-n@sha256:" + "d".repeat(64);
    private static final String TOPIC = "gust-n-notifications";
    private static final String ARN = "arn:aws:sns:us-east-1:123456789012:" + TOPIC;

    private static MotoServer moto;
    private static AwsClients aws;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    @BeforeAll
    static void startMoto() throws Exception {
        moto = MotoServer.start(Map.of("MOTO_ECS_SERVICE_RUNNING", "1"));
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

    @Test
    void upCreatesTheTopicTheSchedulerPublishesToStatusShowsItAndDownDeletesIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("deploy.yaml");
        Files.writeString(file, """
                scheduler: {desired_count: 1}
                webserver: {desired_count: 1}
                notifications: {sns_topic: true}
                """);
        Deployment deployment = new Deployment(
                aws,
                "n",
                DeployConfig.load(file, true),
                new PrintStream(output, true, StandardCharsets.UTF_8),
                Duration.ofMillis(50),
                Duration.ofSeconds(30));
        deployment.up(Optional.of(IMAGE), (repository, tag, login, platform) -> {
            throw new AssertionError("--image was given");
        });

        var sns = aws.sns();
        assertThat(sns.listTopics().topics()).anyMatch(t -> t.topicArn().equals(ARN));
        Map<String, String> tags = sns.listTagsForResource(r -> r.resourceArn(ARN)).tags().stream()
                .collect(Collectors.toMap(Tag::key, Tag::value));
        assertThat(tags)
                .containsEntry("gust:deployment", "n")
                .containsEntry("gust:resource", TOPIC)
                .containsKey("gust:fingerprint");

        var scheduler = aws.ecs()
                .describeTaskDefinition(r -> r.taskDefinition("gust-n-scheduler"))
                .taskDefinition()
                .containerDefinitions()
                .get(0);
        assertThat(scheduler.environment())
                .anyMatch(e -> e.name().equals("GUST_NOTIFICATIONS__SNS_TOPIC_ARN")
                        && e.value().equals(ARN));
        JsonNode policy = new ObjectMapper()
                .readTree(URLDecoder.decode(
                        aws.iam()
                                .getRolePolicy(r -> r.roleName("gust-n-task").policyName("gust-task"))
                                .policyDocument(),
                        StandardCharsets.UTF_8));
        assertThat(policy.get("Statement").toString())
                .contains("\"Sid\":\"PublishNotifications\",\"Effect\":\"Allow\",\"Action\":[\"sns:Publish\"],"
                        + "\"Resource\":[\"" + ARN + "\"]");
        assertThat(deployment.status()).contains("notifications: SNS topic " + ARN);
        assertThat(deployment.plan(Optional.of(IMAGE)).actions())
                .filteredOn(a -> a.name().equals(TOPIC))
                .singleElement()
                .isInstanceOf(PlanAction.NoChange.class);

        deployment.down();
        assertThat(sns.listTopics().topics()).noneMatch(t -> t.topicArn().equals(ARN));
    }
}
