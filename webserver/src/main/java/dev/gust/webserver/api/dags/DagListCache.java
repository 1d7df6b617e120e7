package dev.gust.webserver.api.dags;

import dev.gust.core.store.dags.DagQuery;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The JSON of recent {@code GET /dags} answers, each kept with the {@link DagQuery.Fingerprint}
 * of the database it was computed from. Every request still asks the database for the current
 * fingerprint, so a change made by any process (the scheduler's DAG sync, another web server) is
 * seen at once; only when nothing changed is the stored JSON sent again instead of reading and
 * writing 100 DAGs. Bounded: past {@value #MAX_ENTRIES} distinct queries it starts over.
 */
final class DagListCache {

    private static final int MAX_ENTRIES = 256;

    private record Entry(DagQuery.Fingerprint fingerprint, byte[] json) {}

    private final Map<Object, Entry> entries = new ConcurrentHashMap<>();

    /** The JSON for {@code query} (a value with structural equality, e.g. a record of the parameters): the stored one while {@code current} equals its fingerprint, else a new one. */
    byte[] get(Object query, DagQuery.Fingerprint current, Supplier<byte[]> compute) {
        Entry entry = entries.get(query);
        if (entry != null && entry.fingerprint().equals(current)) {
            return entry.json();
        }
        byte[] json = compute.get();
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        entries.put(query, new Entry(current, json));
        return json;
    }
}
