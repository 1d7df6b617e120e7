package dev.gust.scheduler.executor;

import dev.gust.core.config.GustConfig;
import dev.gust.core.store.runs.RunFilter;

/** Builds the executors from the parts a process's composition root built. */
public final class Executors {

    private Executors() {}

    /** The local executor: tasks run as threads and subprocesses of this process. */
    public static LocalExecutor local(WorkerContext context, long jobId, Runnable onTaskFinished, RunFilter runFilter) {
        return new LocalExecutor(
                TaskRunServices.of(context), context.config().core().parallelism(), jobId, onTaskFinished, runFilter);
    }

    /**
     * The executor {@code core.executor} names: local, or ECS with a client configured the SDK's
     * standard way (region, credentials, {@code AWS_ENDPOINT_URL}). A missing ECS setting fails
     * here, with one line naming the key.
     */
    public static TaskExecutor forEngine(
            WorkerContext context, long jobId, Runnable onTaskFinished, RunFilter runFilter) {
        GustConfig config = context.config();
        if (!config.core().executor().equals(EcsExecutor.NAME)) {
            return local(context, jobId, onTaskFinished, runFilter);
        }
        GustConfig.Ecs ecs = config.ecs().requireComplete();
        TaskRunServices services = TaskRunServices.of(context);
        software.amazon.awssdk.services.ecs.EcsClient client = software.amazon.awssdk.services.ecs.EcsClient.builder()
                .httpClientBuilder(software.amazon.awssdk.http.apache.ApacheHttpClient.builder())
                .build();
        // Adopt well before the zombie sweep would fail the rows of a silent scheduler: a Fargate
        // task can take a minute to start its worker, and until then only a scheduler heartbeats its row.
        java.time.Duration adoptAfter = java.util.Collections.min(java.util.List.of(
                config.scheduler().healthCheckThreshold(),
                config.scheduler().zombieThreshold().dividedBy(2)));
        return new EcsExecutor(
                services,
                client,
                new EcsExecutor.Settings(
                        ecs,
                        config.core().parallelism(),
                        jobId,
                        adoptAfter,
                        onTaskFinished,
                        runFilter,
                        context.clock()));
    }
}
