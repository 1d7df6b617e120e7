package dev.gust.deploy.plan;

import dev.gust.deploy.model.Resource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Diffs the desired resources against the existing ones: a pure function, so it is tested
 * without AWS. A desired resource that does not exist is created; one whose fingerprint tag
 * differs (or is missing) is updated; an existing one nobody desires is deleted, after every
 * create and update, in reverse dependency order.
 */
public final class Planner {

    private Planner() {}

    public static Plan plan(List<Resource> desired, Collection<Existing> existing) {
        Map<String, Existing> byKey = new LinkedHashMap<>();
        for (Existing e : existing) {
            byKey.put(e.key(), e);
        }
        List<PlanAction> actions = new ArrayList<>();
        for (Resource resource : desired) {
            Existing found = byKey.get(resource.key());
            if (found == null) {
                actions.add(new PlanAction.Create(resource));
            } else if (resource.fingerprint().equals(found.fingerprint())) {
                actions.add(new PlanAction.NoChange(resource, found));
            } else {
                actions.add(new PlanAction.Update(resource, found));
            }
        }
        Set<String> desiredKeys = desired.stream().map(Resource::key).collect(Collectors.toSet());
        // Existing resources come in creation order; within a kind, later ones may refer to earlier
        // ones (the database's security group names the tasks' group), so reverse, then sort stably.
        List<Existing> unwanted = new ArrayList<>(byKey.values().stream()
                .filter(e -> !desiredKeys.contains(e.key()))
                .toList());
        java.util.Collections.reverse(unwanted);
        unwanted.sort(Comparator.comparing((Existing e) -> e.kind().ordinal()).reversed());
        unwanted.forEach(e -> actions.add(new PlanAction.Delete(e)));
        return new Plan(actions);
    }

    /** Everything that exists, deleted in reverse dependency order: what {@code down} does. */
    public static Plan teardown(Collection<Existing> existing) {
        return plan(List.of(), existing);
    }
}
