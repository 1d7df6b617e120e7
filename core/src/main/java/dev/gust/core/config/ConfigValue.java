package dev.gust.core.config;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The effective value of one setting, typed and as written, and where it came from
 * ({@code default}, the config file's path, or the environment variable's name).
 */
public record ConfigValue(ConfigSetting setting, Object value, String text, String source) {

    private static final String MASK = "********";
    // postgresql://user:password@host/db and ...?password=x: a password may sit inside a URL setting
    private static final Pattern URL_PASSWORD = Pattern.compile("(://[^:/@]+:)([^@/]+)@");
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)(password=)([^&]+)");

    /** The value as text, with secrets masked and a password inside a database URL hidden. */
    public String displayValue() {
        if (setting.secret()) {
            return text.isEmpty() ? "" : MASK;
        }
        String shown = URL_PASSWORD.matcher(text).replaceAll("$1" + Matcher.quoteReplacement(MASK) + "@");
        return PASSWORD_PARAMETER.matcher(shown).replaceAll("$1" + Matcher.quoteReplacement(MASK));
    }

    /**
     * The secret parts of this value, for the task log masker: the whole text of a secret
     * setting, or the passwords inside a URL (as written and percent-decoded); empty otherwise.
     */
    public List<String> secrets() {
        if (text.isBlank()) {
            return List.of();
        }
        if (setting.secret()) {
            return List.of(text);
        }
        Set<String> found = new LinkedHashSet<>();
        for (Pattern pattern : List.of(URL_PASSWORD, PASSWORD_PARAMETER)) {
            Matcher m = pattern.matcher(text);
            while (m.find()) {
                found.add(m.group(2));
                try {
                    found.add(URLDecoder.decode(m.group(2), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException notEncoded) {
                    // kept as written
                }
            }
        }
        return List.copyOf(found);
    }
}
