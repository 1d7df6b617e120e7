package dev.gust.core.external.aws;

import dev.gust.core.external.ConnectionExtra;
import dev.gust.core.store.connections.Connection;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * An Amazon Web Services connection as Airflow's AWS hooks read it: login and password are the
 * access key id and secret (or {@code aws_access_key_id} / {@code aws_secret_access_key} in
 * extra), extra {@code aws_session_token}, {@code region_name} and {@code endpoint_url} (or
 * {@code service_config.SERVICE.endpoint_url} for one service). What it leaves out comes from the
 * SDK's default chain (environment, profile, the ECS task role), as Airflow falls back to boto3's.
 * No connection at all ({@link #none}) means the default chain for everything.
 */
public record AwsConnection(
        String connId,
        String accessKeyId,
        String secretAccessKey,
        String sessionToken,
        String region,
        String endpointUrl,
        Map<String, Object> serviceConfig) {

    public static final String DEFAULT_CONN_ID = "aws_default";

    @Override
    public String toString() {
        return "AwsConnection[" + connId + ", key=" + (accessKeyId == null ? "default chain" : "***") + ", region="
                + region + ", endpoint=" + endpointUrl + "]";
    }

    /** The SDK's defaults, for a connection id that names no connection (Airflow's fallback too). */
    public static AwsConnection none(String connId) {
        return new AwsConnection(connId, null, null, null, null, null, Map.of());
    }

    /**
     * @throws IllegalArgumentException naming the connection when its extra is not a JSON object or
     *         it has a key id without a secret
     */
    public static AwsConnection of(Connection connection) {
        ConnectionExtra extra = ConnectionExtra.of(connection);
        String key = blankToNull(connection.login());
        String secret = connection.password();
        if (key == null) {
            key = extra.string("aws_access_key_id").orElse(null);
            secret = extra.string("aws_secret_access_key").orElse(null);
        }
        if (key != null && (secret == null || secret.isBlank())) {
            throw new IllegalArgumentException("connection '" + connection.connId()
                    + "' has an access key id but no secret; set its password to the secret access key");
        }
        return new AwsConnection(
                connection.connId(),
                key,
                secret,
                extra.string("aws_session_token").orElse(null),
                extra.string("region_name").orElse(null),
                extra.string("endpoint_url").orElse(null),
                extra.map("service_config"));
    }

    /**
     * Points {@code builder} (of the SDK client for {@code service}, such as {@code sns}) at what
     * this connection says: credentials, region ({@code regionOverride} first, as a hook's
     * {@code region_name} argument wins), endpoint, and the Apache HTTP client.
     */
    public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B configure(
            B builder, String service, String regionOverride) {
        builder.credentialsProvider(credentials());
        Optional.ofNullable(blankToNull(regionOverride))
                .or(() -> Optional.ofNullable(region))
                .map(Region::of)
                .ifPresent(builder::region);
        endpoint(service).ifPresent(builder::endpointOverride);
        builder.httpClientBuilder(ApacheHttpClient.builder());
        return builder;
    }

    private AwsCredentialsProvider credentials() {
        if (accessKeyId == null) {
            return DefaultCredentialsProvider.builder().build();
        }
        return StaticCredentialsProvider.create(
                sessionToken == null
                        ? AwsBasicCredentials.create(accessKeyId, secretAccessKey)
                        : AwsSessionCredentials.create(accessKeyId, secretAccessKey, sessionToken));
    }

    private Optional<URI> endpoint(String service) {
        Object perService = serviceConfig.get(service);
        String url = perService instanceof Map<?, ?> config && config.get("endpoint_url") != null
                ? String.valueOf(config.get("endpoint_url"))
                : endpointUrl;
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        URI uri = URI.create(url.strip());
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new IllegalArgumentException("endpoint_url in the extra of connection '" + connId
                    + "' must be a URL such as http://localhost:5000");
        }
        return Optional.of(uri);
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
