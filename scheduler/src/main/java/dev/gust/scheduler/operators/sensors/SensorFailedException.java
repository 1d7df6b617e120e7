package dev.gust.scheduler.operators.sensors;

/** A sensor found that its condition will never hold: the task fails (or skips, with soft_fail). */
public final class SensorFailedException extends RuntimeException {

    public SensorFailedException(String message) {
        super(message);
    }
}
