package dev.gust.scheduler.operators.bash;

/**
 * How one {@code bash -c} ended: its exit code and the last line it wrote to stdout (empty when
 * it wrote none), which Airflow's BashOperator pushes as the task's XCom.
 */
public record BashRun(int exitCode, String lastStdoutLine) {}
