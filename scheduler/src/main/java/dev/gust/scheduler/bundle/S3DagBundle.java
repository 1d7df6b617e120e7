package dev.gust.scheduler.bundle;

import dev.gust.core.dag.sync.DagFolderSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Keeps {@code core.dags_folder} at the newest complete version of a DAG bundle on S3. Each
 * {@link #refresh()} reads the bundle's manifest; when it names a version the folder does not
 * have, the folder is rebuilt in a staging directory next to it (files whose content the folder
 * already has are copied, the others downloaded at the exact object version the manifest pins and
 * checked against its SHA-256), and the staging directory is then renamed into place. Objects
 * uploaded without a new manifest are never read, so a half-finished upload is never parsed; a
 * failure leaves the folder as it was and the next round tries again.
 *
 * <p>Before the first manifest exists (a new deployment before its first {@code gust deploy dags})
 * the folder is left as it is, which in the image is its example DAGs.
 */
public final class S3DagBundle implements DagFolderSource {

    private static final Logger log = LoggerFactory.getLogger(S3DagBundle.class);

    private final S3Client s3;
    private final S3Location location;
    private final Path folder;
    private final boolean ownsClient;
    private String currentVersion;
    private boolean saidNoManifest;

    /** A bundle read through {@code s3} into {@code folder}; {@code ownsClient}: close it with this. */
    public S3DagBundle(S3Client s3, S3Location location, Path folder, boolean ownsClient) {
        this.s3 = s3;
        this.location = location;
        this.folder = folder.toAbsolutePath().normalize();
        this.ownsClient = ownsClient;
    }

    /** The scheduler's bundle from {@code dag_bundle.s3_uri}, through the SDK's standard configuration. */
    public static S3DagBundle of(String s3Uri, Path folder) {
        S3Location location = S3Location.parse(s3Uri);
        try {
            return new S3DagBundle(S3Client.create(), location, folder, true);
        } catch (software.amazon.awssdk.core.exception.SdkClientException e) {
            throw new IllegalArgumentException(
                    "cannot reach the DAG bundle " + location + " (set AWS_REGION, and credentials or a task role): "
                            + e.getMessage(),
                    e);
        }
    }

    @Override
    public String refresh() {
        BundleManifest manifest = readManifest();
        if (manifest == null) {
            if (!saidNoManifest) {
                log.warn(
                        "no DAG bundle at {} yet (no {}): using {} as it is until gust deploy dags uploads one",
                        location,
                        location.manifestKey(),
                        folder);
                saidNoManifest = true;
            }
            return currentVersion;
        }
        saidNoManifest = false;
        if (manifest.version().equals(currentVersion) && Files.isDirectory(folder)) {
            return currentVersion;
        }
        Changes changes = install(manifest);
        log.info(
                "DAG bundle {} from {} is in {}: {} added, {} changed, {} deleted, {} downloaded",
                manifest.version(),
                location,
                folder,
                changes.added,
                changes.changed,
                changes.deleted,
                changes.downloaded);
        currentVersion = manifest.version();
        return currentVersion;
    }

    /** The version the folder holds, null before the first bundle was installed. */
    public String currentVersion() {
        return currentVersion;
    }

    private BundleManifest readManifest() {
        try {
            ResponseBytes<GetObjectResponse> bytes =
                    s3.getObjectAsBytes(b -> b.bucket(location.bucket()).key(location.manifestKey()));
            return BundleManifest.read(bytes.asByteArray());
        } catch (NoSuchKeyException e) {
            return null;
        } catch (NoSuchBucketException e) {
            throw new IllegalStateException("the DAG bundle bucket " + location.bucket()
                    + " does not exist: check dag_bundle.s3_uri (GUST_DAG_BUNDLE__S3_URI)");
        } catch (SdkException e) {
            throw failure("s3:GetObject", location.manifestKey(), e);
        }
    }

    private record Changes(int added, int changed, int deleted, int downloaded) {}

    /** Builds the manifest's folder in a staging directory and renames it into place. */
    private Changes install(BundleManifest manifest) {
        Map<String, String> present = FolderFiles.hashes(folder);
        Path parent = folder.getParent();
        Path staging = parent.resolve("." + folder.getFileName() + ".bundle-staging");
        Path previous = parent.resolve("." + folder.getFileName() + ".bundle-previous");
        int added = 0;
        int changed = 0;
        int downloaded = 0;
        try {
            deleteTree(staging);
            Files.createDirectories(staging);
            for (var entry : manifest.files().entrySet()) {
                String path = entry.getKey();
                BundleManifest.BundleFile file = entry.getValue();
                Path target = inside(staging, path);
                Files.createDirectories(target.getParent());
                String had = present.get(path);
                if (file.sha256().equals(had)) {
                    Files.copy(inside(folder, path), target, StandardCopyOption.COPY_ATTRIBUTES);
                    continue;
                }
                download(path, file, target);
                downloaded++;
                if (had == null) {
                    added++;
                } else {
                    changed++;
                }
            }
            int deleted = (int) present.keySet().stream()
                    .filter(p -> !manifest.files().containsKey(p))
                    .count();
            // The scan runs on this thread after refresh() returns, so nothing parses the folder
            // between these two renames.
            deleteTree(previous);
            if (Files.exists(folder)) {
                Files.move(folder, previous, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(staging, folder, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(previous);
            return new Changes(added, changed, deleted, downloaded);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot install DAG bundle " + manifest.version() + " into " + folder + ": " + e.getMessage(), e);
        }
    }

    private void download(String path, BundleManifest.BundleFile file, Path target) throws IOException {
        String key = location.key(path);
        GetObjectRequest.Builder request =
                GetObjectRequest.builder().bucket(location.bucket()).key(key);
        if (file.versionId() != null && !file.versionId().equals("null")) {
            request.versionId(file.versionId());
        } else {
            request.ifMatch(file.etag());
        }
        byte[] bytes;
        try (InputStream in = s3.getObject(request.build())) {
            bytes = in.readAllBytes();
        } catch (SdkException e) {
            throw failure("s3:GetObject", key, e);
        }
        String sha256 = FolderFiles.sha256(bytes);
        if (!sha256.equals(file.sha256())) {
            throw new IllegalStateException("s3://" + location.bucket() + "/" + key
                    + " does not hold what the bundle manifest says (SHA-256 " + sha256 + ", expected "
                    + file.sha256() + "); upload the folder again with gust deploy dags");
        }
        Files.write(target, bytes);
    }

    /** {@code path} under {@code root}, refusing a manifest path that would leave it. */
    private static Path inside(Path root, String path) {
        Path resolved = root.resolve(path).normalize();
        if (!resolved.startsWith(root) || resolved.equals(root)) {
            throw new IllegalStateException("the DAG bundle manifest names a path outside the folder: " + path);
        }
        return resolved;
    }

    private RuntimeException failure(String action, String key, SdkException e) {
        if (e instanceof S3Exception s3e && s3e.statusCode() == 403) {
            return new IllegalStateException("AccessDenied: the scheduler may not call " + action + " on s3://"
                    + location.bucket() + "/" + key + " (grant it to the task role)");
        }
        return new IllegalStateException(
                "reading DAG bundle " + location + " failed (" + action + " " + key + "): "
                        + Objects.toString(e.getMessage(), e.getClass().getSimpleName()),
                e);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    @Override
    public void close() {
        if (ownsClient) {
            s3.close();
        }
    }
}
