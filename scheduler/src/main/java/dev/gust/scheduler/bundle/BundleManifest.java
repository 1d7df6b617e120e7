package dev.gust.scheduler.bundle;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * One complete version of a DAG bundle: every file of the DAG folder (its path in the folder) with
 * the S3 object version that holds it, its ETag and its SHA-256. {@code gust deploy dags} writes
 * it after every file it names is uploaded, so a reader that follows only the manifest never sees
 * a half-uploaded folder, and the pinned object versions keep what it names readable while a
 * newer upload overwrites the same keys.
 */
public record BundleManifest(int format, String version, String createdAt, Map<String, BundleFile> files) {

    static final int FORMAT = 1;

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** One file: {@code versionId} is null in a bucket without versioning (then the ETag pins it). */
    public record BundleFile(String versionId, String etag, String sha256, long size) {}

    public BundleManifest {
        files = new TreeMap<>(files == null ? Map.of() : files);
    }

    public static BundleManifest read(byte[] json) {
        try {
            BundleManifest manifest = JSON.readValue(json, BundleManifest.class);
            if (manifest.format() != FORMAT || manifest.version() == null) {
                throw new IllegalStateException("the DAG bundle manifest has format " + manifest.format()
                        + ", this Gust reads format " + FORMAT + ": upload with this Gust's gust deploy dags");
            }
            return manifest;
        } catch (IOException e) {
            throw new IllegalStateException("the DAG bundle manifest is not valid JSON: " + e.getMessage(), e);
        }
    }

    public byte[] toJson() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
