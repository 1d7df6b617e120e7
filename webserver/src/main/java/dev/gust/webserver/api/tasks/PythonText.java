package dev.gust.webserver.api.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * The text Python's {@code str()} makes of a JSON value, which is what Airflow's XCom endpoint
 * sends by default ({@code stringify=true}): {@code {'rows': 3}}, {@code [1, 2]}, {@code True},
 * {@code None}; a string is itself. Clients written against Airflow parse these, so Gust writes
 * them the same way.
 */
final class PythonText {

    private PythonText() {}

    static String str(JsonNode value) {
        return value.isTextual() ? value.asText() : repr(value);
    }

    private static String repr(JsonNode value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    private static void write(JsonNode value, StringBuilder out) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            out.append("None");
        } else if (value.isBoolean()) {
            out.append(value.asBoolean() ? "True" : "False");
        } else if (value.isIntegralNumber()) {
            out.append(value.bigIntegerValue());
        } else if (value.isNumber()) {
            out.append(floatRepr(value.doubleValue()));
        } else if (value.isTextual()) {
            out.append(stringRepr(value.asText()));
        } else if (value.isArray()) {
            out.append('[');
            for (int i = 0; i < value.size(); i++) {
                if (i > 0) {
                    out.append(", ");
                }
                write(value.get(i), out);
            }
            out.append(']');
        } else {
            out.append('{');
            Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
            boolean first = true;
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (!first) {
                    out.append(", ");
                }
                first = false;
                out.append(stringRepr(field.getKey())).append(": ");
                write(field.getValue(), out);
            }
            out.append('}');
        }
    }

    /** Python's float repr for the usual cases: {@code 1.0}, {@code 0.5}, {@code 1e+20}, {@code inf}. */
    static String floatRepr(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        double abs = Math.abs(d);
        if (abs != 0 && (abs >= 1e16 || abs < 1e-4)) {
            // Java writes these as 1.5E20 (shortest digits too); Python as 1.5e+20
            String[] parts = Double.toString(d).split("E");
            String mantissa = parts[0].endsWith(".0") ? parts[0].substring(0, parts[0].length() - 2) : parts[0];
            int exponent = Integer.parseInt(parts[1]);
            return mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
        }
        String text = java.math.BigDecimal.valueOf(d).toPlainString();
        return text.contains(".") ? text : text + ".0";
    }

    /** Python's string repr: single quotes unless the text holds one and no double quote. */
    static String stringRepr(String s) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder out = new StringBuilder().append(quote);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c == quote) {
                        out.append('\\').append(c);
                    } else if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append(quote).toString();
    }
}
