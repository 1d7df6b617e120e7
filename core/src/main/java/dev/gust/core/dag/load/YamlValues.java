package dev.gust.core.dag.load;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Turns YAML nodes into plain Java values and typed settings. Plain values are what Jackson
 * would produce for the same JSON (String, Boolean, Integer/Long/BigInteger, Double, List, Map,
 * null), so that a DAG survives a JSON round trip unchanged. Timestamps stay as the text the
 * user wrote; the DAG parser reads dates itself, in the DAG's time zone.
 */
final class YamlValues {

    private YamlValues() {}

    static Object plain(Node node) {
        return switch (node) {
            case ScalarNode scalar -> scalar(scalar);
            case SequenceNode sequence -> {
                List<Object> list = new ArrayList<>(sequence.getValue().size());
                for (Node item : sequence.getValue()) {
                    list.add(plain(item));
                }
                yield list;
            }
            case MappingNode mapping -> {
                Map<String, Object> map = new LinkedHashMap<>();
                List<Object> merged = new ArrayList<>();
                for (NodeTuple tuple : mapping.getValue()) {
                    if (tuple.getKeyNode().getTag().equals(Tag.MERGE)) {
                        merged.add(plain(tuple.getValueNode()));
                        continue;
                    }
                    Object key = plain(tuple.getKeyNode());
                    map.put(String.valueOf(key), plain(tuple.getValueNode()));
                }
                merged.forEach(source -> mergeInto(map, source));
                yield map;
            }
            default -> null;
        };
    }

    @SuppressWarnings("unchecked")
    private static void mergeInto(Map<String, Object> map, Object source) {
        if (source instanceof Map<?, ?> sourceMap) {
            ((Map<String, Object>) sourceMap).forEach(map::putIfAbsent);
        } else if (source instanceof List<?> list) {
            list.forEach(item -> mergeInto(map, item));
        }
    }

    private static Object scalar(ScalarNode node) {
        Tag tag = node.getTag();
        String text = node.getValue();
        if (tag.equals(Tag.STR)) {
            return text;
        } else if (tag.equals(Tag.NULL)) {
            return null;
        } else if (tag.equals(Tag.BOOL)) {
            return parseBool(text);
        } else if (tag.equals(Tag.INT)) {
            return parseInt(text);
        } else if (tag.equals(Tag.FLOAT)) {
            return parseFloat(text);
        }
        return text;
    }

    private static Object parseBool(String text) {
        return switch (text.toLowerCase()) {
            case "true", "yes", "on", "y" -> Boolean.TRUE;
            case "false", "no", "off", "n" -> Boolean.FALSE;
            default -> text;
        };
    }

    private static Object parseInt(String text) {
        String digits = text.replace("_", "");
        try {
            BigInteger value;
            if (digits.startsWith("0x") || digits.startsWith("-0x")) {
                value = new BigInteger(digits.replace("0x", ""), 16);
            } else if (digits.startsWith("0o")) {
                value = new BigInteger(digits.substring(2), 8);
            } else {
                value = new BigInteger(digits);
            }
            return narrow(value);
        } catch (NumberFormatException e) {
            return text;
        }
    }

    static Object narrow(BigInteger value) {
        if (value.bitLength() < 32) {
            return value.intValue();
        } else if (value.bitLength() < 64) {
            return value.longValue();
        }
        return value;
    }

    private static Object parseFloat(String text) {
        try {
            return Double.parseDouble(text.replace("_", ""));
        } catch (NumberFormatException e) {
            return text;
        }
    }

    static String describe(Node node) {
        return switch (node) {
            case ScalarNode scalar -> "'" + scalar.getValue() + "'";
            case SequenceNode ignored -> "a list";
            case MappingNode ignored -> "a mapping";
            default -> "something else";
        };
    }

    static boolean isNull(Node node) {
        return node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.NULL);
    }

    static String string(Node node) {
        if (node instanceof ScalarNode scalar && !scalar.getTag().equals(Tag.NULL)) {
            return scalar.getValue();
        }
        throw new InvalidValue("must be text, got " + describe(node));
    }

    static int integer(Node node) {
        return scalar(node, Integer.class, YamlValues::parseIntOrNull, "must be a whole number");
    }

    static boolean bool(Node node) {
        return scalar(
                node, Boolean.class, text -> parseBool(text) instanceof Boolean b ? b : null, "must be true or false");
    }

    /**
     * A scalar that YAML already typed as {@code type}, or text (a quoted value) that
     * {@code fromText} reads as one (null when it cannot); otherwise the error says what was
     * {@code expected} and what the user wrote.
     */
    private static <T> T scalar(Node node, Class<T> type, Function<String, T> fromText, String expected) {
        if (node instanceof ScalarNode scalar) {
            Object value = plain(scalar);
            if (type.isInstance(value)) {
                return type.cast(value);
            }
            if (value instanceof String s) {
                T parsed = fromText.apply(s.trim());
                if (parsed != null) {
                    return parsed;
                }
            }
        }
        throw new InvalidValue(expected + ", got " + describe(node));
    }

    private static Integer parseIntOrNull(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException notAWholeNumber) {
            return null; // reported by the caller with the value the user wrote
        }
    }

    /** A list of strings; a single string is accepted as a list of one. */
    static List<String> stringList(Node node) {
        if (node instanceof ScalarNode scalar && !scalar.getTag().equals(Tag.NULL)) {
            return List.of(scalar.getValue());
        }
        if (isNull(node)) {
            return List.of();
        }
        if (node instanceof SequenceNode sequence) {
            List<String> result = new ArrayList<>(sequence.getValue().size());
            for (Node item : sequence.getValue()) {
                if (!(item instanceof ScalarNode scalar) || scalar.getTag().equals(Tag.NULL)) {
                    throw new InvalidValue("must be a list of names, but an item is " + describe(item));
                }
                result.add(scalar.getValue());
            }
            return result;
        }
        throw new InvalidValue("must be a list, got " + describe(node));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> mapping(Node node) {
        if (isNull(node)) {
            return Map.of();
        }
        if (node instanceof MappingNode) {
            return (Map<String, Object>) plain(node);
        }
        throw new InvalidValue("must be a mapping of names to values, got " + describe(node));
    }
}
