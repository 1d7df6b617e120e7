package dev.gust.scheduler.bundle;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * {@code gust deploy dags}: makes a DAG bundle on S3 hold exactly a local folder. Files whose
 * content differs from the current manifest are uploaded, then the new manifest is written, and
 * only then are the objects of deleted files removed, so a scheduler reading at any moment sees
 * either the old complete version or the new one. Prints a line per changed file ({@code +} added,
 * {@code ~} changed, {@code -} deleted) and the bundle version.
 */
public final class DagBundleUpload {

    private static final DateTimeFormatter VERSION_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /** Thrown for a failed S3 call, with its IAM action and object, for the caller to put in one line. */
    public static final class CallFailed extends RuntimeException {
        private final String action;
        private final String resource;

        CallFailed(String action, String resource, RuntimeException cause) {
            super(action + " on " + resource + " failed", cause);
            this.action = action;
            this.resource = resource;
        }

        public String action() {
            return action;
        }

        public String resource() {
            return resource;
        }
    }

    /** What an upload did: the version the bundle is at now, and the paths added, changed and deleted. */
    public record Result(String version, List<String> added, List<String> changed, List<String> deleted) {
        public boolean unchanged() {
            return added.isEmpty() && changed.isEmpty() && deleted.isEmpty();
        }
    }

    private final S3Client s3;
    private final S3Location location;
    private final Clock clock;

    public DagBundleUpload(S3Client s3, S3Location location, Clock clock) {
        this.s3 = s3;
        this.location = location;
        this.clock = clock;
    }

    public Result upload(Path folder, PrintStream out) {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("the DAG folder " + folder + " does not exist or is not a folder");
        }
        Map<String, String> local = FolderFiles.hashes(folder);
        BundleManifest current = currentManifest();
        Map<String, BundleManifest.BundleFile> before = current == null ? Map.of() : current.files();
        Map<String, BundleManifest.BundleFile> after = new TreeMap<>();
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        for (var entry : local.entrySet()) {
            String path = entry.getKey();
            BundleManifest.BundleFile had = before.get(path);
            if (had != null && had.sha256().equals(entry.getValue())) {
                after.put(path, had);
                continue;
            }
            after.put(path, put(folder.resolve(path), path, entry.getValue()));
            (had == null ? added : changed).add(path);
            out.println((had == null ? "+ " : "~ ") + path);
        }
        List<String> deleted = before.keySet().stream()
                .filter(path -> !local.containsKey(path))
                .toList();
        deleted.forEach(path -> out.println("- " + path));
        if (current != null && added.isEmpty() && changed.isEmpty() && deleted.isEmpty()) {
            out.println("no changes: " + location + " is at bundle version " + current.version());
            return new Result(current.version(), added, changed, deleted);
        }
        String version = VERSION_TIME.format(clock.instant()) + "-" + contentDigest(after);
        BundleManifest manifest = new BundleManifest(
                BundleManifest.FORMAT, version, clock.instant().toString(), after);
        call(
                "s3:PutObject",
                location.manifestKey(),
                () -> s3.putObject(
                        b -> b.bucket(location.bucket())
                                .key(location.manifestKey())
                                .contentType("application/json"),
                        RequestBody.fromBytes(manifest.toJson())));
        for (String path : deleted) {
            call(
                    "s3:DeleteObject",
                    location.key(path),
                    () -> s3.deleteObject(b -> b.bucket(location.bucket()).key(location.key(path))));
        }
        out.printf(
                "bundle version %s: %d files at %s (%d added, %d changed, %d deleted)%n",
                version, after.size(), location, added.size(), changed.size(), deleted.size());
        return new Result(version, added, changed, deleted);
    }

    private BundleManifest currentManifest() {
        try {
            return call(
                    "s3:GetObject",
                    location.manifestKey(),
                    () -> BundleManifest.read(
                            s3.getObjectAsBytes(b -> b.bucket(location.bucket()).key(location.manifestKey()))
                                    .asByteArray()));
        } catch (CallFailed e) {
            if (e.getCause() instanceof NoSuchKeyException) {
                return null;
            }
            throw e;
        }
    }

    private BundleManifest.BundleFile put(Path file, String path, String sha256) {
        String key = location.key(path);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        PutObjectResponse response = call(
                "s3:PutObject",
                key,
                () -> s3.putObject(b -> b.bucket(location.bucket()).key(key), RequestBody.fromBytes(bytes)));
        return new BundleManifest.BundleFile(response.versionId(), response.eTag(), sha256, bytes.length);
    }

    private static String contentDigest(Map<String, BundleManifest.BundleFile> files) {
        Map<String, String> content = new LinkedHashMap<>();
        files.forEach((path, file) -> content.put(path, file.sha256()));
        return FolderFiles.sha256(content.toString().getBytes(StandardCharsets.UTF_8))
                .substring(0, 8);
    }

    /** Runs a call on the object {@code key}, named in a failure as {@code s3://bucket/key}. */
    private <T> T call(String action, String key, Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException e) {
            throw new CallFailed(action, "s3://" + location.bucket() + "/" + key, e);
        }
    }
}
