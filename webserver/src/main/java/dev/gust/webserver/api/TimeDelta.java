package dev.gust.webserver.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/** Airflow's JSON form of a duration: {@code {"__type": "TimeDelta", "days", "seconds", "microseconds"}}. */
public record TimeDelta(@JsonProperty("__type") String type, long days, long seconds, long microseconds) {

    public static TimeDelta of(Duration duration) {
        if (duration == null) {
            return null;
        }
        long days = duration.toDays();
        Duration rest = duration.minusDays(days);
        return new TimeDelta("TimeDelta", days, rest.toSeconds(), rest.toNanosPart() / 1000);
    }
}
