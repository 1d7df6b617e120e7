package dev.gust.scheduler.operators.sensors;

/** A sensor found a state that means the task should be skipped (ExternalTaskSensor's skipped_states). */
public final class SensorSkippedException extends RuntimeException {

    public SensorSkippedException(String message) {
        super(message);
    }
}
