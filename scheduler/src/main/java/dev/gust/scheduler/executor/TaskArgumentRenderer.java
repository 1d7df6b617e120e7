package dev.gust.scheduler.executor;

import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.TaskSpec;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.runs.TaskInstance;
import dev.gust.core.template.SecretMasker;
import java.util.Map;

/**
 * Renders a task's arguments for one try (Jinja templates with Airflow's context). Secrets it
 * looks up are registered with the masker so that the task's log never shows them.
 */
interface TaskArgumentRenderer {

    /** @throws RuntimeException whose message says which argument failed and why */
    Map<String, Object> render(Dag dag, TaskSpec task, DagRun run, TaskInstance ti, SecretMasker masker);

    /**
     * Renders the task's {@code map_index_template} with the same context, {@code task} holding
     * the instance's rendered arguments ({@code args}) and the names its code added to its context
     * ({@code added}), as Airflow names a mapped instance.
     *
     * @throws RuntimeException whose message says why the template failed
     */
    String renderMapIndex(
            Dag dag,
            TaskSpec task,
            DagRun run,
            TaskInstance ti,
            Map<String, Object> args,
            Map<String, Object> added,
            SecretMasker masker);
}
