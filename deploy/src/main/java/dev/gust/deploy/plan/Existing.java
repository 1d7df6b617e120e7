package dev.gust.deploy.plan;

import dev.gust.deploy.model.ResourceKind;

/**
 * A resource of the deployment that exists in AWS: its kind and name, its id or ARN, and the
 * fingerprint tag written when it was last created or updated (null when a previous run stopped
 * before writing it, which the planner treats as "needs an update"; {@link #DRIFTED} when the
 * settings read back from AWS no longer match it, where the inventory checks them).
 */
public record Existing(ResourceKind kind, String name, String id, String fingerprint) {

    /** The fingerprint of a resource whose live settings differ from its tag (changed by hand). */
    public static final String DRIFTED = "drifted";

    public String key() {
        return kind + "/" + name;
    }
}
