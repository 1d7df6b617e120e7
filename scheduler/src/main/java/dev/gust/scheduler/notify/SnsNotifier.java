package dev.gust.scheduler.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gust.core.external.aws.AwsConnection;
import dev.gust.core.store.connections.Connection;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishResponse;

/**
 * {@code sns}: Airflow's SnsNotifier ({@code send_sns_notification}). Publishes {@code message}
 * (and {@code subject}) to {@code target_arn} (a topic, or an endpoint) with
 * {@code message_attributes} typed as Airflow's SnsHook types them (text is String, a number
 * Number, a list String.Array), through the {@code aws_conn_id} connection ({@code aws_default};
 * when it does not exist the SDK's default credentials, as Airflow falls back to boto3's) in
 * {@code region_name} when given.
 */
public final class SnsNotifier implements Notifier {

    public static final String KIND = "sns";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Function<String, Optional<Connection>> connections;
    private final String defaultTopicArn;

    public SnsNotifier(Function<String, Optional<Connection>> connections) {
        this(connections, null);
    }

    /** {@code defaultTopicArn}: where to publish when a callback names no target_arn (the deployment's topic), or null. */
    public SnsNotifier(Function<String, Optional<Connection>> connections, String defaultTopicArn) {
        this.connections = connections;
        this.defaultTopicArn = defaultTopicArn;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String send(Notification notification) throws NotifierException {
        NotificationArgs args = new NotificationArgs(KIND, notification);
        String targetArn = defaultTopicArn == null
                ? args.required("target_arn", "the ARN of the SNS topic or endpoint")
                : args.string("target_arn", defaultTopicArn);
        String message = args.required("message", "the text to publish");
        String connId = args.string("aws_conn_id", AwsConnection.DEFAULT_CONN_ID);
        AwsConnection aws;
        try {
            aws = connections.apply(connId).map(AwsConnection::of).orElseGet(() -> AwsConnection.none(connId));
        } catch (IllegalArgumentException e) {
            throw args.fail(e.getMessage());
        }
        Map<String, MessageAttributeValue> attributes = attributes(args);
        try (SnsClient sns = aws.configure(SnsClient.builder(), "sns", args.string("region_name", null))
                .build()) {
            PublishResponse published = sns.publish(b -> b.targetArn(targetArn)
                    .message(message)
                    .subject(args.string("subject", null))
                    .messageAttributes(attributes));
            return "published to " + targetArn + " (MessageId " + published.messageId() + ")";
        } catch (IllegalArgumentException e) {
            throw args.fail(e.getMessage());
        } catch (SdkException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (why.startsWith("Unable to load region")) {
                // the SDK lists every provider it asked, several lines' worth: the gist is enough
                why = "no AWS region is configured";
            }
            String hint = why.contains("region")
                    ? "set region_name in the extra of connection '" + connId + "' or give region_name"
                    : "check the keys, region_name and endpoint_url of connection '" + connId
                            + "' and that the topic exists";
            throw args.fail("publishing to " + targetArn + " failed: "
                    + why.replaceAll("\\s+", " ").strip() + "; " + hint);
        }
    }

    private static Map<String, MessageAttributeValue> attributes(NotificationArgs args) throws NotifierException {
        Object raw = args.json("message_attributes").orElse(Map.of());
        if (!(raw instanceof Map<?, ?> given)) {
            throw args.fail("message_attributes must be a mapping of names to values");
        }
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : given.entrySet()) {
            Object value = entry.getValue();
            MessageAttributeValue attribute;
            if (value instanceof Number number) {
                attribute = MessageAttributeValue.builder()
                        .dataType("Number")
                        .stringValue(number.toString())
                        .build();
            } else if (value instanceof Collection<?> list) {
                try {
                    attribute = MessageAttributeValue.builder()
                            .dataType("String.Array")
                            .stringValue(JSON.writeValueAsString(list))
                            .build();
                } catch (JsonProcessingException e) {
                    throw args.fail("message attribute '" + entry.getKey() + "' cannot be written as JSON");
                }
            } else if (value instanceof CharSequence || value instanceof Boolean) {
                attribute = MessageAttributeValue.builder()
                        .dataType("String")
                        .stringValue(String.valueOf(value))
                        .build();
            } else {
                throw args.fail("message attribute '" + entry.getKey()
                        + "' must be text, a number or a list (Airflow's SnsHook types)");
            }
            attributes.put(String.valueOf(entry.getKey()), attribute);
        }
        return attributes;
    }
}
