package dev.gust.core.template;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Python's {@code ast.literal_eval} for the literals a rendered template can spell: numbers,
 * strings, {@code True}/{@code False}/{@code None}, lists, tuples (as lists) and dicts, nested.
 * What Airflow's {@code render_template_as_native_obj} (Jinja's {@code NativeEnvironment}) turns a
 * template's output into; anything else (sets, expressions, leading whitespace, which Python reads
 * as an indent) is not a literal and stays text. Values are Java's: Integer/Long/BigInteger,
 * Double, String, Boolean, null, List, Map.
 */
final class PythonLiteral {

    /** Stands for Python's {@code None}, which Optional cannot hold. */
    private static final Object NONE = new Object();

    private final String text;
    private int at;

    private PythonLiteral(String text) {
        this.text = text;
    }

    /**
     * The value {@code text} spells, or empty when it is not one literal. A present Optional
     * holding null cannot exist, so Python's None comes back as {@link #isNone}.
     */
    static Optional<Object> parse(String text) {
        if (text.isEmpty() || Character.isWhitespace(text.charAt(0))) {
            return Optional.empty();
        }
        PythonLiteral parser = new PythonLiteral(text);
        try {
            Object value = parser.value();
            parser.skipSpace();
            if (parser.at != text.length()) {
                return Optional.empty();
            }
            return Optional.of(value);
        } catch (NotALiteral | NumberFormatException e) {
            return Optional.empty();
        }
    }

    static boolean isNone(Object parsed) {
        return parsed == NONE;
    }

    private static final class NotALiteral extends RuntimeException {
        NotALiteral() {
            super(null, null, false, false);
        }
    }

    private Object value() {
        skipSpace();
        if (at >= text.length()) {
            throw new NotALiteral();
        }
        char c = text.charAt(at);
        return switch (c) {
            case '[' -> plainItems(list());
            case '(' -> parenthesised();
            case '{' -> dict();
            case '\'', '"' -> string();
            default -> c == '-' || c == '+' || c == '.' || Character.isDigit(c) ? number() : word();
        };
    }

    private List<Object> list() {
        List<Object> items = new ArrayList<>();
        items(']', items);
        return items;
    }

    /** {@code (x)} is x in Python; {@code (x,)} and {@code (x, y)} are tuples, lists here. */
    private Object parenthesised() {
        List<Object> items = new ArrayList<>();
        boolean trailingComma = items(')', items);
        return items.size() == 1 && !trailingComma ? items.getFirst() : plainItems(items);
    }

    /** Reads comma-separated values up to {@code close}; true when the last one had a comma after it. */
    private boolean items(char close, List<Object> items) {
        at++;
        boolean comma = true;
        while (true) {
            skipSpace();
            if (peek(close)) {
                at++;
                return comma && !items.isEmpty();
            }
            if (!comma) {
                throw new NotALiteral();
            }
            items.add(value());
            skipSpace();
            comma = peek(',');
            if (comma) {
                at++;
            }
        }
    }

    private static List<Object> plainItems(List<Object> items) {
        items.replaceAll(PythonLiteral::plain);
        return items;
    }

    private Map<Object, Object> dict() {
        at++;
        Map<Object, Object> map = new LinkedHashMap<>();
        boolean comma = true;
        while (true) {
            skipSpace();
            if (peek('}')) {
                at++;
                return map;
            }
            if (!comma) {
                throw new NotALiteral();
            }
            Object key = plain(value());
            skipSpace();
            if (!peek(':')) {
                throw new NotALiteral(); // a set, or not a literal at all
            }
            at++;
            map.put(key, plain(value()));
            skipSpace();
            comma = peek(',');
            if (comma) {
                at++;
            }
        }
    }

    private String string() {
        char quote = text.charAt(at++);
        StringBuilder out = new StringBuilder();
        while (at < text.length()) {
            char c = text.charAt(at++);
            if (c == quote) {
                return out.toString();
            }
            if (c == '\n') {
                throw new NotALiteral();
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (at >= text.length()) {
                throw new NotALiteral();
            }
            char escaped = text.charAt(at++);
            switch (escaped) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case '0' -> out.append('\0');
                case '\\', '\'', '"' -> out.append(escaped);
                default -> out.append('\\').append(escaped);
            }
        }
        throw new NotALiteral();
    }

    private Object number() {
        int start = at;
        if (peek('-') || peek('+')) {
            at++;
            skipSpace();
        }
        int digits = at;
        while (at < text.length()
                && (Character.isLetterOrDigit(text.charAt(at))
                        || "._".indexOf(text.charAt(at)) >= 0
                        || (at > digits
                                && "+-".indexOf(text.charAt(at)) >= 0
                                && "eE".indexOf(text.charAt(at - 1)) >= 0))) {
            at++;
        }
        String sign = text.charAt(start) == '-' ? "-" : "";
        String body = text.substring(digits, at).replace("_", "");
        if (body.isEmpty()) {
            throw new NotALiteral();
        }
        if (body.matches("[0-9]+")) {
            if (body.length() > 1 && body.startsWith("0")) {
                throw new NotALiteral(); // 007 is a syntax error in Python 3
            }
            BigInteger value = new BigInteger(sign + body);
            return value.bitLength() < 32
                    ? (Object) value.intValue()
                    : value.bitLength() < 64 ? (Object) value.longValue() : value;
        }
        if (body.matches("([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?")) {
            return new BigDecimal(sign + body).doubleValue();
        }
        throw new NotALiteral();
    }

    private Object word() {
        int start = at;
        while (at < text.length() && Character.isLetterOrDigit(text.charAt(at))) {
            at++;
        }
        return switch (text.substring(start, at)) {
            case "True" -> Boolean.TRUE;
            case "False" -> Boolean.FALSE;
            case "None" -> NONE;
            default -> throw new NotALiteral();
        };
    }

    private static Object plain(Object value) {
        return value == NONE ? null : value;
    }

    private boolean peek(char c) {
        return at < text.length() && text.charAt(at) == c;
    }

    private void skipSpace() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
    }
}
