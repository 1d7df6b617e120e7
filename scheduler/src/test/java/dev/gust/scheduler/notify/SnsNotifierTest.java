package dev.gust.scheduler.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gust.core.external.ConnectionTester;
import dev.gust.core.store.connections.Connection;
import dev.gust.core.store.connections.ConnectionUri;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The SNS notifier on moto: a topic with an SQS queue subscribed, and the message read back from
 * the queue; and the aws connection's test (STS GetCallerIdentity) on the same server.
 */
class SnsNotifierTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static MotoServer moto;
    static SqsClient sqs;
    static String topicArn;
    static String queueUrl;

    final Map<String, Connection> connections = new HashMap<>();
    final Notifier notifier = Notifiers.builtIn(id -> Optional.ofNullable(connections.get(id)))
            .find("sns")
            .orElseThrow();

    @BeforeAll
    static void startMoto() throws Exception {
        moto = MotoServer.start();
        StaticCredentialsProvider credentials =
                StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
        try (SnsClient sns = SnsClient.builder()
                .endpointOverride(moto.endpoint())
                .region(Region.EU_WEST_1)
                .credentialsProvider(credentials)
                .httpClientBuilder(ApacheHttpClient.builder())
                .build()) {
            topicArn = sns.createTopic(b -> b.name("gust-alerts")).topicArn();
            sqs = SqsClient.builder()
                    .endpointOverride(moto.endpoint())
                    .region(Region.EU_WEST_1)
                    .credentialsProvider(credentials)
                    .httpClientBuilder(ApacheHttpClient.builder())
                    .build();
            queueUrl = sqs.createQueue(b -> b.queueName("gust-alerts-inbox")).queueUrl();
            String queueArn = sqs.getQueueAttributes(
                            b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes()
                    .get(QueueAttributeName.QUEUE_ARN);
            sns.subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(queueArn));
        }
    }

    @AfterAll
    static void stopMoto() {
        if (sqs != null) {
            sqs.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    /** An aws connection as a user writes it: keys, region and endpoint in a URI. */
    static Connection awsConnection(String connId) {
        return ConnectionUri.parse("aws://testing:testing@/?region_name=eu-west-1&endpoint_url="
                        + URLEncoder.encode(moto.endpoint().toString(), StandardCharsets.UTF_8))
                .toConnection(connId, null);
    }

    @Test
    void publishesToTheTopicAndTheSubscribedQueueReceivesIt() throws Exception {
        connections.put("aws_default", awsConnection("aws_default"));

        String summary = notifier.send(new Notification(Map.of(
                "target_arn",
                topicArn,
                "message",
                "etl.load failed on try 2",
                "subject",
                "Gust: etl failed",
                "message_attributes",
                Map.of("dag_id", "etl", "try_number", 2, "tasks", List.of("load", "report")))));

        assertThat(summary).startsWith("published to " + topicArn + " (MessageId ");
        List<Message> received = sqs.receiveMessage(
                        b -> b.queueUrl(queueUrl).waitTimeSeconds(5).maxNumberOfMessages(10))
                .messages();
        assertThat(received).hasSize(1);
        JsonNode envelope = JSON.readTree(received.get(0).body());
        assertThat(envelope.get("Message").asText()).isEqualTo("etl.load failed on try 2");
        assertThat(envelope.get("Subject").asText()).isEqualTo("Gust: etl failed");
        assertThat(envelope.get("TopicArn").asText()).isEqualTo(topicArn);
        assertThat(envelope.at("/MessageAttributes/dag_id/Value").asText()).isEqualTo("etl");
        assertThat(envelope.at("/MessageAttributes/try_number/Type").asText()).isEqualTo("Number");
        assertThat(envelope.at("/MessageAttributes/tasks/Type").asText()).isEqualTo("String.Array");
        sqs.deleteMessage(
                b -> b.queueUrl(queueUrl).receiptHandle(received.get(0).receiptHandle()));
    }

    /** gust deploy's notifications.sns_topic: a callback that names no target_arn publishes to the deployment's topic. */
    @Test
    void withoutTargetArnItPublishesToTheConfiguredTopic() throws Exception {
        connections.put("aws_default", awsConnection("aws_default"));
        Notifier withDefault = Notifiers.builtIn(id -> Optional.ofNullable(connections.get(id)), topicArn)
                .find("sns")
                .orElseThrow();
        assertThat(withDefault.send(new Notification(Map.of("message", "late: etl"))))
                .startsWith("published to " + topicArn);
        List<Message> received = sqs.receiveMessage(
                        b -> b.queueUrl(queueUrl).waitTimeSeconds(5).maxNumberOfMessages(10))
                .messages();
        assertThat(received)
                .singleElement()
                .satisfies(
                        m -> assertThat(JSON.readTree(m.body()).get("Message").asText())
                                .isEqualTo("late: etl"));
        sqs.deleteMessage(
                b -> b.queueUrl(queueUrl).receiptHandle(received.get(0).receiptHandle()));
    }

    @Test
    void aTopicThatDoesNotExistIsAOneLineErrorNamingTheConnection() {
        connections.put("ops_aws", awsConnection("ops_aws"));
        String missing = topicArn.replace("gust-alerts", "no-such-topic");
        assertThatThrownBy(() -> notifier.send(
                        new Notification(Map.of("aws_conn_id", "ops_aws", "target_arn", missing, "message", "m"))))
                .isInstanceOf(NotifierException.class)
                .hasMessageStartingWith("sns notifier: publishing to " + missing + " failed: ")
                .hasMessageEndingWith("; check the keys, region_name and endpoint_url of connection 'ops_aws' and that"
                        + " the topic exists")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> notifier.send(new Notification(Map.of("message", "m"))))
                .hasMessage("sns notifier: give target_arn (the ARN of the SNS topic or endpoint)");
    }

    @Test
    void theAwsConnectionTestAsksStsWhoTheCredentialsAre() {
        ConnectionTester.Result result = new ConnectionTester().test(awsConnection("aws_default"));
        assertThat(result.status()).as(result.message()).isTrue();
        assertThat(result.message())
                .startsWith("Connection successfully tested: UserId=")
                .contains("Arn='arn:aws:");

        Connection badEndpoint = new Connection(
                "aws_default",
                "aws",
                null,
                null,
                null,
                "testing",
                "testing",
                null,
                "{\"region_name\": \"eu-west-1\", \"endpoint_url\": \"http://127.0.0.1:1\"}");
        ConnectionTester.Result unreachable = new ConnectionTester().test(badEndpoint);
        assertThat(unreachable.status()).isFalse();
        assertThat(unreachable.message())
                .startsWith("STS GetCallerIdentity with connection 'aws_default' failed: ")
                .endsWith("; check its keys, region_name and endpoint_url");
    }
}
