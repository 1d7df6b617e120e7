package dev.gust.core.template;

import dev.gust.core.store.secrets.SensitiveNames;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers the secret values a task has read (connection passwords, sensitive variables, Gust's
 * own configuration secrets) and replaces them with {@code ***} in everything the task leaves
 * behind: the lines of its log and the values it pushes to XCom, as Airflow's secrets masker does.
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
            longestFirst = secrets.stream()
                    .sorted(Comparator.comparingInt(String::length).reversed())
                    .toList();
        }
    }

    /** A masker that already knows {@code secrets} (Gust's configuration secrets, for every task). */
    public static SecretMasker of(Collection<String> secrets) {
        SecretMasker masker = new SecretMasker();
        secrets.forEach(masker::add);
        return masker;
    }

    /** Remembers every string inside a decoded JSON value (maps, lists, strings). */
    public void addAll(Object value) {
        switch (value) {
            case String s -> add(s);
            case Map<?, ?> m -> m.values().forEach(this::addAll);
            case Collection<?> c -> c.forEach(this::addAll);
            case null, default -> {}
        }
    }

    /**
     * Remembers the values under sensitive names inside a decoded JSON value, at any depth (a
     * connection's extra, a JSON Variable): {@code {"auth": {"api_token": "t"}}} registers "t".
     */
    public void addSensitive(Object value) {
        switch (value) {
            case Map<?, ?> m ->
                m.forEach((k, v) -> {
                    if (isSensitiveName(String.valueOf(k))) {
                        addAll(v);
                    } else {
                        addSensitive(v);
                    }
                });
            case Collection<?> c -> c.forEach(this::addSensitive);
            case null, default -> {}
        }
    }

    /**
     * A copy of a decoded JSON value fit to be stored where others read it (XCom): every known
     * secret inside its strings is masked, and so is the value under any sensitive name, at any
     * depth. A number or boolean that reads as a secret becomes {@link #MASK}.
     */
    public Object redact(Object value) {
        return switch (value) {
            case String s -> mask(s);
            case Map<?, ?> m -> {
                Map<Object, Object> copy = new LinkedHashMap<>();
                m.forEach((k, v) -> copy.put(
                        k instanceof String s ? mask(s) : k,
                        v != null && isSensitiveName(String.valueOf(k)) ? MASK : redact(v)));
                yield copy;
            }
            case List<?> l -> l.stream().map(this::redact).toList();
            case null -> null;
            default -> {
                String text = String.valueOf(value);
                yield mask(text).equals(text) ? value : MASK;
            }
        };
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
