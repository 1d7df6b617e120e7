package dev.gust.deploy.apply;

import dev.gust.deploy.aws.ApplyContext;
import dev.gust.deploy.aws.AwsClients;
import dev.gust.deploy.aws.ResourceHandler;
import dev.gust.deploy.aws.ResourceHandlers;
import dev.gust.deploy.model.Names;
import dev.gust.deploy.plan.Existing;
import dev.gust.deploy.plan.Plan;
import dev.gust.deploy.plan.PlanAction;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Executes a {@link Plan} against AWS, one action at a time in the plan's order, each by the
 * {@link ResourceHandler} of its kind. Every resource is created with the tag {@code gust:deployment};
 * the fingerprint tag is written last (with the create call where that call is the whole creation,
 * after the last step otherwise), so a run that stops halfway leaves resources that the next plan
 * finds and finishes ("update (unfinished)").
 */
public final class Applier {

    private final AwsClients aws;
    private final Names names;
    private final PrintStream out;
    private final ResourceHandlers handlers = ResourceHandlers.STANDARD;
    private String givenDatabaseUrl;

    public Applier(AwsClients aws, Names names, PrintStream out) {
        this.aws = aws;
        this.names = names;
        this.out = out;
    }

    /** The database URL from deploy.yaml, stored in the database-url secret when the database is not ours. */
    public Applier givenDatabaseUrl(String url) {
        this.givenDatabaseUrl = url;
        return this;
    }

    /** Runs every action of {@code plan}; {@code existing} supplies the ids of what is already there. */
    public void apply(Plan plan, List<Existing> existing) {
        Map<String, String> ids = new HashMap<>();
        for (Existing e : existing) {
            ids.put(e.key(), e.id());
        }
        ApplyContext context = new ApplyContext(aws, names, out, ids, givenDatabaseUrl);
        for (PlanAction action : plan.actions()) {
            if (action instanceof PlanAction.NoChange) {
                continue;
            }
            out.printf("%s %s %s ...%n", action.symbol(), action.kind().label(), action.name());
            var handler = handlers.of(action.kind());
            switch (action) {
                case PlanAction.Create c -> ids.put(c.desired().key(), handler.create(c.desired(), context));
                case PlanAction.Update u ->
                    ids.put(u.desired().key(), handler.update(u.desired(), u.existing(), context));
                case PlanAction.Delete d -> handler.delete(d.existing(), context);
                case PlanAction.NoChange n -> {}
            }
        }
    }
}
