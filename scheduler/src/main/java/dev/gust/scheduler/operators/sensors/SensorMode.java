package dev.gust.scheduler.operators.sensors;

import dev.gust.scheduler.operators.InvalidArgumentException;
import java.util.Locale;

/**
 * How a sensor waits: {@code poke} holds its worker slot and sleeps between pokes;
 * {@code reschedule} pokes once per try and frees the slot until the next poke is due.
 */
public enum SensorMode {
    POKE,
    RESCHEDULE;

    static SensorMode parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "poke" -> POKE;
            case "reschedule" -> RESCHEDULE;
            default ->
                throw new InvalidArgumentException("argument 'mode' must be poke or reschedule, got '" + text + "'");
        };
    }
}
