package dev.gust.core.dag.serialize;

import dev.gust.core.dag.model.Dag;
import dev.gust.core.state.PriorityWeights;
import dev.gust.core.store.dags.DagRepository;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The DAGs the scheduler works with, read from their serialized form in the database (never
 * from files) and kept in memory per version hash: a DAG is deserialized again only when its
 * file changed. Thread-safe.
 */
public final class DagDefinitions {

    private final DagRepository dags;
    private final DagSerializer serializer = new DagSerializer();
    private final Map<String, Loaded> byId = new ConcurrentHashMap<>();

    public DagDefinitions(DagRepository dags) {
        this.dags = dags;
    }

    /** The current definitions of these DAGs, refreshed where their hash changed. */
    public Map<String, Loaded> current(Collection<String> dagIds) {
        Map<String, DagRepository.VersionAndPause> versions = dags.versions(dagIds);
        Map<String, Loaded> result = new HashMap<>();
        versions.forEach((dagId, version) -> {
            Loaded loaded = byId.get(dagId);
            if (loaded == null || !loaded.versionHash().equals(version.versionHash())) {
                loaded = loadOnce(dagId, version.versionHash());
            }
            if (loaded != null) {
                result.put(dagId, loaded.withPaused(version.paused()));
            }
        });
        return result;
    }

    /**
     * Loads a DAG whose cached definition is missing or older than {@code versionHash}, once: a
     * scheduler's threads (its round, the executor, the schedule triggers, the SLA check) all ask
     * for every DAG when it starts, and each used to deserialize it (a 5,000-task DAG takes a tenth
     * of a second); the others wait for the first one's result.
     */
    private Loaded loadOnce(String dagId, String versionHash) {
        // a cached one of this version was loaded while this thread waited; a DAG whose row is
        // gone by now is dropped from the cache (null removes it) and answered as absent
        return byId.compute(
                dagId,
                (id, cached) ->
                        cached != null && cached.versionHash().equals(versionHash) ? cached : read(id).orElse(null));
    }

    /** The current definition of one DAG. */
    public Optional<Loaded> get(String dagId) {
        return Optional.ofNullable(current(java.util.List.of(dagId)).get(dagId));
    }

    private Optional<Loaded> read(String dagId) {
        return dags.find(dagId)
                .flatMap(stored -> dags.serializedDag(dagId).map(json -> {
                    Dag dag = serializer.fromJson(json);
                    return new Loaded(dag, stored.versionHash(), PriorityWeights.compute(dag), stored.paused());
                }));
    }

    /** A DAG with what the scheduler derives from it once per version, and whether it is paused now. */
    public record Loaded(Dag dag, String versionHash, Map<String, Integer> priorityWeights, boolean paused) {
        Loaded withPaused(boolean nowPaused) {
            return nowPaused == paused ? this : new Loaded(dag, versionHash, priorityWeights, nowPaused);
        }
    }
}
