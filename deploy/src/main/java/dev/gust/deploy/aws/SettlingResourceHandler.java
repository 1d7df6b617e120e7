package dev.gust.deploy.aws;

import dev.gust.deploy.model.Resource;
import dev.gust.deploy.model.ResourceSpec;
import dev.gust.deploy.plan.Existing;

/**
 * A handler of a kind that is made in two steps: one call makes the resource, then {@link #settle}
 * brings it to its spec and writes the fingerprint tag. An update is the second step alone, so it
 * also finishes a resource that a run stopped between the two.
 */
public interface SettlingResourceHandler<S extends ResourceSpec> extends ResourceHandler<S> {

    /** Makes the resource and returns its id or ARN. */
    String make(Resource resource, S spec, ApplyContext context);

    /** Brings the resource with {@code id} to its spec, then writes its fingerprint tag. */
    void settle(Resource resource, S spec, String id, ApplyContext context);

    @Override
    default String create(Resource resource, S spec, ApplyContext context) {
        String id = make(resource, spec, context);
        settle(resource, spec, id, context);
        return id;
    }

    @Override
    default String update(Resource resource, S spec, Existing existing, ApplyContext context) {
        settle(resource, spec, existing.id(), context);
        return existing.id();
    }
}
