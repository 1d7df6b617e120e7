package dev.gust.scheduler.operators;

import dev.gust.core.dag.operator.OperatorCatalog;
import dev.gust.core.dag.operator.OperatorDeclaration;
import dev.gust.scheduler.operators.bash.BashOperator;
import dev.gust.scheduler.operators.branch.BranchOperator;
import dev.gust.scheduler.operators.ecs.EcsRunTaskOperator;
import dev.gust.scheduler.operators.email.EmailOperator;
import dev.gust.scheduler.operators.http.HttpCaller;
import dev.gust.scheduler.operators.http.HttpOperator;
import dev.gust.scheduler.operators.http.HttpSensor;
import dev.gust.scheduler.operators.python.BashDecoratedOperator;
import dev.gust.scheduler.operators.python.BranchPythonOperator;
import dev.gust.scheduler.operators.python.ExternalPythonOperator;
import dev.gust.scheduler.operators.python.PythonOperator;
import dev.gust.scheduler.operators.python.PythonSensor;
import dev.gust.scheduler.operators.python.PythonVirtualenvOperator;
import dev.gust.scheduler.operators.python.ShortCircuitOperator;
import dev.gust.scheduler.operators.sensors.ExternalTaskSensor;
import dev.gust.scheduler.operators.sensors.FileSensor;
import dev.gust.scheduler.operators.sensors.SensorOperator;
import dev.gust.scheduler.operators.sensors.TimeDeltaSensor;
import dev.gust.scheduler.operators.sql.SqlOperator;
import dev.gust.scheduler.operators.sql.SqlSensor;
import dev.gust.scheduler.operators.trigger.TriggerDagRunOperator;
import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Maps a task's operator name (the Gust name the DAG loader resolved, e.g. {@code bash}) to the
 * {@link Operator} that runs it, for the operators of an {@link OperatorCatalog}, the same catalog
 * the DAG parser validates against: a plugin's declaration is its implementation, and each
 * built-in declaration is bound here to the built-in operator that returns it.
 */
public final class OperatorRegistry {

    private final Map<String, Operator> byName;

    private OperatorRegistry(Map<String, Operator> byName) {
        this.byName = Map.copyOf(byName);
    }

    /** The operators on the class path: Gust's own and every plugin's. */
    public static OperatorRegistry load() {
        return load(OperatorCatalog.onClassPath(), Clock.systemUTC());
    }

    /** An implementation for each operator of {@code catalog} that has one. */
    public static OperatorRegistry load(OperatorCatalog catalog, Clock clock) {
        Map<String, Operator> operators = new LinkedHashMap<>();
        for (Operator builtIn : builtIns(clock)) {
            // bound to its declaration unless a plugin replaced that in the catalog
            if (catalog.declaration(builtIn.name())
                    .filter(d -> d == builtIn.definition())
                    .isPresent()) {
                operators.put(builtIn.name(), builtIn);
            }
        }
        for (OperatorDeclaration declaration : catalog.declarations()) {
            if (declaration instanceof Operator plugin) {
                operators.put(plugin.name(), plugin);
            }
        }
        return new OperatorRegistry(operators);
    }

    /** Just these operators, for tests and embedding. */
    public static OperatorRegistry of(Collection<? extends Operator> operators) {
        Map<String, Operator> map = new LinkedHashMap<>();
        operators.forEach(o -> map.put(o.name(), o));
        return new OperatorRegistry(map);
    }

    public static List<Operator> builtIns(Clock clock) {
        HttpCaller http = new HttpCaller();
        return List.of(
                new BashOperator(),
                new EmptyOperator(),
                new BranchOperator(),
                new PythonOperator(),
                new ExternalPythonOperator(),
                new PythonVirtualenvOperator(),
                new BashDecoratedOperator(),
                new BranchPythonOperator(),
                new ShortCircuitOperator(),
                new HttpOperator(http),
                new SqlOperator(),
                new EmailOperator(),
                new TriggerDagRunOperator(clock),
                new EcsRunTaskOperator(),
                new SensorOperator(new FileSensor(), clock),
                new SensorOperator(new HttpSensor(http), clock),
                new SensorOperator(new SqlSensor(), clock),
                new SensorOperator(new ExternalTaskSensor(), clock),
                new SensorOperator(new TimeDeltaSensor(clock), clock),
                new SensorOperator(new PythonSensor(), clock));
    }

    public Optional<Operator> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The operator of that name, or an {@link UnknownOperatorException} saying which names exist. */
    public Operator get(String name) {
        Operator operator = byName.get(name);
        if (operator == null) {
            throw new UnknownOperatorException("no implementation of operator '" + name + "' on this scheduler; "
                    + "implemented: " + String.join(", ", names()) + ". A plugin operator needs its jar on the "
                    + "class path (the distribution's plugins/ folder or GUST_CLASSPATH) with a "
                    + "META-INF/services/" + OperatorDeclaration.class.getName() + " entry naming a class that "
                    + "implements " + Operator.class.getName());
        }
        return operator;
    }

    public List<String> names() {
        return byName.keySet().stream().sorted().toList();
    }
}
