package dev.gust.deploy.aws;

import static dev.gust.deploy.aws.AwsCalls.run;

import dev.gust.deploy.DeployException;
import dev.gust.deploy.model.Names;
import dev.gust.deploy.model.Resource;
import dev.gust.deploy.model.ResourceKind;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * What a {@link ResourceHandler} changing a resource gets: the clients, the deployment's names, the
 * stream progress is shown on, the database URL given in deploy.yaml (null when the deployment
 * makes its own database), and {@code ids}: the names of the resources made (or found) so far to the
 * ids and ARNs that later resources refer to, which the applier fills as it goes.
 */
public record ApplyContext(
        AwsClients aws, Names names, PrintStream out, Map<String, String> ids, String givenDatabaseUrl) {

    private static final Set<String> IN_USE = Set.of("DependencyViolation", "InvalidIPAddress.InUse");

    /** The id or ARN of the deployment's {@code kind} named {@code name}, which must exist by now. */
    public String id(ResourceKind kind, String name) {
        String id = ids.get(kind + "/" + name);
        if (id == null) {
            throw new IllegalStateException(kind + " " + name + " should exist by now");
        }
        return id;
    }

    /** Whether the deployment has a {@code kind} named {@code name} by now. */
    public boolean has(ResourceKind kind, String name) {
        return ids.containsKey(kind + "/" + name);
    }

    /** A VPC or subnet reference: one of the deployment's own by name (made by now), or an AWS id from deploy.yaml. */
    public String ref(ResourceKind kind, String nameOrId) {
        String id = ids.get(kind + "/" + nameOrId);
        return id != null ? id : nameOrId;
    }

    public List<String> subnets(List<String> namesOrIds) {
        return namesOrIds.stream().map(s -> ref(ResourceKind.SUBNET, s)).toList();
    }

    /**
     * The deployment's tags for {@code resource}; the fingerprint goes on last (with the create call
     * where that call is the whole creation), so a run that stops halfway leaves it unfinished.
     */
    public ResourceTags tags(Resource resource, boolean withFingerprint) {
        return ResourceTags.of(names, resource, withFingerprint);
    }

    /**
     * Writes the resource's tags with the fingerprint through {@code tag}, the service's tagging call
     * named by its IAM {@code action}: the last step of bringing a resource to its spec.
     */
    public void tagDone(String action, Resource resource, Consumer<ResourceTags> tag) {
        run(action, resource.name(), () -> tag.accept(tags(resource, true)));
    }

    /**
     * Runs a delete that AWS refuses with DependencyViolation while network interfaces of a
     * just-deleted load balancer, task or database still use the resource; AWS releases them within
     * minutes, so it is tried again for up to ten.
     */
    public void retryWhileInUse(String action, String name, Runnable call) {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (true) {
            try {
                run(action, name, call);
                return;
            } catch (DeployException e) {
                boolean inUse = e.getCause() instanceof AwsServiceException s
                        && IN_USE.contains(s.awsErrorDetails().errorCode());
                if (!inUse || System.nanoTime() > deadline) {
                    throw e;
                }
                out.printf("  %s is still in use; retrying%n", name);
                try {
                    Thread.sleep(Duration.ofSeconds(10));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new DeployException("interrupted");
                }
            }
        }
    }
}
