package dev.gust.core.store.connections;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A connection written as one URI, the way Airflow accepts it in {@code --conn-uri} and in
 * {@code AIRFLOW_CONN_*} variables: {@code TYPE://[LOGIN[:PASSWORD]@]HOST[:PORT][/SCHEMA][?EXTRA]}.
 * The scheme is the connection type ({@code postgresql} becomes {@code postgres}, dashes become
 * underscores; {@code https} stays {@code https}); login, password, host and schema are
 * percent-decoded; the query becomes the extra as a JSON object, unless it carries the whole
 * extra as JSON in {@code __extra__}. A host that needs its own protocol is written
 * {@code TYPE://PROTOCOL://HOST...}. Parsing is deliberately lenient like Python's urlsplit
 * (characters Java's {@link java.net.URI} rejects are accepted), and error messages never repeat
 * the URI, since it may hold a password.
 */
public record ConnectionUri(
        String connType, String host, String schema, String login, String password, Integer port, String extra) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*");
    private static final String FORM = "TYPE://[LOGIN[:PASSWORD]@]HOST[:PORT][/SCHEMA][?KEY=VALUE&...]";
    private static final String EXTRA_KEY = "__extra__";

    /**
     * Parses {@code uri}.
     *
     * @throws IllegalArgumentException with a one-line message (without the URI) when it is not a
     *         connection URI
     */
    public static ConnectionUri parse(String uri) {
        if (uri == null || uri.isBlank()) {
            throw invalid("it is empty");
        }
        String trimmed = uri.strip();
        int schemeEnd = trimmed.indexOf("://");
        if (schemeEnd < 0) {
            throw invalid("it has no TYPE:// prefix");
        }
        String scheme = trimmed.substring(0, schemeEnd);
        if (!SCHEME.matcher(scheme).matches()) {
            throw invalid("the connection type '" + scheme
                    + "' must start with a letter and hold only letters, digits, '+', '-' and '.'");
        }
        String rest = trimmed.substring(schemeEnd + 3);
        String protocol = null;
        int nested = rest.indexOf("://");
        if (nested >= 0) {
            protocol = rest.substring(0, nested);
            if (rest.indexOf("://", nested + 3) >= 0) {
                throw invalid("it holds more than two '://'");
            }
            if (!SCHEME.matcher(protocol).matches()) {
                throw invalid("the host protocol in TYPE://PROTOCOL://HOST must be a plain scheme such as https");
            }
            rest = rest.substring(nested + 3);
        }

        int fragment = rest.indexOf('#');
        if (fragment >= 0) {
            rest = rest.substring(0, fragment);
        }
        String query = null;
        int queryStart = rest.indexOf('?');
        if (queryStart >= 0) {
            query = rest.substring(queryStart + 1);
            rest = rest.substring(0, queryStart);
        }
        int pathStart = rest.indexOf('/');
        String netloc = pathStart >= 0 ? rest.substring(0, pathStart) : rest;
        String path = pathStart >= 0 ? rest.substring(pathStart + 1) : "";

        String login = null;
        String password = null;
        String hostPort = netloc;
        int at = netloc.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = netloc.substring(0, at);
            hostPort = netloc.substring(at + 1);
            int colon = userInfo.indexOf(':');
            login = emptyToNull(decode(colon >= 0 ? userInfo.substring(0, colon) : userInfo, false));
            password = colon >= 0 ? emptyToNull(decode(userInfo.substring(colon + 1), false)) : null;
        }

        String host = hostPort;
        String portText = null;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                throw invalid("the IPv6 host has no closing ']'");
            }
            host = hostPort.substring(1, close);
            String after = hostPort.substring(close + 1);
            if (after.startsWith(":")) {
                portText = after.substring(1);
            } else if (!after.isEmpty()) {
                throw invalid("unexpected text after the IPv6 host");
            }
        } else {
            int colon = hostPort.lastIndexOf(':');
            if (colon >= 0) {
                host = hostPort.substring(0, colon);
                portText = hostPort.substring(colon + 1);
            }
        }
        host = emptyToNull(decode(host, false));
        if (host != null && protocol != null) {
            host = protocol + "://" + host;
        }

        return new ConnectionUri(
                normalizeType(scheme),
                host,
                emptyToNull(decode(path, false)),
                login,
                password,
                port(portText),
                query == null || query.isEmpty() ? null : extra(query));
    }

    /** This URI's fields as a connection named {@code connId}. */
    public Connection toConnection(String connId, String description) {
        return new Connection(connId, connType, description, host, schema, login, password, port, extra);
    }

    @Override
    public String toString() {
        return "ConnectionUri[connType=" + connType + ", host=" + host + ", schema=" + schema + ", login=" + login
                + ", password=" + (password == null ? null : "***") + ", port=" + port
                + ", extra=" + (extra == null ? null : "***") + "]";
    }

    private static String normalizeType(String scheme) {
        String lower = scheme.toLowerCase(Locale.ROOT);
        return lower.equals("postgresql") ? "postgres" : lower.replace('-', '_');
    }

    private static Integer port(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        if (!text.chars().allMatch(Character::isDigit) || text.length() > 5 || Integer.parseInt(text) > 65535) {
            throw invalid("the port '" + text + "' is not a number from 0 to 65535");
        }
        return Integer.parseInt(text);
    }

    private static String extra(String query) {
        ObjectNode fields = JSON.createObjectNode();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String key = decode(equals >= 0 ? pair.substring(0, equals) : pair, true);
            String value = equals >= 0 ? decode(pair.substring(equals + 1), true) : "";
            fields.put(key, value);
        }
        if (fields.has(EXTRA_KEY)) {
            String extra = fields.get(EXTRA_KEY).asText();
            try {
                JsonNode parsed = JSON.readTree(extra);
                if (parsed == null || !parsed.isObject()) {
                    throw invalid(EXTRA_KEY + " must be a JSON object");
                }
                return JSON.writeValueAsString(parsed);
            } catch (JsonProcessingException e) {
                throw invalid(EXTRA_KEY + " is not valid JSON: " + e.getOriginalMessage());
            }
        }
        return fields.isEmpty() ? null : fields.toString();
    }

    /** Percent-decoding as UTF-8; a '%' not followed by two hex digits stays as it is, as in Python's unquote. */
    private static String decode(String text, boolean plusAsSpace) {
        if (text.indexOf('%') < 0 && !(plusAsSpace && text.indexOf('+') >= 0)) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int i = 0;
        while (i < text.length()) {
            int c = text.codePointAt(i);
            if (c == '%' && i + 2 < text.length() && isHex(text.charAt(i + 1)) && isHex(text.charAt(i + 2))) {
                bytes.write(Character.digit(text.charAt(i + 1), 16) * 16 + Character.digit(text.charAt(i + 2), 16));
                i += 3;
                continue;
            }
            if (c == '+' && plusAsSpace) {
                bytes.write(' ');
            } else {
                bytes.writeBytes(Character.toString(c).getBytes(StandardCharsets.UTF_8));
            }
            i += Character.charCount(c);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }

    private static String emptyToNull(String text) {
        return text == null || text.isEmpty() ? null : text;
    }

    private static IllegalArgumentException invalid(String why) {
        return new IllegalArgumentException("invalid connection URI: " + why + "; expected " + FORM);
    }
}
