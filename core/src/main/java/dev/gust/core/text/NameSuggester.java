package dev.gust.core.text;

import java.util.Collection;
import java.util.Optional;

/**
 * Finds the known name closest to a misspelt one (Levenshtein distance), for "did you mean"
 * hints. Only close matches are suggested: a wild guess is worse than none.
 */
public final class NameSuggester {

    private NameSuggester() {}

    public static Optional<String> closest(String input, Collection<String> candidates) {
        int allowed = Math.max(1, Math.min(3, input.length() / 3));
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = distance(input.toLowerCase(), candidate.toLowerCase());
            if (distance < bestDistance) {
                bestDistance = distance;
                best = candidate;
            }
        }
        return bestDistance <= allowed ? Optional.ofNullable(best) : Optional.empty();
    }

    public static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** {@code "; did you mean 'x'?"} or an empty string. */
    public static String hint(String input, Collection<String> candidates) {
        return closest(input, candidates)
                .map(s -> "; did you mean '" + s + "'?")
                .orElse("");
    }
}
