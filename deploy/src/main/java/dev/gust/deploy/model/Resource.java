package dev.gust.deploy.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One resource of a deployment as it should be: its kind, its AWS name (unique within the kind)
 * and its spec. The spec's fingerprint is stored as a tag on the resource when it is created or
 * updated, so the planner can tell "as desired" from "changed" without a describe call per field.
 */
public record Resource(ResourceKind kind, String name, ResourceSpec spec) {

    /** A short, stable digest of the spec (records print their components in declaration order). */
    public String fingerprint() {
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256").digest(spec.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public String key() {
        return kind + "/" + name;
    }
}
