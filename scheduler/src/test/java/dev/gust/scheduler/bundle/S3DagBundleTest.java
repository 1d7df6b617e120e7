package dev.gust.scheduler.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gust.core.config.GustConfig;
import dev.gust.core.dag.load.DagFileParser;
import dev.gust.core.dag.load.DagFolderScanner;
import dev.gust.core.dag.sync.DagFolderPoller;
import dev.gust.core.dag.sync.DagFolderSync;
import dev.gust.core.store.Params;
import dev.gust.core.store.Stores;
import dev.gust.core.store.dags.StoredDag;
import dev.gust.core.testing.TestDatabase;
import dev.gust.scheduler.aws.MotoEcs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A scheduler's DAG folder kept in sync with a DAG bundle on S3 (moto_server) while its poller
 * runs, against a real PostgreSQL: {@code gust deploy dags}'s upload prints a line per change, and
 * an added, a changed and a deleted DAG reach the database without a restart, each DAG with the
 * bundle version it came from; objects uploaded without a new manifest are never parsed.
 */
class S3DagBundleTest {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.create();

    private static final String BUCKET = "gust-t-dags-123456789012-us-east-1";
    private static MotoEcs moto;
    private static S3Client s3;

    @TempDir
    Path dir;

    @BeforeAll
    static void startMoto() throws Exception {
        moto = MotoEcs.start();
        s3 = S3Client.builder()
                .endpointOverride(moto.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .build();
        s3.createBucket(b -> b.bucket(BUCKET));
        s3.putBucketVersioning(b -> b.bucket(BUCKET).versioningConfiguration(v -> v.status("Enabled")));
    }

    @AfterAll
    static void stopMoto() throws Exception {
        if (s3 != null) {
            s3.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    @Test
    void aRunningSyncPicksUpAddedChangedAndDeletedDagsAndNeverAPartialUpload() throws Exception {
        db.jdbc().update("DELETE FROM dag", Params.none());
        Path dagsFolder = dir.resolve("dags");
        // what the image carries: used as it is until the first bundle exists
        Files.createDirectories(dagsFolder);
        Files.writeString(dagsFolder.resolve("example.yaml"), dag("example", "hello"));
        GustConfig config = GustConfig.load(
                null,
                Map.of(
                        "GUST_CORE__DAGS_FOLDER", dagsFolder.toString(),
                        "GUST_CORE__HOME", dir.resolve("home").toString(),
                        "GUST_DAG_BUNDLE__S3_URI", "s3://" + BUCKET + "/dags/"));
        Stores stores = Stores.open(db.jdbc(), config);
        DagFolderSync sync = new DagFolderSync(
                new DagFolderScanner(dagsFolder, DagFolderScanner.Settings.defaults(), new DagFileParser()),
                stores.dags(),
                stores.importErrors(),
                stores.dagWarnings(),
                config.core());
        S3Location location = S3Location.parse(config.dagBundle().s3Uri());
        DagBundleUpload upload = new DagBundleUpload(s3, location, Clock.systemUTC());
        Path local = dir.resolve("local");
        Files.createDirectories(local.resolve("team"));

        try (DagFolderPoller poller =
                new DagFolderPoller(sync, S3DagBundle.of(config.dagBundle().s3Uri(), dagsFolder))) {
            // no manifest yet: the image's folder, of no bundle version
            assertThat(poller.start(Duration.ofMillis(200)).dags()).isEqualTo(1);
            assertThat(bundleVersions(stores)).containsExactly(Map.entry("example", "(none)"));

            Files.writeString(local.resolve("etl.yaml"), dag("etl", "extract"));
            Files.writeString(local.resolve("team/report.yaml"), dag("report", "render"));
            Files.writeString(local.resolve(".editor-swap"), "not part of the bundle");
            String out1 = run(upload, local);
            String v1 = versionIn(out1);
            assertThat(out1.lines().toList())
                    .containsExactly(
                            "+ etl.yaml",
                            "+ team/report.yaml",
                            "bundle version " + v1 + ": 2 files at s3://" + BUCKET
                                    + "/dags (2 added, 0 changed, 0 deleted)");
            awaitTrue("bundle " + v1 + " loaded", () -> activeVersions(stores).equals(Map.of("etl", v1, "report", v1)));
            assertThat(stores.dags().find("example").orElseThrow().active()).isFalse();
            assertThat(dagsFolder.resolve("team/report.yaml")).exists();

            // an added, a changed and a deleted DAG, without a restart
            Files.writeString(local.resolve("more.yaml"), dag("more", "t"));
            Files.writeString(local.resolve("team/report.yaml"), dag("report", "render_pdf"));
            Files.delete(local.resolve("etl.yaml"));
            String out2 = run(upload, local);
            String v2 = versionIn(out2);
            assertThat(v2).isNotEqualTo(v1);
            assertThat(out2.lines().toList())
                    .containsExactly(
                            "+ more.yaml",
                            "~ team/report.yaml",
                            "- etl.yaml",
                            "bundle version " + v2 + ": 2 files at s3://" + BUCKET
                                    + "/dags (1 added, 1 changed, 1 deleted)");
            awaitTrue(
                    "bundle " + v2 + " loaded", () -> activeVersions(stores).equals(Map.of("more", v2, "report", v2)));
            assertThat(stores.dags().serializedDag("report").orElseThrow()).contains("render_pdf");
            assertThat(stores.dags().find("etl").orElseThrow().active()).isFalse();
            assertThat(run(upload, local))
                    .isEqualTo(
                            "no changes: s3://" + BUCKET + "/dags is at bundle version " + v2 + System.lineSeparator());

            // a partial upload: objects written (one new, one overwritten with a broken file), no new manifest
            s3.putObject(b -> b.bucket(BUCKET).key("dags/half.yaml"), RequestBody.fromString(dag("half", "t")));
            s3.putObject(b -> b.bucket(BUCKET).key("dags/more.yaml"), RequestBody.fromString("more: [broken"));
            String folderBefore = Files.readString(dagsFolder.resolve("more.yaml"));
            // a fresh reader sees the manifest's version, not the objects uploaded since
            Path other = dir.resolve("other");
            try (S3DagBundle fresh = new S3DagBundle(s3, location, other, false)) {
                assertThat(fresh.refresh()).isEqualTo(v2);
                assertThat(Files.readString(other.resolve("more.yaml"))).isEqualTo(dag("more", "t"));
                assertThat(other.resolve("half.yaml")).doesNotExist();
            }
            Thread.sleep(1500); // several rounds of the running poller
            assertThat(activeVersions(stores)).isEqualTo(Map.of("more", v2, "report", v2));
            assertThat(stores.dags().find("half")).isEmpty();
            assertThat(stores.importErrors().list()).isEmpty();
            assertThat(Files.readString(dagsFolder.resolve("more.yaml"))).isEqualTo(folderBefore);
        }
    }

    @Test
    void aManifestThatDoesNotMatchItsObjectsOrLeavesTheFolderChangesNothing() throws Exception {
        S3Location location = S3Location.parse("s3://" + BUCKET + "/guarded");
        Path local = dir.resolve("local");
        Files.createDirectories(local);
        Files.writeString(local.resolve("etl.yaml"), dag("etl", "extract"));
        String v1 = versionIn(run(new DagBundleUpload(s3, location, Clock.systemUTC()), local));
        Path folder = dir.resolve("dags");
        try (S3DagBundle bundle = new S3DagBundle(s3, location, folder, false)) {
            assertThat(bundle.refresh()).isEqualTo(v1);
            String manifest = new String(
                    s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(location.manifestKey()))
                            .asByteArray(),
                    StandardCharsets.UTF_8);

            // a manifest whose SHA-256 does not match the object (a corrupted or foreign upload)
            String sha = manifest.replaceAll("(?s).*\"sha256\" : \"([0-9a-f]{64})\".*", "$1");
            putManifest(location, manifest.replace(v1, "v-bad-sha").replace(sha, "0".repeat(64)));
            assertThatThrownBy(bundle::refresh)
                    .hasMessageContaining("does not hold what the bundle manifest says")
                    .hasMessageContaining("upload the folder again with gust deploy dags");
            // a manifest naming a path outside the folder
            putManifest(location, manifest.replace(v1, "v-escape").replace("\"etl.yaml\"", "\"../escaped.yaml\""));
            assertThatThrownBy(bundle::refresh)
                    .hasMessageContaining("names a path outside the folder: ../escaped.yaml");
            assertThat(dir.resolve("escaped.yaml")).doesNotExist();

            assertThat(bundle.currentVersion()).isEqualTo(v1);
            assertThat(Files.readString(folder.resolve("etl.yaml"))).isEqualTo(dag("etl", "extract"));
            try (var files = Files.list(folder)) {
                assertThat(files.map(p -> p.getFileName().toString())).containsExactly("etl.yaml");
            }
        }
    }

    @Test
    void theBundleUriMustBeAnS3Uri() {
        assertThat(S3Location.parse("s3://bucket/a/b/")).isEqualTo(new S3Location("bucket", "a/b"));
        assertThat(S3Location.parse("s3://bucket").manifestKey()).isEqualTo("_gust_bundle/manifest.json");
        assertThat(S3Location.parse("s3://bucket/dags").key("team/etl.yaml")).isEqualTo("dags/team/etl.yaml");
        assertThatThrownBy(() -> S3Location.parse("https://bucket/dags"))
                .hasMessage("dag_bundle.s3_uri must look like s3://bucket/prefix, not 'https://bucket/dags' (set"
                        + " GUST_DAG_BUNDLE__S3_URI, or leave it empty to use core.dags_folder as it is)");
    }

    private static void putManifest(S3Location location, String json) {
        s3.putObject(b -> b.bucket(BUCKET).key(location.manifestKey()), RequestBody.fromString(json));
    }

    private static String dag(String id, String task) {
        return id + ":\n  schedule: '@daily'\n  default_args:\n    start_date: 2024-01-01\n  tasks:\n    " + task
                + ":\n      operator: bash\n      bash_command: echo hi\n";
    }

    private static String run(DagBundleUpload upload, Path folder) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        upload.upload(folder, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String versionIn(String output) {
        var matcher = java.util.regex.Pattern.compile("bundle version (\\d{8}T\\d{6}Z-[0-9a-f]{8}):")
                .matcher(output);
        assertThat(matcher.find()).as(output).isTrue();
        return matcher.group(1);
    }

    private static Map<String, String> bundleVersions(Stores stores) {
        Map<String, String> versions = new TreeMap<>();
        for (StoredDag dag : stores.dags().list()) {
            versions.put(dag.dagId(), dag.bundleVersion() == null ? "(none)" : dag.bundleVersion());
        }
        return versions;
    }

    private static Map<String, String> activeVersions(Stores stores) {
        Map<String, String> versions = new TreeMap<>();
        for (StoredDag dag : stores.dags().listActive()) {
            versions.put(dag.dagId(), String.valueOf(dag.bundleVersion()));
        }
        return versions;
    }

    private static void awaitTrue(String what, Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(100);
        }
    }
}
