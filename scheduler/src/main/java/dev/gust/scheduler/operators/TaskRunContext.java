package dev.gust.scheduler.operators;

import dev.gust.core.dag.model.TaskSpec;
import dev.gust.scheduler.operators.python.PythonSettings;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything an operator may use while it runs one try of a task instance. The executor builds
 * it: arguments rendered from templates, a log that goes to the database as it is written (with
 * secrets masked), XCom, Connections, and the few engine services operators need.
 */
public interface TaskRunContext {

    /** The task as declared (retries, pool, ... and the unrendered arguments). */
    TaskSpec task();

    String dagId();

    String runId();

    int mapIndex();

    int tryNumber();

    /** The logical date and data interval of the run. */
    Instant logicalDate();

    Instant dataIntervalStart();

    Instant dataIntervalEnd();

    /** The operator's arguments after template rendering (strings rendered, lists and maps deeply). */
    Map<String, Object> args();

    /** The task's log: each call is one line, visible in the UI while the task runs. */
    TaskLogWriter log();

    /** Stores an XCom value (any JSON-able value) under {@code key} for downstream tasks. */
    void pushXcom(String key, Object value);

    /** The connection with that id, secrets decrypted. */
    Optional<ConnectionDetails> connection(String connId);

    /** Creates a DAG run of another DAG (the {@code trigger_dagrun} operator); returns its run id. */
    String triggerDagRun(String dagId, Map<String, Object> conf, Instant logicalDate);

    /** The final state of a DAG run, if it has one yet ({@code trigger_dagrun} with wait_for_completion). */
    Optional<String> dagRunState(String dagId, String runId);

    /**
     * The states of a task's instances in the run of another DAG at a logical date (the {@code
     * external_task_sensor}): one for an unmapped task, one per instance of a mapped one (in
     * map_index order); empty when that run or task instance does not exist.
     */
    Optional<List<String>> externalTaskStates(String dagId, String taskId, Instant logicalDate);

    /**
     * The state of another DAG's run at a logical date ({@code external_task_sensor} without an
     * {@code external_task_id}), empty when there is no such run.
     */
    Optional<String> externalDagRunState(String dagId, Instant logicalDate);

    /**
     * The environment a task's subprocess starts from: a clean one (PATH, HOME, locale and what
     * {@code core.task_environment_passthrough} names), never Gust's own, which holds its secrets.
     */
    Map<String, String> baseEnvironment();

    /** When this try started (sensors' timeout counts from the first try in reschedule mode). */
    Instant tryStartedAt();

    /** When the first try of this task instance started, for sensors' {@code timeout}. */
    Instant firstTryStartedAt();

    /** The direct downstream task ids, for branches. */
    List<String> downstreamTaskIds();

    /**
     * A value another task pushed as XCom, decoded from JSON: of this DAG run when {@code dagId}
     * is this DAG, else of that DAG's run at the same logical date (as templates' xcom_pull).
     */
    Optional<Object> pullXcom(String dagId, String taskId, String key);

    /** A Variable's text; a secret one (by its name, as in templates) is masked in the log from now on. */
    Optional<String> variable(String key);

    /** Creates or replaces a Variable (Airflow's {@code Variable.set} from a Python task). */
    void setVariable(String key, String value);

    /** The task's params ({@code Dag.paramsOf}) with the run's conf laid over them, as templates see {@code params}. */
    Map<String, Object> params();

    /** The run's conf ({@code dag_run.conf}). */
    Map<String, Object> conf();

    /** The DAG's time zone, for Python tasks' {@code dag.timezone}. */
    ZoneId timezone();

    /** Where and how Python tasks run: interpreter, sys.path, the DAG folder, the compatibility package's cache. */
    PythonSettings python();

    /**
     * Names the task's own code added to its context (a Python callable's {@code
     * get_current_context()[name] = value}), which its {@code map_index_template} may read, as
     * Airflow's named mapping of TaskFlow tasks does. Ignored where nothing renders one.
     */
    default void addTemplateNames(Map<String, Object> names) {}

    /**
     * Adds an update of the dataset {@code uri} through the dataset alias {@code alias} of the
     * task's outlets ({@code outlet_events[DatasetAlias(alias)].add(Dataset(uri), extra)}),
     * recorded when the try succeeds.
     *
     * @throws InvalidArgumentException when the task's outlets name no such alias
     */
    default void addOutletEvent(String alias, String uri, Map<String, Object> extra) {
        throw new InvalidArgumentException("this task cannot add dataset events");
    }

    /** A connection's fields, as Airflow's Connection. */
    record ConnectionDetails(
            String connId,
            String connType,
            String host,
            String schema,
            String login,
            String password,
            Integer port,
            Map<String, Object> extra) {
        @Override
        public String toString() {
            return "ConnectionDetails[" + connId + ", " + connType + ", " + host + ", password=***]";
        }
    }
}
