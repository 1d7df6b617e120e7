package dev.gust.core.dag.load;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Merges the defaults files a DAG file inherits into one mapping, as dag-factory merges its
 * {@code defaults.yml} hierarchy: from the DAG folder's root down to the DAG file's folder, the
 * nearest file wins key by key; {@code default_args} are merged key by key across the files
 * (each key's nearest value), and {@code tags} are the union of every file's tags, sorted.
 */
final class FolderDefaults {

    private FolderDefaults() {}

    /** {@code chain} runs from the root down; the result is empty when no file applies. */
    static YamlMap merge(List<DagDefaults> chain, Problems problems) {
        YamlMap merged = YamlMap.empty(1);
        YamlMap defaultArgs = null;
        YamlMap.Entry defaultArgsEntry = null;
        TreeMap<String, Node> tags = null;
        YamlMap.Entry tagsEntry = null;
        for (DagDefaults defaults : chain) {
            if (defaults.root() == null) {
                continue;
            }
            YamlMap file = YamlMap.of(defaults.root(), "key", problems);
            for (YamlMap.Entry entry : file.entries()) {
                switch (entry.key()) {
                    case "default_args" -> {
                        YamlMap own = DagReader.defaultArgs(file, problems);
                        defaultArgs = defaultArgs == null ? own : defaultArgs.overriddenBy(own);
                        defaultArgsEntry = entry;
                    }
                    case "tags" -> {
                        tags = tags == null ? new TreeMap<>() : tags;
                        addTags(entry, tags, problems);
                        tagsEntry = entry;
                    }
                    default -> merged = merged.with(entry.key(), entry.line(), entry.value());
                }
            }
        }
        if (tags != null) {
            merged = merged.with("tags", tagsEntry.line(), tagList(tagsEntry.value(), tags));
        }
        if (defaultArgs != null) {
            merged = merged.with("default_args", defaultArgsEntry.line(), defaultArgs.toNode(defaultArgsEntry.value()));
        }
        return merged;
    }

    private static void addTags(YamlMap.Entry entry, TreeMap<String, Node> tags, Problems problems) {
        if (YamlValues.isNull(entry.value())) {
            return;
        }
        if (!(entry.value() instanceof SequenceNode sequence)) {
            problems.add(entry.line(), "tags must be a list of tags, got " + YamlValues.describe(entry.value()));
            return;
        }
        for (Node item : sequence.getValue()) {
            if (item instanceof ScalarNode scalar && !YamlValues.isNull(scalar)) {
                tags.putIfAbsent(scalar.getValue(), scalar);
            } else {
                problems.add(YamlMap.lineOf(item), "each tag must be text, got " + YamlValues.describe(item));
            }
        }
    }

    private static SequenceNode tagList(Node template, TreeMap<String, Node> tags) {
        return new SequenceNode(
                Tag.SEQ,
                true,
                new ArrayList<>(tags.values()),
                template.getStartMark(),
                template.getEndMark(),
                DumperOptions.FlowStyle.FLOW);
    }
}
