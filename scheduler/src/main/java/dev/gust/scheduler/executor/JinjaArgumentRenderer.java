package dev.gust.scheduler.executor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.TaskSpec;
import dev.gust.core.store.connections.ConnectionRepository;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.runs.DagRunRepository;
import dev.gust.core.store.runs.TaskInstance;
import dev.gust.core.store.runs.XComRepository;
import dev.gust.core.store.variables.Variable;
import dev.gust.core.store.variables.VariableRepository;
import dev.gust.core.template.SecretMasker;
import dev.gust.core.template.TemplateConnection;
import dev.gust.core.template.TemplateContext;
import dev.gust.core.template.TemplateRenderer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Renders a task's arguments with {@link TemplateRenderer} (Jinja, Airflow's context), looking
 * Variables, Connections and XComs up in the metadata database; as native values when the DAG
 * sets {@code render_template_as_native_obj}.
 */
final class JinjaArgumentRenderer implements TaskArgumentRenderer {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TemplateRenderer renderer = new TemplateRenderer();
    private final VariableRepository variables;
    private final ConnectionRepository connections;
    private final XComRepository xcoms;
    private final DagRunRepository dagRuns;

    JinjaArgumentRenderer(
            VariableRepository variables,
            ConnectionRepository connections,
            XComRepository xcoms,
            DagRunRepository dagRuns) {
        this.variables = variables;
        this.connections = connections;
        this.xcoms = xcoms;
        this.dagRuns = dagRuns;
    }

    @Override
    public Map<String, Object> render(Dag dag, TaskSpec task, DagRun run, TaskInstance ti, SecretMasker masker) {
        Map<String, Object> rendered = new LinkedHashMap<>();
        if (task.args().isEmpty()) {
            // nothing to render (an empty task): the context costs more than the rest of such a try
            return rendered;
        }
        TemplateContext context = context(dag, task, run, ti, masker, Map.of(), Map.of());
        task.args()
                .forEach((name, value) -> rendered.put(
                        name,
                        dag.renderTemplateAsNativeObj()
                                ? renderer.renderNative(name, value, context)
                                : renderer.render(name, value, context)));
        return rendered;
    }

    @Override
    public String renderMapIndex(
            Dag dag,
            TaskSpec task,
            DagRun run,
            TaskInstance ti,
            Map<String, Object> args,
            Map<String, Object> added,
            SecretMasker masker) {
        TemplateContext context = context(dag, task, run, ti, masker, args, added);
        return String.valueOf(renderer.render("map_index_template", task.mapIndexTemplate(), context));
    }

    private TemplateContext context(
            Dag dag,
            TaskSpec task,
            DagRun run,
            TaskInstance ti,
            SecretMasker masker,
            Map<String, Object> taskFields,
            Map<String, Object> added) {
        return TemplateContext.builder(dag.dagId(), task.taskId(), run.runId(), run.logicalDate())
                .dataInterval(run.dataIntervalStart(), run.dataIntervalEnd())
                .timezone(dag.timezone())
                .tryNumber(ti.tryNumber())
                .mapIndex(ti.key().mapIndex())
                .dagParams(dag.paramsOf(task))
                .conf(conf(run))
                .variables(key -> variables.find(key).map(Variable::value))
                .connections(connId -> connections
                        .find(connId)
                        .map(c -> new TemplateConnection(
                                c.connType(),
                                c.host(),
                                c.schema(),
                                c.login(),
                                c.password(),
                                c.port(),
                                extra(c.extra()))))
                .xcoms((dagId, taskId, key, mapIndex) -> pull(run, dagId, taskId, key, mapIndex))
                .masker(masker)
                .taskFields(taskFields)
                .addedNames(added)
                .build();
    }

    private Optional<Object> pull(DagRun run, String dagId, String taskId, String key, int mapIndex) {
        String runId = dagId.equals(run.dagId())
                ? run.runId()
                : dagRuns.findByLogicalDate(dagId, run.logicalDate())
                        .map(DagRun::runId)
                        .orElse(null);
        if (runId == null) {
            return Optional.empty();
        }
        // no map index: the task's value, or the list of a mapped task's values
        Optional<String> json =
                mapIndex < 0 ? xcoms.pull(dagId, runId, taskId, key) : xcoms.pull(dagId, runId, taskId, key, mapIndex);
        return json.map(JinjaArgumentRenderer::decode);
    }

    private static Object decode(String json) {
        try {
            return JSON.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored XCom is not JSON: " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> conf(DagRun run) {
        try {
            return run.conf() == null
                    ? Map.of()
                    : JSON.readValue(run.conf(), new TypeReference<Map<String, Object>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the run's conf is not a JSON object: " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> extra(String extra) {
        if (extra == null || extra.isBlank()) {
            return Map.of();
        }
        try {
            return JSON.readValue(extra, new TypeReference<Map<String, Object>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a connection's extra is not a JSON object");
        }
    }
}
