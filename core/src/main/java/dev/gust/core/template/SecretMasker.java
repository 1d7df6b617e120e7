package dev.gust.core.template;

import dev.gust.core.store.secrets.SensitiveNames;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers the secret values a task has read (connection passwords, sensitive variables) and
 * replaces them with {@code ***} in lines of its log, as Airflow's secrets masker does.
 *
 * <p>Secrets shorter than {@value #MIN_SECRET_LENGTH} characters are ignored: masking every
 * "a" or "1" in a log would destroy it and hide nothing. A variable is sensitive when its name
 * contains (case-insensitively) one of Airflow's sensitive field names, plus {@code key} as a
 * catch-all for {@code api_key}, {@code private_key}, {@code access_key}. Safe to use from many
 * threads.
 */
public final class SecretMasker {

    public static final int MIN_SECRET_LENGTH = 3;
    public static final String MASK = SensitiveNames.MASK;

    private final Set<String> secrets = ConcurrentHashMap.newKeySet();
    // Longest first, so that a secret containing another one is masked whole.
    private volatile List<String> longestFirst = List.of();

    /** Whether values under this name are secrets: {@link SensitiveNames}, the one rule. */
    public static boolean isSensitiveName(String name) {
        return SensitiveNames.isSensitive(name);
    }

    /** Remembers a secret; null and too-short values are ignored. */
    public void add(String secret) {
        if (secret == null || secret.length() < MIN_SECRET_LENGTH || !secrets.add(secret)) {
            return;
        }
        synchronized (this) {
            longestFirst = secrets.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
        }
    }

    /** Remembers every string inside a decoded JSON value (maps, lists, strings). */
    public void addAll(Object value) {
        switch (value) {
            case String s -> add(s);
            case java.util.Map<?, ?> m -> m.values().forEach(this::addAll);
            case java.util.Collection<?> c -> c.forEach(this::addAll);
            case null, default -> { }
        }
    }

    public String mask(String line) {
        if (line == null || line.isEmpty()) {
            return line;
        }
        String masked = line;
        for (String secret : longestFirst) {
            masked = masked.replace(secret, MASK);
        }
        return masked;
    }

    public boolean isEmpty() {
        return secrets.isEmpty();
    }
}
