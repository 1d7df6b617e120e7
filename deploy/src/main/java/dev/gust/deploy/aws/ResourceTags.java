package dev.gust.deploy.aws;

import dev.gust.deploy.model.Names;
import dev.gust.deploy.model.Resource;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The tags a resource of the deployment carries ({@code gust:deployment}, {@code gust:resource},
 * and once it is finished {@code gust:fingerprint}), in the form each AWS service's SDK takes them.
 */
public record ResourceTags(Map<String, String> map) {

    public ResourceTags {
        map = Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    static ResourceTags of(Names names, Resource resource, boolean withFingerprint) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(Names.DEPLOYMENT_TAG, names.deployment());
        tags.put(Names.RESOURCE_TAG, resource.name());
        if (withFingerprint) {
            tags.put(Names.FINGERPRINT_TAG, resource.fingerprint());
        }
        return new ResourceTags(tags);
    }

    /** These tags plus Name, which the EC2 console shows and the inventory finds network resources by. */
    public ResourceTags named(String name) {
        Map<String, String> tags = new LinkedHashMap<>(map);
        tags.put("Name", name);
        return new ResourceTags(tags);
    }

    /** The tags an SDK returns, as a map. */
    public static <T> Map<String, String> read(List<T> tags, Function<T, String> key, Function<T, String> value) {
        Map<String, String> read = new HashMap<>();
        for (T tag : tags) {
            read.put(key.apply(tag), value.apply(tag));
        }
        return read;
    }

    private <T> List<T> as(BiFunction<String, String, T> tag) {
        return map.entrySet().stream()
                .map(e -> tag.apply(e.getKey(), e.getValue()))
                .toList();
    }

    public List<software.amazon.awssdk.services.ec2.model.Tag> ec2() {
        return as((k, v) -> software.amazon.awssdk.services.ec2.model.Tag.builder()
                .key(k)
                .value(v)
                .build());
    }

    public List<software.amazon.awssdk.services.ecr.model.Tag> ecr() {
        return as((k, v) -> software.amazon.awssdk.services.ecr.model.Tag.builder()
                .key(k)
                .value(v)
                .build());
    }

    public List<software.amazon.awssdk.services.s3.model.Tag> s3() {
        return as((k, v) -> software.amazon.awssdk.services.s3.model.Tag.builder()
                .key(k)
                .value(v)
                .build());
    }

    public List<software.amazon.awssdk.services.rds.model.Tag> rds() {
        return as((k, v) -> software.amazon.awssdk.services.rds.model.Tag.builder()
                .key(k)
                .value(v)
                .build());
    }

    public List<software.amazon.awssdk.services.secretsmanager.model.Tag> secretsManager() {
        return as((k, v) -> software.amazon.awssdk.services.secretsmanager.model.Tag.builder()
                .key(k)
                .value(v)
                .build());
    }

    public List<software.amazon.awssdk.services.iam.model.Tag> iam() {
        return as((k, v) -> software.amazon.awssdk.services.iam.model.Tag.builder()
                .key(k)
                .value(v)
                .build());
    }

    public List<software.amazon.awssdk.services.ecs.model.Tag> ecs() {
        return as((k, v) -> software.amazon.awssdk.services.ecs.model.Tag.builder()
                .key(k)
                .value(v)
                .build());
    }

    public List<software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag> elb() {
        return as((k, v) -> software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag.builder()
                .key(k)
                .value(v)
                .build());
    }
}
