package dev.gust.core.dag.load;

import java.util.function.Function;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads one typed setting out of a {@link YamlMap}, turning a bad value into a problem on the
 * line of its key ("retries must be a whole number, got 'three'") and returning a fallback, so
 * that reading goes on and every problem of the file gets reported.
 */
final class FieldReader {

    private final Problems problems;

    FieldReader(Problems problems) {
        this.problems = problems;
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
            problems.add(entry.line(), entry.key() + " " + e.getMessage());
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
