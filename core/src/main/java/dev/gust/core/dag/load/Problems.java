package dev.gust.core.dag.load;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects the problems found in one DAG file. The same line and message are kept once, because
 * a bad value in a shared {@code default_args} block would otherwise be reported for every task.
 */
final class Problems {

    private record Key(int line, String message) {}

    private final String file;
    private final Set<Key> found = new LinkedHashSet<>();

    Problems(String file) {
        this.file = file;
    }

    void add(int line, String message) {
        found.add(new Key(line, message));
    }

    void addAll(Problems other) {
        found.addAll(other.found);
    }

    boolean isEmpty() {
        return found.isEmpty();
    }

    String file() {
        return file;
    }

    int count() {
        return found.size();
    }

    List<ImportError> toImportErrors() {
        List<ImportError> errors = new ArrayList<>(found.size());
        for (Key key : found) {
            errors.add(new ImportError(file, key.line(), key.message()));
        }
        errors.sort(Comparator.comparingInt(ImportError::line));
        return errors;
    }
}
