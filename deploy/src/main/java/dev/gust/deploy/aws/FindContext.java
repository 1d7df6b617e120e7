package dev.gust.deploy.aws;

import dev.gust.deploy.DeployException;
import dev.gust.deploy.model.Names;
import dev.gust.deploy.model.ResourceKind;
import dev.gust.deploy.plan.Existing;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@link ResourceHandler} finding the resources of {@code kind} gets: the clients, the
 * deployment's names, and what the kinds before it found (a NAT gateway is looked for in the
 * deployment's VPC, a listener on its load balancer).
 */
public record FindContext(AwsClients aws, Names names, ResourceKind kind, List<Existing> found) {

    public FindContext {
        found = List.copyOf(found);
    }

    /** The first resource of {@code kind} found so far (a deployment has one VPC, one cluster, ...). */
    public Optional<Existing> first(ResourceKind kind) {
        return found.stream().filter(e -> e.kind() == kind).findFirst();
    }

    /**
     * The resource named {@code name} as the deployment's, if its tags say it is; a name taken by a
     * resource of another deployment, or of none, is an error (never adopted, never touched).
     */
    public Existing claim(String name, String id, Map<String, String> tags) {
        String owner = tags.get(Names.DEPLOYMENT_TAG);
        if (!names.deployment().equals(owner)) {
            throw new DeployException(
                    "the " + kind.label() + " name '" + name + "' is taken by a resource that is not part of "
                            + "deployment '" + names.deployment() + "' ("
                            + (owner == null
                                    ? "it has no " + Names.DEPLOYMENT_TAG + " tag"
                                    : "it belongs to deployment '" + owner + "'")
                            + "): choose another --name or remove it");
        }
        return new Existing(kind, name, id, tags.get(Names.FINGERPRINT_TAG));
    }
}
