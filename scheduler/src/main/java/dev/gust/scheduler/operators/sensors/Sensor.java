package dev.gust.scheduler.operators.sensors;

import dev.gust.core.dag.operator.OperatorDeclaration;
import dev.gust.scheduler.operators.TaskRunContext;

/**
 * A condition a sensor waits for, checked once per {@link #poke}; {@link SensorOperator} does the
 * waiting (poke or reschedule mode, intervals, timeout, soft_fail). A poke that can tell the
 * condition will never hold throws {@link SensorFailedException} (or
 * {@link SensorSkippedException} to skip the task). Its declaration is the sensor operator's
 * (name, Airflow class paths, arguments including the common sensor ones).
 */
public interface Sensor extends OperatorDeclaration {

    /** True when the condition holds; interrupts must end it promptly. */
    boolean poke(TaskRunContext context) throws Exception;
}
