package dev.gust.scheduler.bundle;

import java.net.URI;

/**
 * Where a DAG bundle lives: {@code s3://bucket/prefix}. A file at {@code path} in the DAG folder is
 * the object {@code prefix/path}; the manifest that makes a version complete is
 * {@code prefix/_gust_bundle/manifest.json}.
 */
public record S3Location(String bucket, String prefix) {

    /** The folder of the bundle's own objects, which a DAG folder may not hold. */
    public static final String RESERVED_FOLDER = "_gust_bundle";

    public S3Location {
        prefix = prefix.replaceAll("^/+|/+$", "");
    }

    /** Parses {@code s3://bucket[/prefix]}; anything else is a one-line error naming the key. */
    public static S3Location parse(String uri) {
        URI parsed;
        try {
            parsed = URI.create(uri.strip());
        } catch (IllegalArgumentException e) {
            parsed = null;
        }
        if (parsed == null || !"s3".equals(parsed.getScheme()) || parsed.getHost() == null) {
            throw new IllegalArgumentException("dag_bundle.s3_uri must look like s3://bucket/prefix, not '" + uri
                    + "' (set GUST_DAG_BUNDLE__S3_URI, or leave it empty to use core.dags_folder as it is)");
        }
        return new S3Location(parsed.getHost(), parsed.getPath() == null ? "" : parsed.getPath());
    }

    public String key(String path) {
        return prefix.isEmpty() ? path : prefix + "/" + path;
    }

    public String manifestKey() {
        return key(RESERVED_FOLDER + "/manifest.json");
    }

    @Override
    public String toString() {
        return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
    }
}
