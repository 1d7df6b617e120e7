package dev.gust.scheduler.operators;

import dev.gust.scheduler.operators.bash.BashOperator;
import dev.gust.scheduler.operators.branch.BranchOperator;
import dev.gust.scheduler.operators.http.HttpCaller;
import dev.gust.scheduler.operators.http.HttpOperator;
import dev.gust.scheduler.operators.http.HttpSensor;
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
import java.util.ServiceLoader;

/**
 * Maps a task's operator name (the Gust name the DAG loader resolved, e.g. {@code bash}) to the
 * {@link Operator} that runs it: the built-ins, plus the implementations found with
 * {@link ServiceLoader} on the class path. A plugin may replace a built-in by using its name; the
 * registry says which when that happens, since it is surprising.
 */
public final class OperatorRegistry {

    private final Map<String, Operator> byName;

    private OperatorRegistry(Map<String, Operator> byName) {
        this.byName = Map.copyOf(byName);
    }

    /** The built-in operators and the plugins on the class path of this class's loader. */
    public static OperatorRegistry load() {
        return load(Clock.systemUTC(), OperatorRegistry.class.getClassLoader());
    }

    public static OperatorRegistry load(Clock clock, ClassLoader plugins) {
        Map<String, Operator> operators = new LinkedHashMap<>();
        builtIns(clock).forEach(o -> operators.put(o.name(), o));
        for (Operator plugin : ServiceLoader.load(Operator.class, plugins)) {
            Operator replaced = operators.put(plugin.name(), plugin);
            if (replaced != null) {
                System.getLogger(OperatorRegistry.class.getName()).log(System.Logger.Level.WARNING,
                        "operator plugin {0} replaces the built-in operator ''{1}''", plugin.getClass().getName(),
                        plugin.name());
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
                new HttpOperator(http),
                new SqlOperator(),
                new TriggerDagRunOperator(clock),
                new SensorOperator(new FileSensor(), clock),
                new SensorOperator(new HttpSensor(http), clock),
                new SensorOperator(new SqlSensor(), clock),
                new SensorOperator(new ExternalTaskSensor(), clock),
                new SensorOperator(new TimeDeltaSensor(clock), clock));
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
                    + "class path and a META-INF/services/" + Operator.class.getName() + " entry");
        }
        return operator;
    }

    public List<String> names() {
        return byName.keySet().stream().sorted().toList();
    }
}
