package dev.gust.core.dag.load;

import java.util.IdentityHashMap;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Measures a composed YAML document as it will be once its aliases are expanded into plain
 * values. SnakeYAML shares an aliased node rather than copying it, so a small file of nested
 * aliases (the "billion laughs") composes cheaply and only explodes when turned into maps and
 * lists; measuring first, with each shared node counted once per use but computed once, lets
 * the parser refuse such a file in time proportional to its text.
 */
final class ExpandedYamlSize {

    /** Thrown for a document that refers to itself through an alias, which would expand forever. */
    static final class RecursiveAliasException extends RuntimeException {
        RecursiveAliasException() {
            super("an alias refers to a node that contains it, which would expand forever", null, false, false);
        }
    }

    private final long limit;
    private final Map<Node, Long> measured = new IdentityHashMap<>();
    private final Map<Node, Boolean> inProgress = new IdentityHashMap<>();

    private ExpandedYamlSize(long limit) {
        this.limit = limit;
    }

    /**
     * The number of nodes of {@code root} after alias expansion, or {@code limit + 1} as soon as
     * it is known to exceed {@code limit}.
     *
     * @throws RecursiveAliasException when the document contains itself
     */
    static long of(Node root, long limit) {
        return new ExpandedYamlSize(limit).count(root);
    }

    private long count(Node node) {
        Long known = measured.get(node);
        if (known != null) {
            return known;
        }
        if (inProgress.put(node, Boolean.TRUE) != null) {
            throw new RecursiveAliasException();
        }
        long total = 1;
        if (node instanceof SequenceNode sequence) {
            for (Node item : sequence.getValue()) {
                total = add(total, count(item));
            }
        } else if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                total = add(total, count(tuple.getKeyNode()));
                total = add(total, count(tuple.getValueNode()));
            }
        }
        inProgress.remove(node);
        measured.put(node, total);
        return total;
    }

    private long add(long a, long b) {
        return Math.min(limit + 1, a + b);
    }
}
