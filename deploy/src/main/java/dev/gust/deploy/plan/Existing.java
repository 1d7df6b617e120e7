package dev.gust.deploy.plan;

import dev.gust.deploy.model.ResourceKind;

/**
 * A resource of the deployment that exists in AWS: its kind and name, its id or ARN, and the
 * fingerprint tag written when it was last created or updated (null when a previous run stopped
 * before writing it, which the planner treats as "needs an update").
 */
public record Existing(ResourceKind kind, String name, String id, String fingerprint) {

    public String key() {
        return kind + "/" + name;
    }
}
