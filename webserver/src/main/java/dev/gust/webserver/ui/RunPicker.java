package dev.gust.webserver.ui;

import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.runs.DagRunRepository;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;

/**
 * The run a per-run tab shows ({@code ?run_id=}, else the newest) and the choices of its picker:
 * each run named by its logical date and state, as Airflow's run picker, not by its raw id.
 */
public final class RunPicker {

    /** One choice: the run's id (the form's value) and what the user reads. */
    public record Choice(String runId, String label, boolean selected) {}

    private RunPicker() {}

    static DagRun selected(Context ctx, String dagId, List<DagRun> recent, DagRunRepository runs) {
        String wanted = ctx.queryParam("run_id");
        if (wanted == null || wanted.isBlank()) {
            return recent.isEmpty() ? null : recent.getFirst();
        }
        return recent.stream()
                .filter(run -> run.runId().equals(wanted))
                .findFirst()
                .or(() -> runs.find(dagId, wanted))
                .orElseThrow(() -> new PageNotFound("DAG '" + dagId + "' has no run '" + wanted + "'."));
    }

    static List<Choice> choices(List<DagRun> recent, DagRun selected) {
        List<DagRun> listed = new ArrayList<>(recent);
        if (selected != null && listed.stream().noneMatch(run -> run.id() == selected.id())) {
            listed.addFirst(selected);
        }
        return listed.stream()
                .map(run -> new Choice(
                        run.runId(),
                        Fmt.INSTANCE.utc(run.logicalDate()) + " · "
                                + run.state().dbName() + " · " + run.runType(),
                        selected != null && run.id() == selected.id()))
                .toList();
    }
}
