package dev.gust.core.dag.load;

import java.util.function.Function;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads one typed setting out of a {@link YamlMap}, turning a bad value into a problem on the
 * line of its key ("DAG 'd', task 't': retries must be a whole number, got 'three'") and returning a fallback, so
 * that reading goes on and every problem of the file gets reported.
 */
final class FieldReader {

    private final Problems problems;
    private final String where;
    private final YamlMap inherited;
    private final String inheritedWhere;

    /** Reads fields of {@code where} ("DAG 'd'", "DAG 'd', task 't'"), which every message starts with. */
    FieldReader(Problems problems, String where) {
        this(problems, where, YamlMap.empty(1), where);
    }

    private FieldReader(Problems problems, String where, YamlMap inherited, String inheritedWhere) {
        this.problems = problems;
        this.where = where;
        this.inherited = inherited;
        this.inheritedWhere = inheritedWhere;
    }

    /**
     * A reader for a part of this one, e.g. one task of the DAG, that also reads entries of
     * {@code inherited} (the DAG's default_args): those are reported once, as the DAG's
     * default_args, not once per task that inherits them.
     */
    FieldReader in(String part, YamlMap inherited) {
        return new FieldReader(problems, where + ", " + part, inherited, where + ", default_args");
    }

    /** What this reader reads, as messages name it. */
    String where() {
        return where;
    }

    Problems problems() {
        return problems;
    }

    <T> T read(YamlMap.Entry entry, Function<Node, T> converter, T fallback) {
        if (entry == null || YamlValues.isNull(entry.value())) {
            return fallback;
        }
        try {
            return converter.apply(entry.value());
        } catch (InvalidValue e) {
            boolean isInherited = inherited.get(entry.key()) == entry;
            problems.add(
                    entry.line(), (isInherited ? inheritedWhere : where) + ": " + entry.key() + " " + e.getMessage());
            return fallback;
        }
    }

    <T> T read(YamlMap map, String key, Function<Node, T> converter, T fallback) {
        return read(map.get(key), converter, fallback);
    }

    /** A whole number of at least {@code min}. */
    Integer atLeast(YamlMap.Entry entry, int min, Integer fallback) {
        return read(
                entry,
                node -> {
                    int value = YamlValues.integer(node);
                    if (value < min) {
                        throw new InvalidValue("must be at least " + min + ", got " + value);
                    }
                    return value;
                },
                fallback);
    }

    void problem(int line, String message) {
        problems.add(line, message);
    }
}
