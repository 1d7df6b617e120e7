package dev.gust.core.template;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The {@code shell_quote} filter (alias {@code sh}): makes a value one literal word of a POSIX
 * shell command, whatever it contains, so that {@code echo {{ params.report | sh }}} cannot be
 * turned into a second command by a run's conf. A string is put in single quotes, with each
 * {@code '} written as {@code '\''}; a list becomes one quoted word per item, separated by
 * spaces (for {@code for x in {{ params.regions | sh }}}); a mapping becomes its JSON, quoted;
 * null the empty word {@code ''}; numbers and booleans their text, quoted.
 */
final class ShellQuoteFilter implements Filter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;

    private ShellQuoteFilter(String name) {
        this.name = name;
    }

    static List<Filter> all() {
        return List.of(new ShellQuoteFilter("shell_quote"), new ShellQuoteFilter("sh"));
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
        return quote(var);
    }

    static String quote(Object value) {
        return switch (value) {
            case null -> "''";
            case Iterable<?> items -> words(items);
            case Object[] items -> words(Arrays.asList(items));
            case Map<?, ?> map -> word(json(map));
            default -> word(String.valueOf(value));
        };
    }

    private static String words(Iterable<?> items) {
        List<String> quoted = new ArrayList<>();
        for (Object item : items) {
            quoted.add(item instanceof Iterable<?> || item instanceof Map<?, ?> ? word(json(item)) : quote(item));
        }
        return String.join(" ", quoted);
    }

    private static String word(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }
}
