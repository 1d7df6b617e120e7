package dev.gust.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.ArrayList;
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
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * The DAG bundle's bucket against moto_server, asked through S3's own describe calls: {@code up}
 * makes it private, versioned, encrypted and tagged, gives the task role read access to it and the
 * scheduler its URI; {@code down} empties it of every object version and deletes it.
 */
class MotoDagBucketTest {

    private static final String IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/gust-b@sha256:" + "c".repeat(64);
    private static final String BUCKET = "gust-b-dags-123456789012-us-east-1";

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
    void upMakesAPrivateVersionedEncryptedTaggedBucketTheSchedulerReadsAndDownRemovesIt(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("deploy.yaml");
        Files.writeString(file, "scheduler:\n  desired_count: 1\nwebserver:\n  desired_count: 1\n");
        Deployment deployment = new Deployment(
                aws,
                "b",
                DeployConfig.load(file, true),
                new PrintStream(output, true, StandardCharsets.UTF_8),
                Duration.ofMillis(50),
                Duration.ofSeconds(30));
        assertThatThrownBy(deployment::dagBundleUri)
                .isInstanceOf(DeployException.class)
                .hasMessage("deployment b has no DAG bucket in us-east-1 (" + BUCKET + " does not exist): check"
                        + " --name and --region, or create it with gust deploy up --name b");

        deployment.up(Optional.of(IMAGE), (repository, tag, login, platform) -> {
            throw new AssertionError("--image was given");
        });

        var s3 = aws.s3();
        var block = s3.getPublicAccessBlock(b -> b.bucket(BUCKET)).publicAccessBlockConfiguration();
        assertThat(List.of(
                        block.blockPublicAcls(),
                        block.ignorePublicAcls(),
                        block.blockPublicPolicy(),
                        block.restrictPublicBuckets()))
                .containsOnly(true);
        assertThat(s3.getBucketVersioning(b -> b.bucket(BUCKET)).statusAsString())
                .isEqualTo("Enabled");
        assertThat(s3.getBucketEncryption(b -> b.bucket(BUCKET))
                        .serverSideEncryptionConfiguration()
                        .rules())
                .singleElement()
                .satisfies(rule -> assertThat(
                                rule.applyServerSideEncryptionByDefault().sseAlgorithmAsString())
                        .isEqualTo("AES256"));
        Map<String, String> tags = s3.getBucketTagging(b -> b.bucket(BUCKET)).tagSet().stream()
                .collect(Collectors.toMap(Tag::key, Tag::value));
        assertThat(tags)
                .containsEntry("gust:deployment", "b")
                .containsEntry("gust:resource", BUCKET)
                .containsKey("gust:fingerprint");

        // the scheduler is told where the bundle is, and its task role may read it (and nothing more of S3)
        var scheduler = aws.ecs()
                .describeTaskDefinition(r -> r.taskDefinition("gust-b-scheduler"))
                .taskDefinition()
                .containerDefinitions()
                .get(0);
        assertThat(scheduler.environment())
                .anyMatch(e ->
                        e.name().equals("GUST_DAG_BUNDLE__S3_URI") && e.value().equals("s3://" + BUCKET + "/dags"));
        JsonNode policy = new ObjectMapper()
                .readTree(URLDecoder.decode(
                        aws.iam()
                                .getRolePolicy(r -> r.roleName("gust-b-task").policyName("gust-task"))
                                .policyDocument(),
                        StandardCharsets.UTF_8));
        List<JsonNode> s3Statements = new ArrayList<>();
        policy.get("Statement").forEach(statement -> {
            if (statement.get("Action").toString().contains("s3:")) {
                s3Statements.add(statement);
            }
        });
        assertThat(s3Statements).singleElement().satisfies(statement -> {
            assertThat(statement.get("Action").toString())
                    .isEqualTo("[\"s3:GetObject\",\"s3:GetObjectVersion\",\"s3:ListBucket\"]");
            assertThat(statement.get("Resource").toString())
                    .isEqualTo("[\"arn:aws:s3:::" + BUCKET + "\",\"arn:aws:s3:::" + BUCKET + "/*\"]");
        });
        assertThat(deployment.dagBundleUri()).isEqualTo("s3://" + BUCKET + "/dags");
        // a second plan finds the bucket as it should be
        assertThat(deployment.plan(Optional.of(IMAGE)).actions())
                .filteredOn(a -> a.name().equals(BUCKET))
                .singleElement()
                .isInstanceOf(PlanAction.NoChange.class);

        // versions and delete markers do not stop down
        s3.putObject(b -> b.bucket(BUCKET).key("dags/a.yaml"), RequestBody.fromString("a: 1"));
        s3.putObject(b -> b.bucket(BUCKET).key("dags/a.yaml"), RequestBody.fromString("a: 2"));
        s3.putObject(b -> b.bucket(BUCKET).key("dags/b.yaml"), RequestBody.fromString("b: 1"));
        s3.deleteObject(b -> b.bucket(BUCKET).key("dags/b.yaml"));
        assertThat(s3.listObjectVersions(b -> b.bucket(BUCKET)).versions()).hasSize(3);

        deployment.down();
        assertThat(output.toString(StandardCharsets.UTF_8)).contains("emptied " + BUCKET + ": 4 object versions");
        assertThatThrownBy(() -> s3.headBucket(b -> b.bucket(BUCKET))).isInstanceOf(NoSuchBucketException.class);
        assertThat(s3.listBuckets().buckets()).noneMatch(b -> b.name().equals(BUCKET));
    }
}
