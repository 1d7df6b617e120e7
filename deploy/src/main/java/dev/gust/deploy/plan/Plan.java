package dev.gust.deploy.plan;

import java.util.List;

/**
 * The actions that turn what exists into what is desired, in the order they must run: creates and
 * updates in dependency order, then deletes of what is no longer desired in reverse dependency order.
 */
public record Plan(List<PlanAction> actions) {

    public Plan {
        actions = List.copyOf(actions);
    }

    public boolean hasChanges() {
        return actions.stream().anyMatch(a -> !(a instanceof PlanAction.NoChange));
    }

    public long count(Class<? extends PlanAction> type) {
        return actions.stream().filter(type::isInstance).count();
    }

    /** The names of the resources that the actions of {@code type} are for, in plan order. */
    public List<String> names(Class<? extends PlanAction> type) {
        return actions.stream().filter(type::isInstance).map(PlanAction::name).toList();
    }

    /** One line per resource ({@code + create}, {@code ~ update}, {@code - delete}, {@code = no change}) and a summary. */
    public String render() {
        StringBuilder out = new StringBuilder();
        for (PlanAction action : actions) {
            String verb = switch (action) {
                case PlanAction.Create c -> "create";
                case PlanAction.Update u ->
                    u.existing().fingerprint() == null
                            ? "update (unfinished)"
                            : Existing.DRIFTED.equals(u.existing().fingerprint())
                                    ? "update (changed outside gust deploy)"
                                    : "update";
                case PlanAction.Delete d -> "delete";
                case PlanAction.NoChange n -> "no change";
            };
            out.append(String.format(
                    "%s %-16s %-32s %s%n", action.symbol(), action.kind().label(), action.name(), verb));
        }
        out.append(
                hasChanges()
                        ? String.format(
                                "Plan: %d to create, %d to update, %d to delete.%n",
                                count(PlanAction.Create.class),
                                count(PlanAction.Update.class),
                                count(PlanAction.Delete.class))
                        : "No changes: the deployment is as desired.\n");
        return out.toString();
    }
}
