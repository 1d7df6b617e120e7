package dev.gust.cli;

import static dev.gust.cli.IsolatedGustIT.assertOneLineError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.store.Params;
import dev.gust.core.testing.TestDatabase;
import dev.gust.deploy.MotoServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * "Updating DAGs on ECS" as ops do it, with real processes against moto_server and a real
 * PostgreSQL: {@code gust deploy dags} uploads a folder to the deployment's bucket with a line per
 * change, and a running {@code gust scheduler} configured with {@code GUST_DAG_BUNDLE__S3_URI}
 * picks up an added, a changed and a deleted DAG without a restart; the one-line errors for a
 * deployment without a bucket, a folder that does not exist and a missing S3 permission.
 */
class DagBundleIT {

    /** The bucket {@code gust deploy up --name dd} makes in moto's account (made here directly; MotoDagBucketTest covers up). */
    private static final String BUCKET = "gust-dd-dags-123456789012-us-east-1";

    private static MotoServer moto;

    @TempDir
    Path home;

    @BeforeAll
    static void startMoto() throws Exception {
        moto = MotoServer.start(Map.of());
        try (S3Client s3 = S3Client.builder()
                .endpointOverride(moto.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .build()) {
            s3.createBucket(b -> b.bucket(BUCKET));
            s3.putBucketVersioning(b -> b.bucket(BUCKET).versioningConfiguration(v -> v.status("Enabled")));
            s3.putBucketTagging(b -> b.bucket(BUCKET)
                    .tagging(t -> t.tagSet(tag -> tag.key("gust:deployment").value("dd"))));
        }
    }

    @AfterAll
    static void stopMoto() throws Exception {
        if (moto != null) {
            moto.close();
        }
    }

    private Map<String, String> aws() {
        Map<String, String> env = new HashMap<>(GustProcess.isolatedEnvironment(home));
        env.put("AWS_ENDPOINT_URL", moto.endpoint().toString());
        env.put("AWS_ACCESS_KEY_ID", "testing");
        env.put("AWS_SECRET_ACCESS_KEY", "testing");
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_CONFIG_FILE", home.resolve("no-aws-config").toString());
        env.put(
                "AWS_SHARED_CREDENTIALS_FILE",
                home.resolve("no-aws-credentials").toString());
        return env;
    }

    @Test
    void deployDagsUploadsAndARunningSchedulerPicksUpEveryChangeWithoutARestart() throws Exception {
        Path local = home.resolve("my-dags");
        Files.createDirectories(local);
        Files.writeString(local.resolve("etl.yaml"), dag("etl", "extract"));
        Files.writeString(local.resolve("report.yaml"), dag("report", "render"));

        assertOneLineError(
                GustProcess.run(aws(), "deploy", "dags", "--name", "nope", local.toString()),
                "deployment nope has no DAG bucket in us-east-1 (gust-nope-dags-123456789012-us-east-1 does not"
                        + " exist): check --name and --region, or create it with gust deploy up --name nope");
        assertOneLineError(
                GustProcess.run(
                        aws(),
                        "deploy",
                        "dags",
                        "--name",
                        "dd",
                        home.resolve("nowhere").toString()),
                "does not exist or is not a folder");

        GustProcess.Result first = GustProcess.run(aws(), "deploy", "dags", "--name", "dd", local.toString());
        assertThat(first.exitCode()).as(first.all()).isZero();
        String v1 = version(first.stdout());
        assertThat(first.stdout().lines().toList())
                .as(first.all())
                .containsExactly(
                        "+ etl.yaml",
                        "+ report.yaml",
                        "bundle version " + v1 + ": 2 files at s3://" + BUCKET
                                + "/dags (2 added, 0 changed, 0 deleted)");

        try (TestDatabase db = TestDatabase.create()) {
            Map<String, String> env = aws();
            env.put("GUST_DATABASE__URL", db.url());
            env.put("GUST_SECURITY__ENCRYPTION_KEY", Base64.getEncoder().encodeToString(new byte[32]));
            // the folder the image would carry; the bundle replaces it
            env.put("GUST_CORE__DAGS_FOLDER", home.resolve("dags").toString());
            env.put("GUST_CORE__DAG_DIR_LIST_INTERVAL", "1s");
            env.put("GUST_DAG_BUNDLE__S3_URI", "s3://" + BUCKET + "/dags");
            GustProcess.Result migrated = GustProcess.run(env, "db", "migrate");
            assertThat(migrated.exitCode()).as(migrated.all()).isZero();
            try (GustProcess scheduler = GustProcess.start(env, "scheduler")) {
                await(scheduler, () -> activeDags(db).equals(Map.of("etl", v1, "report", v1)));
                assertThat(scheduler.stdout()).contains("(DAG bundle s3://" + BUCKET + "/dags)");

                Files.writeString(local.resolve("more.yaml"), dag("more", "t"));
                Files.writeString(local.resolve("report.yaml"), dag("report", "render_pdf"));
                Files.delete(local.resolve("etl.yaml"));
                GustProcess.Result second = GustProcess.run(aws(), "deploy", "dags", "--name", "dd", local.toString());
                assertThat(second.exitCode()).as(second.all()).isZero();
                String v2 = version(second.stdout());
                assertThat(second.stdout().lines().toList())
                        .as(second.all())
                        .containsExactly(
                                "+ more.yaml",
                                "~ report.yaml",
                                "- etl.yaml",
                                "bundle version " + v2 + ": 2 files at s3://" + BUCKET
                                        + "/dags (1 added, 1 changed, 1 deleted)");
                await(scheduler, () -> activeDags(db).equals(Map.of("more", v2, "report", v2)));
                assertThat(db.jdbc()
                                .queryOne(
                                        "SELECT serialized_dag::text FROM dag WHERE dag_id = 'report'",
                                        Params.none(),
                                        row -> row.getString(1))
                                .orElseThrow())
                        .contains("render_pdf");
                assertThat(scheduler.process().isAlive()).isTrue();
                assertThat(scheduler.terminate(Duration.ofSeconds(30))).isZero();
            }
        }
    }

    @Test
    void anUploaderWithoutPutObjectGetsOneLineNamingThePermission() throws Exception {
        // IAM enforcement starts after the first five requests: the user, its key, its policy, the bucket, its tags
        try (MotoServer strict = MotoServer.start(Map.of("INITIAL_NO_AUTH_ACTION_COUNT", "5"))) {
            var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
            String keyId;
            String secret;
            try (IamClient iam = IamClient.builder()
                            .region(Region.US_EAST_1)
                            .endpointOverride(strict.endpoint())
                            .credentialsProvider(credentials)
                            .build();
                    S3Client s3 = S3Client.builder()
                            .region(Region.US_EAST_1)
                            .endpointOverride(strict.endpoint())
                            .credentialsProvider(credentials)
                            .build()) {
                iam.createUser(r -> r.userName("reader"));
                var key = iam.createAccessKey(r -> r.userName("reader")).accessKey();
                keyId = key.accessKeyId();
                secret = key.secretAccessKey();
                iam.putUserPolicy(
                        r -> r.userName("reader").policyName("read-only").policyDocument("""
                        {"Version": "2012-10-17", "Statement": [
                         {"Effect": "Allow", "Action": ["sts:GetCallerIdentity", "s3:*"], "Resource": "*"},
                         {"Effect": "Deny", "Action": "s3:PutObject", "Resource": "*"}]}"""));
                s3.createBucket(b -> b.bucket(BUCKET));
                s3.putBucketTagging(b -> b.bucket(BUCKET)
                        .tagging(t -> t.tagSet(tag -> tag.key("gust:deployment").value("dd"))));
            }
            Path local = home.resolve("few-dags");
            Files.createDirectories(local);
            Files.writeString(local.resolve("etl.yaml"), dag("etl", "extract"));
            Map<String, String> env = aws();
            env.put("AWS_ENDPOINT_URL", strict.endpoint().toString());
            env.put("AWS_ACCESS_KEY_ID", keyId);
            env.put("AWS_SECRET_ACCESS_KEY", secret);
            assertOneLineError(
                    GustProcess.run(env, "deploy", "dags", "--name", "dd", local.toString()),
                    "AccessDenied: not allowed to call s3:PutObject on s3://" + BUCKET + "/dags/etl.yaml");
        }
    }

    private static String dag(String id, String task) {
        return id + ":\n  schedule: '@daily'\n  default_args:\n    start_date: 2024-01-01\n  tasks:\n    " + task
                + ":\n      operator: bash\n      bash_command: echo hi\n";
    }

    private static String version(String stdout) {
        Matcher matcher = Pattern.compile("bundle version (\\S+):").matcher(stdout);
        assertThat(matcher.find()).as(stdout).isTrue();
        return matcher.group(1);
    }

    private static Map<String, String> activeDags(TestDatabase db) {
        Map<String, String> dags = new TreeMap<>();
        db.jdbc()
                .query(
                        "SELECT dag_id, bundle_version FROM dag WHERE is_active",
                        Params.none(),
                        row -> Map.entry(row.getString(1), String.valueOf(row.getString(2))))
                .forEach(e -> dags.put(e.getKey(), e.getValue()));
        return dags;
    }

    private static void await(GustProcess scheduler, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!condition.call()) {
            if (!scheduler.process().isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("the scheduler did not pick up the bundle:\n" + scheduler.output());
            }
            Thread.sleep(250);
        }
    }
}
