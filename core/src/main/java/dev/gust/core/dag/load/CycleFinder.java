package dev.gust.core.dag.load;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds a cycle in task dependencies with a depth-first search and returns it as the path a
 * person can follow ({@code a, b, c, a}), so the error can say exactly which tasks loop.
 */
final class CycleFinder {

    private enum Mark {
        VISITING,
        DONE
    }

    private final Map<String, List<String>> upstreamOf;
    private final Map<String, Mark> marks = new HashMap<>();
    private final List<String> path = new ArrayList<>();

    private CycleFinder(Map<String, List<String>> upstreamOf) {
        this.upstreamOf = upstreamOf;
    }

    /** The first cycle found, in dependency order (upstream first), or empty if there is none. */
    static Optional<List<String>> find(Map<String, List<String>> upstreamOf) {
        CycleFinder finder = new CycleFinder(upstreamOf);
        for (String task : upstreamOf.keySet()) {
            Optional<List<String>> cycle = finder.visit(task);
            if (cycle.isPresent()) {
                return cycle;
            }
        }
        return Optional.empty();
    }

    private Optional<List<String>> visit(String task) {
        Mark mark = marks.get(task);
        if (mark == Mark.DONE) {
            return Optional.empty();
        }
        if (mark == Mark.VISITING) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(task), path.size()));
            cycle.add(task);
            // the path runs downstream-to-upstream; reverse it so it reads in execution order
            return Optional.of(cycle.reversed());
        }
        marks.put(task, Mark.VISITING);
        path.add(task);
        for (String upstream : upstreamOf.getOrDefault(task, List.of())) {
            if (upstreamOf.containsKey(upstream)) {
                Optional<List<String>> cycle = visit(upstream);
                if (cycle.isPresent()) {
                    return cycle;
                }
            }
        }
        path.removeLast();
        marks.put(task, Mark.DONE);
        return Optional.empty();
    }
}
