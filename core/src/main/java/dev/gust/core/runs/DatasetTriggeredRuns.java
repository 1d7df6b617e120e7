package dev.gust.core.runs;

import dev.gust.core.dag.model.DatasetCondition;
import dev.gust.core.dag.serialize.DagDefinitions;
import dev.gust.core.schedule.RunIds;
import dev.gust.core.schedule.RunType;
import dev.gust.core.store.Stores;
import dev.gust.core.store.datasets.DatasetEvent;
import dev.gust.core.store.datasets.DatasetRepository;
import dev.gust.core.store.datasets.QueuedEvent;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.runs.NewDagRun;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Creates {@code dataset_triggered} runs: for each active, unpaused DAG scheduled on datasets whose
 * queued updates satisfy its condition, one run, as Airflow's scheduler does. Its logical date is
 * the latest queued update; its data interval spans the events it consumes (those of the DAG's
 * datasets since its previous dataset-triggered run), which are linked to it. Safe with any
 * number of schedulers and kills: per DAG, the run is inserted, linked and the queue rows it
 * consumed deleted in one transaction, under a lock on the DAG's row that another scheduler
 * skips instead of waiting for.
 */
public final class DatasetTriggeredRuns {

    private final Stores stores;
    private final DagDefinitions definitions;

    public DatasetTriggeredRuns(Stores stores, DagDefinitions definitions) {
        this.stores = stores;
        this.definitions = definitions;
    }

    /** Creates the runs whose conditions are satisfied now; returns them. */
    public List<DagRun> createDue() {
        List<DagRun> created = new ArrayList<>();
        for (String dagId : stores.datasets().consumersWithQueuedEvents()) {
            DagDefinitions.Loaded loaded = definitions.get(dagId).orElse(null);
            if (loaded == null) {
                continue;
            }
            stores.inTransaction(tx -> createIfSatisfied(tx, loaded)).ifPresent(created::add);
        }
        return created;
    }

    private Optional<DagRun> createIfSatisfied(Stores tx, DagDefinitions.Loaded loaded) {
        String dagId = loaded.dag().dagId();
        DatasetRepository datasets = tx.datasets();
        if (!datasets.lockConsumer(dagId)) {
            return Optional.empty();
        }
        Optional<DatasetCondition> condition = DatasetCondition.of(loaded.dag().schedule());
        if (condition.isEmpty()) {
            // the DAG is no longer scheduled on datasets: what was queued for it never runs it
            datasets.deleteQueued(dagId, null, null);
            return Optional.empty();
        }
        List<QueuedEvent> queue = datasets.lockQueue(dagId);
        Set<String> updated = queue.stream().map(QueuedEvent::uri).collect(Collectors.toSet());
        if (queue.isEmpty() || !condition.get().isSatisfiedBy(updated)) {
            return Optional.empty();
        }
        Instant logicalDate = queue.stream()
                .map(QueuedEvent::createdAt)
                .max(Comparator.naturalOrder())
                .orElseThrow();
        List<DatasetEvent> events =
                datasets.eventsFor(dagId, datasets.previousTriggeredRun(dagId, logicalDate), logicalDate);
        Instant start = events.stream()
                .map(DatasetEvent::timestamp)
                .min(Comparator.naturalOrder())
                .orElse(logicalDate);
        Instant end = events.stream()
                .map(DatasetEvent::timestamp)
                .max(Comparator.naturalOrder())
                .orElse(logicalDate);
        Optional<DagRun> run = tx.dagRuns()
                .create(new NewDagRun(
                        dagId,
                        RunIds.generate(RunType.DATASET_TRIGGERED, logicalDate),
                        logicalDate,
                        start,
                        end,
                        RunType.DATASET_TRIGGERED.prefix(),
                        "{}",
                        false,
                        loaded.versionHash(),
                        null));
        if (run.isEmpty()) {
            // a run at that very instant exists (a manual one): the queue waits for the next update
            return Optional.empty();
        }
        datasets.link(run.get().id(), events.stream().map(DatasetEvent::id).toList());
        datasets.dequeue(dagId, queue.stream().map(QueuedEvent::datasetId).toList());
        return run;
    }
}
