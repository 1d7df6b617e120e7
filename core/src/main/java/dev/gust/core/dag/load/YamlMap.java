package dev.gust.core.dag.load;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A YAML mapping read from SnakeYAML's node tree with its keys in file order, each key keeping
 * the node it came from so that problems can name a line. Merge keys ({@code <<: *anchor}) are
 * applied; a key written twice is reported with the line of its second occurrence.
 */
final class YamlMap {

    /** One key of the mapping, its line (1-based) and its value node. */
    record Entry(String key, int line, Node value) {}

    private final Map<String, Entry> entries;
    private final int line;

    private YamlMap(Map<String, Entry> entries, int line) {
        this.entries = entries;
        this.line = line;
    }

    static YamlMap empty(int line) {
        return new YamlMap(new LinkedHashMap<>(), line);
    }

    /** Reads a mapping node; {@code what} names the keys in duplicate messages ("DAG id", "task"). */
    static YamlMap of(MappingNode node, String what, Problems problems) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        Map<String, Entry> merged = new LinkedHashMap<>();
        for (NodeTuple tuple : node.getValue()) {
            Node keyNode = tuple.getKeyNode();
            int keyLine = lineOf(keyNode);
            if (keyNode.getTag().equals(Tag.MERGE)) {
                mergeInto(merged, tuple.getValueNode(), problems);
                continue;
            }
            if (!(keyNode instanceof ScalarNode scalar)) {
                problems.add(keyLine, "a key must be plain text, not a list or a mapping");
                continue;
            }
            String key = scalar.getValue();
            Entry previous = entries.get(key);
            if (previous != null) {
                problems.add(keyLine, what + " '" + key + "' is defined twice (first on line " + previous.line() + ")");
                continue;
            }
            entries.put(key, new Entry(key, keyLine, tuple.getValueNode()));
        }
        merged.forEach(entries::putIfAbsent);
        return new YamlMap(entries, lineOf(node));
    }

    private static void mergeInto(Map<String, Entry> merged, Node value, Problems problems) {
        if (value instanceof MappingNode mapping) {
            YamlMap.of(mapping, "key", problems).entries.forEach(merged::putIfAbsent);
        } else if (value instanceof SequenceNode sequence) {
            for (Node item : sequence.getValue()) {
                mergeInto(merged, item, problems);
            }
        } else {
            problems.add(lineOf(value), "a merge key '<<' must refer to a mapping");
        }
    }

    static int lineOf(Node node) {
        return node.getStartMark() == null ? 1 : node.getStartMark().getLine() + 1;
    }

    /** This mapping with {@code overrides}' keys replacing or extending its own. */
    YamlMap overriddenBy(YamlMap overrides) {
        Map<String, Entry> result = new LinkedHashMap<>(entries);
        result.putAll(overrides.entries);
        return new YamlMap(result, overrides.line);
    }

    /**
     * dag-factory's merge of a DAG over its defaults ({@code merge_configs}): a key of
     * {@code overrides} wins, except that a mapping written over a mapping is merged the same way,
     * key by key and at every depth; lists and plain values replace. The override's keys come
     * first, then the keys only this mapping has, as in the dictionary dag-factory builds.
     */
    YamlMap deepMergedWith(YamlMap overrides, Problems problems) {
        Map<String, Entry> result = new LinkedHashMap<>();
        for (Entry own : overrides.entries.values()) {
            Entry base = entries.get(own.key());
            if (base != null
                    && base.value() instanceof MappingNode baseMapping
                    && own.value() instanceof MappingNode ownMapping) {
                String what = keyNameWithin(own.key());
                YamlMap merged =
                        of(baseMapping, what, problems).deepMergedWith(of(ownMapping, what, problems), problems);
                result.put(own.key(), new Entry(own.key(), own.line(), merged.toNode(ownMapping)));
            } else {
                result.put(own.key(), own);
            }
        }
        entries.forEach(result::putIfAbsent);
        return new YamlMap(result, overrides.line);
    }

    /** How the keys inside {@code key}'s mapping are named in duplicate messages, as the readers name them. */
    private static String keyNameWithin(String key) {
        return switch (key) {
            case "tasks" -> "task";
            case "default_args" -> "default_args key";
            default -> "key";
        };
    }

    /** This mapping with {@code key} set to {@code value}, replacing an entry of that name in place. */
    YamlMap with(String key, int keyLine, Node value) {
        Map<String, Entry> result = new LinkedHashMap<>(entries);
        result.put(key, new Entry(key, keyLine, value));
        return new YamlMap(result, line);
    }

    /**
     * A mapping node holding these entries, so that a merged mapping can be read again like one
     * written in a file: each key keeps its line and each value its own node (and so its lines);
     * the mapping itself takes {@code template}'s position and style.
     */
    MappingNode toNode(Node template) {
        List<NodeTuple> tuples = new ArrayList<>(entries.size());
        for (Entry entry : entries.values()) {
            Mark mark = new Mark("merged", 0, entry.line() - 1, 0, new int[0], 0);
            tuples.add(new NodeTuple(
                    new ScalarNode(Tag.STR, entry.key(), mark, mark, DumperOptions.ScalarStyle.PLAIN), entry.value()));
        }
        DumperOptions.FlowStyle style =
                template instanceof MappingNode mapping ? mapping.getFlowStyle() : DumperOptions.FlowStyle.BLOCK;
        return new MappingNode(Tag.MAP, true, tuples, template.getStartMark(), template.getEndMark(), style);
    }

    /** The same entries, said to start on {@code line}. */
    YamlMap at(int line) {
        return new YamlMap(entries, line);
    }

    YamlMap without(String key) {
        Map<String, Entry> result = new LinkedHashMap<>(entries);
        result.remove(key);
        return new YamlMap(result, line);
    }

    Entry get(String key) {
        return entries.get(key);
    }

    /** The first of {@code keys} present, or null. */
    Entry first(String... keys) {
        for (String key : keys) {
            Entry entry = entries.get(key);
            if (entry != null) {
                return entry;
            }
        }
        return null;
    }

    boolean has(String key) {
        return entries.containsKey(key);
    }

    Collection<Entry> entries() {
        return entries.values();
    }

    Set<String> keys() {
        return entries.keySet();
    }

    int line() {
        return line;
    }

    int size() {
        return entries.size();
    }

    /** The plain Java value of every entry, in order (see {@link YamlValues#plain}). */
    Map<String, Object> toPlainMap() {
        Map<String, Object> result = new LinkedHashMap<>();
        for (Entry entry : entries.values()) {
            result.put(entry.key(), YamlValues.plain(entry.value()));
        }
        return result;
    }
}
