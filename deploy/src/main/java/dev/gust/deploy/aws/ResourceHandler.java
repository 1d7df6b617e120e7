package dev.gust.deploy.aws;

import dev.gust.deploy.model.Resource;
import dev.gust.deploy.model.ResourceSpec;
import dev.gust.deploy.plan.Existing;
import java.util.List;

/**
 * Everything {@code gust deploy} does with one kind of AWS resource: find the deployment's ones
 * that exist, create one, bring one to its spec, delete one. {@link ResourceHandlers} says which
 * handler serves which kind, and the {@link Inventory} and the {@link dev.gust.deploy.apply.Applier}
 * only loop over it, so a new kind is a new handler registered there. Handlers keep no state
 * between calls: what a run knows (what exists, the ids made so far) comes in the context.
 */
public interface ResourceHandler<S extends ResourceSpec> {

    /**
     * The deployment's resources of the context's kind that exist, in creation order, each claimed
     * through {@link FindContext#claim}; {@link FindContext#found()} holds what the kinds before it found.
     */
    List<Existing> find(FindContext context);

    /** Creates the resource and returns the id or ARN that later resources refer to it by. */
    String create(Resource resource, S spec, ApplyContext context);

    /**
     * Brings an existing resource to its spec, or finishes one that a run left unfinished (its
     * fingerprint tag is written last); returns the id or ARN that later resources refer to it by.
     */
    String update(Resource resource, S spec, Existing existing, ApplyContext context);

    void delete(Existing existing, ApplyContext context);
}
