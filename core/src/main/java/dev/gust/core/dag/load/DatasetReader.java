package dev.gust.core.dag.load;

import dev.gust.core.dag.model.DatasetCondition;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads datasets as dag-factory writes them: a URI, a mapping with {@code uri} (Airflow 2's
 * {@code __type__: airflow.datasets.Dataset}, Airflow 3's {@code airflow.sdk.Asset}, whose
 * {@code name} stands for the URI when it has none), lists of them (a task's {@code outlets} and
 * {@code inlets}, a schedule meaning all of them), and conditions: a string such as
 * {@code (a & b) | c}, the {@code !and}/{@code !or} tags, or {@code __and__}/{@code __or__}.
 */
final class DatasetReader {

    static final Set<String> DATASET_TYPES = Set.of(
            "airflow.datasets.Dataset",
            "airflow.Dataset",
            "airflow.sdk.Asset",
            "airflow.assets.Asset",
            "airflow.sdk.definitions.asset.Asset");

    /** Airflow's dataset aliases (2.10's DatasetAlias, 3's AssetAlias), which Gust does not resolve. */
    static final Set<String> ALIAS_TYPES = Set.of(
            "airflow.datasets.DatasetAlias",
            "airflow.sdk.AssetAlias",
            "airflow.assets.AssetAlias",
            "airflow.sdk.definitions.asset.AssetAlias");

    private static final String SHAPE =
            "each dataset must be a URI such as 's3://bucket/key' or a mapping with 'uri' (or __type__: airflow.datasets.Dataset)";

    private DatasetReader() {}

    /** A task's {@code outlets} or {@code inlets}: one dataset or a list of them. */
    static List<String> uris(Node node) {
        if (YamlValues.isNull(node)) {
            return List.of();
        }
        List<String> uris = new ArrayList<>();
        if (node instanceof SequenceNode sequence) {
            for (Node item : sequence.getValue()) {
                uris.add(uri(item));
            }
        } else {
            uris.add(uri(node));
        }
        return List.copyOf(uris);
    }

    /** A task's {@code outlets}: its datasets' URIs, leaving out the dataset aliases ({@link #outletAliases}). */
    static List<String> outletUris(Node node) {
        if (node instanceof SequenceNode sequence) {
            List<String> uris = new ArrayList<>();
            for (Node item : sequence.getValue()) {
                if (aliasName(item) == null) {
                    uris.add(uri(item));
                }
            }
            return List.copyOf(uris);
        }
        return aliasName(node) == null ? uris(node) : List.of();
    }

    /**
     * The names of the dataset aliases among a task's {@code outlets} (Airflow 2.10's {@code
     * DatasetAlias}, 3's {@code AssetAlias}, by {@code name}), through which its code adds events
     * for datasets it only knows when it runs.
     */
    static List<String> outletAliases(Node node) {
        List<Node> items = node instanceof SequenceNode sequence ? sequence.getValue() : List.of(node);
        List<String> names = new ArrayList<>();
        for (Node item : items) {
            String name = aliasName(item);
            if (name != null) {
                names.add(name);
            }
        }
        return List.copyOf(names);
    }

    /** The alias {@code node} names, or null when it is not a dataset alias. */
    private static String aliasName(Node node) {
        if (!(node instanceof MappingNode mapping)) {
            return null;
        }
        String type = scalar(mapping, DagFactoryObjects.TYPE);
        if (type == null || !ALIAS_TYPES.contains(type)) {
            return null;
        }
        String name = scalar(mapping, "name");
        name = name == null ? firstArg(mapping) : name;
        if (name == null || name.isBlank()) {
            throw new InvalidValue("has a dataset alias (" + type + ") without a name; give it one, e.g."
                    + " {__type__: " + type + ", name: my-alias}");
        }
        return name.trim();
    }

    /** Whether {@code mapping} is a single dataset object or an {@code __and__}/{@code __or__} condition. */
    static boolean isDatasetMapping(MappingNode mapping) {
        String type = scalar(mapping, DagFactoryObjects.TYPE);
        return (type != null && (DATASET_TYPES.contains(type) || ALIAS_TYPES.contains(type)))
                || scalarKeys(mapping).equals(List.of("__and__"))
                || scalarKeys(mapping).equals(List.of("__or__"));
    }

    /** A condition in any of its forms; a list means all of its items. */
    static DatasetCondition condition(Node node) {
        String tag = node.getTag().getValue();
        if (tag.equals("!and") || tag.equals("!or")) {
            if (!(node instanceof SequenceNode sequence)) {
                throw new InvalidValue(tag + " must tag a list of datasets or conditions");
            }
            List<DatasetCondition> items = items(sequence);
            return tag.equals("!and") ? new DatasetCondition.All(items) : new DatasetCondition.Any(items);
        }
        return switch (node) {
            case SequenceNode sequence -> all(items(sequence));
            case MappingNode mapping
            when scalarKeys(mapping).equals(List.of("__and__")) ->
                new DatasetCondition.All(operands(mapping, "__and__"));
            case MappingNode mapping
            when scalarKeys(mapping).equals(List.of("__or__")) -> new DatasetCondition.Any(operands(mapping, "__or__"));
            case ScalarNode scalar when !YamlValues.isNull(scalar) -> ConditionText.parse(scalar.getValue());
            default -> new DatasetCondition.Uri(uri(node));
        };
    }

    private static DatasetCondition all(List<DatasetCondition> items) {
        return items.size() == 1 ? items.getFirst() : new DatasetCondition.All(items);
    }

    private static List<DatasetCondition> operands(MappingNode mapping, String key) {
        Node value = mapping.getValue().getFirst().getValueNode();
        if (!(value instanceof SequenceNode sequence)) {
            throw new InvalidValue(key + " must be a list of datasets or conditions");
        }
        return items(sequence);
    }

    private static List<DatasetCondition> items(SequenceNode sequence) {
        if (sequence.getValue().isEmpty()) {
            throw new InvalidValue("lists no datasets; use 'schedule: null' for a DAG that only runs when triggered");
        }
        List<DatasetCondition> items = new ArrayList<>();
        for (Node item : sequence.getValue()) {
            items.add(
                    item instanceof ScalarNode scalar && !YamlValues.isNull(scalar)
                            ? new DatasetCondition.Uri(scalar.getValue().trim())
                            : condition(item));
        }
        return items;
    }

    /** One dataset's URI. */
    static String uri(Node node) {
        if (node instanceof ScalarNode scalar
                && !YamlValues.isNull(scalar)
                && !scalar.getValue().isBlank()) {
            return scalar.getValue().trim();
        }
        if (node instanceof MappingNode mapping) {
            String type = scalar(mapping, DagFactoryObjects.TYPE);
            if (type != null && ALIAS_TYPES.contains(type)) {
                String name = scalar(mapping, "name");
                throw new InvalidValue("names the dataset alias '" + (name == null ? firstArg(mapping) : name) + "' ("
                        + type.substring(type.lastIndexOf('.') + 1) + "); Gust takes a dataset alias only among a"
                        + " task's outlets: name the datasets themselves here (e.g. 's3://bucket/key')");
            }
            if (type != null && !DATASET_TYPES.contains(type)) {
                throw new InvalidValue("has a dataset of type '" + type + "'; a dataset is one of "
                        + String.join(", ", DATASET_TYPES.stream().sorted().toList()));
            }
            String uri = scalar(mapping, "uri");
            if (uri == null) {
                uri = scalar(mapping, "name");
            }
            if (uri == null) {
                uri = firstArg(mapping);
            }
            if (uri != null && !uri.isBlank()) {
                return uri.trim();
            }
        }
        throw new InvalidValue(SHAPE);
    }

    private static String firstArg(MappingNode mapping) {
        for (NodeTuple tuple : mapping.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode key
                    && key.getValue().equals(DagFactoryObjects.ARGS)
                    && tuple.getValueNode() instanceof SequenceNode args
                    && !args.getValue().isEmpty()
                    && args.getValue().getFirst() instanceof ScalarNode first) {
                return first.getValue();
            }
        }
        return null;
    }

    private static String scalar(MappingNode mapping, String name) {
        for (NodeTuple tuple : mapping.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode key
                    && key.getValue().equals(name)
                    && tuple.getValueNode() instanceof ScalarNode value
                    && !YamlValues.isNull(value)) {
                return value.getValue();
            }
        }
        return null;
    }

    private static List<String> scalarKeys(MappingNode mapping) {
        return mapping.getValue().stream()
                .map(t -> t.getKeyNode() instanceof ScalarNode s ? s.getValue() : "")
                .toList();
    }

    /**
     * dag-factory's string form of a condition: URIs joined by {@code &} (binding tighter) and
     * {@code |}, with parentheses.
     */
    static final class ConditionText {
        private final String text;
        private int at;

        private ConditionText(String text) {
            this.text = text;
        }

        static DatasetCondition parse(String text) {
            ConditionText parser = new ConditionText(text);
            DatasetCondition condition = parser.any();
            parser.skipSpaces();
            if (parser.at < text.length()) {
                throw new InvalidValue("has a dataset condition '" + text + "' with an unexpected '"
                        + text.charAt(parser.at) + "' at position " + (parser.at + 1)
                        + "; write URIs joined by & and |, with parentheses, e.g. '(s3://a & s3://b) | s3://c'");
            }
            return condition;
        }

        private DatasetCondition any() {
            List<DatasetCondition> items = new ArrayList<>(List.of(all()));
            while (peek() == '|') {
                at++;
                items.add(all());
            }
            return items.size() == 1 ? items.getFirst() : new DatasetCondition.Any(items);
        }

        private DatasetCondition all() {
            List<DatasetCondition> items = new ArrayList<>(List.of(operand()));
            while (peek() == '&') {
                at++;
                items.add(operand());
            }
            return items.size() == 1 ? items.getFirst() : new DatasetCondition.All(items);
        }

        private DatasetCondition operand() {
            char next = peek();
            if (next == '(') {
                at++;
                DatasetCondition inner = any();
                if (peek() != ')') {
                    throw new InvalidValue("has a dataset condition '" + text + "' with a '(' that is never closed");
                }
                at++;
                return inner;
            }
            int start = at;
            while (at < text.length()
                    && "()&|".indexOf(text.charAt(at)) < 0
                    && !Character.isWhitespace(text.charAt(at))) {
                at++;
            }
            if (start == at) {
                throw new InvalidValue("has a dataset condition '" + text + "' missing a dataset URI at position "
                        + (start + 1) + "; write e.g. '(s3://a & s3://b) | s3://c'");
            }
            return new DatasetCondition.Uri(text.substring(start, at));
        }

        private char peek() {
            skipSpaces();
            return at < text.length() ? text.charAt(at) : '\0';
        }

        private void skipSpaces() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }
    }
}
