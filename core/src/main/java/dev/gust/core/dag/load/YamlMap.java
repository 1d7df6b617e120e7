package dev.gust.core.dag.load;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
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
