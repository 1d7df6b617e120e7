package dev.gust.core.dag.load;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * One {@code defaults.yml} (or {@code defaults.yaml}) file of the DAG folder, read: the settings
 * it gives every DAG file in its folder and the folders below, as dag-factory's hierarchical
 * defaults do, or the problems that keep it from being used. Made by
 * {@link DagFileParser#parseDefaults}; handed to {@link DagFileParser#parse(String, String, List)}
 * from the DAG folder's root down to the DAG file's own folder.
 *
 * <p>The DAG readers report a problem by its line only. So that a problem in an inherited value
 * can be traced back to this file, its YAML nodes are renumbered into a range of lines of their
 * own, one range per folder depth ({@link #LINE_RANGE} lines each, above any DAG file's length);
 * {@link InheritedProblems} maps such a line back to this file and its real line.
 */
public final class DagDefaults {

    /** The file names dag-factory looks for in each folder, the first found being used. */
    public static final List<String> FILE_NAMES = List.of("defaults.yml", "defaults.yaml");

    /** Lines per folder depth: more than a DAG file can have, as the parser reads at most 8M characters. */
    static final int LINE_RANGE = 10_000_000;
    /** The deepest folder whose defaults file can be told apart by its line range. */
    static final int MAX_DEPTH = Integer.MAX_VALUE / LINE_RANGE - 2;

    private final String file;
    private final MappingNode root;
    private final List<ImportError> errors;

    private DagDefaults(String file, MappingNode root, List<ImportError> errors) {
        this.file = file;
        this.root = root;
        this.errors = List.copyOf(errors);
    }

    static DagDefaults read(String file, MappingNode root) {
        return new DagDefaults(file, (MappingNode) shifted(root, lineOffset(file), new IdentityHashMap<>()), List.of());
    }

    static DagDefaults empty(String file) {
        return new DagDefaults(file, null, List.of());
    }

    static DagDefaults failed(String file, int line, String message) {
        return new DagDefaults(file, null, List.of(new ImportError(file, line, message)));
    }

    /** Whether {@code fileName} (a name, not a path) is one of dag-factory's defaults file names. */
    public static boolean isDefaultsFileName(String fileName) {
        return FILE_NAMES.contains(fileName);
    }

    /** The file, relative to the DAG folder. */
    public String file() {
        return file;
    }

    /** What keeps this file from being used; empty when it can be. */
    public List<ImportError> errors() {
        return errors;
    }

    /** The file's settings with their lines renumbered; null for an empty file or one with errors. */
    MappingNode root() {
        return root;
    }

    /** How deep the file's folder is below the DAG folder: 0 at the root. */
    static int depth(String file) {
        return (int) file.chars().filter(c -> c == '/').count();
    }

    static int lineOffset(String file) {
        return (depth(file) + 1) * LINE_RANGE;
    }

    /** A copy of {@code node} whose lines are {@code offset} further down; shared (aliased) nodes stay shared. */
    private static Node shifted(Node node, int offset, Map<Node, Node> done) {
        Node copy = done.get(node);
        if (copy != null) {
            return copy;
        }
        Mark start = shifted(node.getStartMark(), offset);
        Mark end = shifted(node.getEndMark(), offset);
        switch (node) {
            case ScalarNode scalar ->
                copy = new ScalarNode(scalar.getTag(), true, scalar.getValue(), start, end, scalar.getScalarStyle());
            case SequenceNode sequence -> {
                List<Node> items = new ArrayList<>(sequence.getValue().size());
                SequenceNode sequenceCopy =
                        new SequenceNode(sequence.getTag(), true, items, start, end, sequence.getFlowStyle());
                done.put(node, sequenceCopy);
                for (Node item : sequence.getValue()) {
                    items.add(shifted(item, offset, done));
                }
                copy = sequenceCopy;
            }
            case MappingNode mapping -> {
                List<NodeTuple> tuples = new ArrayList<>(mapping.getValue().size());
                MappingNode mappingCopy =
                        new MappingNode(mapping.getTag(), true, tuples, start, end, mapping.getFlowStyle());
                done.put(node, mappingCopy);
                for (NodeTuple tuple : mapping.getValue()) {
                    tuples.add(new NodeTuple(
                            shifted(tuple.getKeyNode(), offset, done), shifted(tuple.getValueNode(), offset, done)));
                }
                copy = mappingCopy;
            }
            default -> copy = node;
        }
        done.put(node, copy);
        return copy;
    }

    private static Mark shifted(Mark mark, int offset) {
        if (mark == null) {
            return null;
        }
        return new Mark(
                mark.getName(),
                mark.getIndex(),
                mark.getLine() + offset,
                mark.getColumn(),
                mark.getBuffer(),
                mark.getPointer());
    }
}
