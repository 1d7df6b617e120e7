package dev.gust.core.template;

import com.hubspot.jinjava.objects.date.StrftimeFormatter;
import com.hubspot.jinjava.objects.serialization.PyishSerializable;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * A date-time in templates ({@code logical_date}, {@code data_interval_start}, ...), standing in
 * for Airflow's pendulum DateTime: it prints as ISO 8601 with an offset
 * ({@code 2024-03-05T06:00:00+00:00}) and offers {@code .strftime('%Y%m')},
 * {@code .isoformat()}, {@code .in_timezone('Europe/Paris')}, {@code .year}, {@code .month},
 * {@code .day}, {@code .hour}, {@code .minute}, {@code .second}; the {@code ds}, {@code ts} ...
 * filters format it too.
 */
public final class TemplateDateTime implements PyishSerializable {

    private static final DateTimeFormatter SECONDS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx", Locale.ROOT);
    private static final DateTimeFormatter MICROS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx", Locale.ROOT);

    private final ZonedDateTime value;

    private TemplateDateTime(ZonedDateTime value) {
        this.value = value;
    }

    public static TemplateDateTime of(Instant instant, ZoneId zone) {
        return new TemplateDateTime(instant.atZone(zone));
    }

    public ZonedDateTime toZonedDateTime() {
        return value;
    }

    /** Like pendulum: no fraction when there are no microseconds, six digits otherwise. */
    public String isoformat() {
        return (value.getNano() / 1000 == 0 ? SECONDS : MICROS).format(value);
    }

    public String strftime(String format) {
        return StrftimeFormatter.format(value, format, Locale.ENGLISH);
    }

    // Named like pendulum's method, which is what DAG authors write.
    public TemplateDateTime in_timezone(String zone) {
        return new TemplateDateTime(value.withZoneSameInstant(ZoneId.of(zone)));
    }

    /** Python's {@code weekday()}: Monday is 0, Sunday 6. */
    public int weekday() {
        return value.getDayOfWeek().getValue() - 1;
    }

    /** Python's {@code isoweekday()}: Monday is 1, Sunday 7. */
    public int isoweekday() {
        return value.getDayOfWeek().getValue();
    }

    public int getYear() {
        return value.getYear();
    }

    public int getMonth() {
        return value.getMonthValue();
    }

    public int getDay() {
        return value.getDayOfMonth();
    }

    public int getHour() {
        return value.getHour();
    }

    public int getMinute() {
        return value.getMinute();
    }

    public int getSecond() {
        return value.getSecond();
    }

    @Override
    public String toString() {
        return isoformat();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TemplateDateTime other && other.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
