package dev.gust.core.dag.load;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Sorts the problems found while reading a file's DAGs by where they lie: in a DAG's own lines,
 * in the file's {@code default} block, or in a defaults file the DAG inherits. Every DAG merges
 * the same default block, so a problem there would otherwise be reported once per DAG, each
 * time under another DAG's name. Instead it is reported once, at its own line (a defaults
 * file's problems in that file), and each DAG it keeps from loading gets one brief line saying
 * so. A problem in the default block that only one DAG runs into (a task it overrides, say) is
 * that DAG's own and keeps naming it.
 */
final class InheritedProblems {

    private static final Pattern LINE_NUMBER = Pattern.compile("line (\\d+)");

    /** Where a problem is reported: a file and a line in it, with its message made DAG-neutral. */
    private record Place(String file, int line, String message) {}

    private record Hit(String dagId, String message) {}

    private final String file;
    private final Set<Integer> defaultBlockLines;
    private final Map<Integer, DagDefaults> defaultsByDepth = new LinkedHashMap<>();
    private final Map<Place, List<Hit>> hits = new LinkedHashMap<>();
    private final Set<Place> everyDag = new LinkedHashSet<>();
    private final Map<String, Integer> dagLines = new LinkedHashMap<>();

    InheritedProblems(String file, YamlMap.Entry defaultBlock, List<DagDefaults> chain) {
        this.file = file;
        this.defaultBlockLines = defaultBlock == null ? Set.of() : linesOf(defaultBlock);
        chain.forEach(defaults -> defaultsByDepth.put(DagDefaults.depth(defaults.file()), defaults));
    }

    /** Problems found once for the whole file, in what every DAG inherits: they keep every DAG from loading. */
    void addForEveryDag(Problems found, Problems own) {
        for (ImportError error : found.toImportErrors()) {
            Place place = placeOf(error.line(), error.message(), null);
            if (place == null) {
                own.add(error.line(), realLineNumbers(error.message()));
            } else {
                everyDag.add(place);
            }
        }
    }

    boolean breaksEveryDag() {
        return !everyDag.isEmpty();
    }

    /**
     * Moves the problems on the DAG's own lines into {@code own} and keeps those in what it
     * inherits for {@link #report}. Returns whether the DAG had any of the latter.
     */
    boolean sort(String dagId, int dagLine, Problems dagProblems, Problems own) {
        dagLines.put(dagId, dagLine);
        boolean inherited = false;
        for (ImportError error : dagProblems.toImportErrors()) {
            Place place = placeOf(error.line(), error.message(), dagId);
            if (place == null) {
                own.add(error.line(), realLineNumbers(error.message()));
            } else {
                hits.computeIfAbsent(place, p -> new ArrayList<>()).add(new Hit(dagId, error.message()));
                inherited = true;
            }
        }
        return inherited;
    }

    /**
     * Reports what {@link #sort} kept: problems of the default block into {@code own}, those of
     * defaults files as the returned errors, and one line per DAG they broke into {@code own}.
     */
    List<ImportError> report(Problems own) {
        Map<String, Map<String, TreeSet<Integer>>> causes = new LinkedHashMap<>();
        List<ImportError> elsewhere = new ArrayList<>();
        for (Place place : everyDag) {
            reportAt(place, where(place) + place.message(), own, elsewhere);
            dagLines.keySet().forEach(dagId -> addCause(causes, dagId, place));
        }
        for (Map.Entry<Place, List<Hit>> entry : hits.entrySet()) {
            Place place = entry.getKey();
            List<Hit> dags = entry.getValue();
            if (everyDag.contains(place)) {
                continue;
            }
            if (place.file().equals(file) && dags.size() == 1) {
                // only this DAG runs into it: the problem is its own, whatever line it lies on
                Hit hit = dags.getFirst();
                String named = hit.message().contains("DAG '" + hit.dagId() + "'")
                        ? hit.message()
                        : "DAG '" + hit.dagId() + "': " + hit.message();
                own.add(place.line(), named);
                continue;
            }
            reportAt(place, where(place) + place.message(), own, elsewhere);
            dags.forEach(hit -> addCause(causes, hit.dagId(), place));
        }
        causes.forEach((dagId, byFile) -> own.add(dagLines.get(dagId), brief(dagId, byFile)));
        return elsewhere;
    }

    /** What a shared problem's message starts with: the default block when it lies there (a defaults file is its own file). */
    private String where(Place place) {
        boolean saysSo = place.message().startsWith("the 'default' block")
                || place.message().startsWith("the default block");
        return place.file().equals(file) && !saysSo ? "default block: " : "";
    }

    private void reportAt(Place place, String message, Problems own, List<ImportError> elsewhere) {
        if (place.file().equals(file)) {
            own.add(place.line(), message);
        } else {
            elsewhere.add(new ImportError(place.file(), place.line(), message));
        }
    }

    private static void addCause(Map<String, Map<String, TreeSet<Integer>>> causes, String dagId, Place place) {
        causes.computeIfAbsent(dagId, id -> new LinkedHashMap<>())
                .computeIfAbsent(place.file(), f -> new TreeSet<>())
                .add(place.line());
    }

    private String brief(String dagId, Map<String, TreeSet<Integer>> byFile) {
        List<String> parts = new ArrayList<>();
        byFile.forEach((where, lines) -> {
            String what = where.equals(file) ? "its default block" : where + ", which it inherits,";
            parts.add(what + " has " + (lines.size() == 1 ? "a problem on line " : "problems on lines ")
                    + String.join(", ", lines.stream().map(String::valueOf).toList()));
        });
        return "DAG '" + dagId + "' is not loaded: " + String.join("; ", parts);
    }

    /** Where a problem found on {@code line} lies when it is inherited, or null when it is the DAG's own. */
    private Place placeOf(int line, String message, String dagId) {
        if (line >= DagDefaults.LINE_RANGE) {
            DagDefaults defaults = defaultsByDepth.get(line / DagDefaults.LINE_RANGE - 1);
            String where = defaults == null ? file : defaults.file();
            return new Place(where, line % DagDefaults.LINE_RANGE, neutral(message, dagId));
        }
        if (defaultBlockLines.contains(line)) {
            return new Place(file, line, neutral(message, dagId));
        }
        return null;
    }

    /** The message without the name of the DAG that ran into it, so that DAGs sharing it share one. */
    private static String neutral(String message, String dagId) {
        String text = message;
        if (dagId != null) {
            String name = "DAG '" + dagId + "'";
            if (text.startsWith(name + ": ")) {
                text = text.substring(name.length() + 2);
            }
            text = text.replace(name, "each DAG");
        }
        return realLineNumbers(text);
    }

    /** Line numbers quoted in a message ("first on line N") as the user sees them in a defaults file. */
    private static String realLineNumbers(String message) {
        Matcher matcher = LINE_NUMBER.matcher(message);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            long line = Long.parseLong(matcher.group(1));
            long real = line >= DagDefaults.LINE_RANGE ? line % DagDefaults.LINE_RANGE : line;
            matcher.appendReplacement(result, "line " + real);
        }
        matcher.appendTail(result);
        return result.toString();
    }

    /** Every line a node of the default block (or a key of one) starts on. */
    private static Set<Integer> linesOf(YamlMap.Entry defaultBlock) {
        Set<Integer> lines = new HashSet<>();
        lines.add(defaultBlock.line());
        collectLines(defaultBlock.value(), lines, Collections.newSetFromMap(new IdentityHashMap<>()));
        return lines;
    }

    private static void collectLines(Node node, Set<Integer> lines, Set<Node> seen) {
        if (!seen.add(node)) {
            return;
        }
        lines.add(YamlMap.lineOf(node));
        switch (node) {
            case MappingNode mapping -> {
                for (NodeTuple tuple : mapping.getValue()) {
                    collectLines(tuple.getKeyNode(), lines, seen);
                    collectLines(tuple.getValueNode(), lines, seen);
                }
            }
            case SequenceNode sequence -> sequence.getValue().forEach(item -> collectLines(item, lines, seen));
            default -> {}
        }
    }
}
