package dev.gust.core.template;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * Airflow's date filters, {@code {{ data_interval_end | ds }}} and friends, and the formats
 * behind the {@code ds}, {@code ts} ... variables. All of them format in UTC, as Airflow does
 * by default, whatever the DAG's time zone.
 */
final class AirflowDateFilters {

    static final DateTimeFormatter DS = DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT);
    static final DateTimeFormatter DS_NODASH = DateTimeFormatter.ofPattern("yyyyMMdd", Locale.ROOT);
    static final DateTimeFormatter TS_NODASH = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss", Locale.ROOT);
    static final DateTimeFormatter TS_NODASH_WITH_TZ = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssxx", Locale.ROOT);

    private AirflowDateFilters() {}

    static List<Filter> all() {
        return List.of(
                new DateFilter("ds", DS::format),
                new DateFilter("ds_nodash", DS_NODASH::format),
                new DateFilter(
                        "ts",
                        d -> TemplateDateTime.of(d.toInstant(), ZoneOffset.UTC).isoformat()),
                new DateFilter("ts_nodash", TS_NODASH::format),
                new DateFilter("ts_nodash_with_tz", TS_NODASH_WITH_TZ::format));
    }

    private record DateFilter(String name, java.util.function.Function<ZonedDateTime, String> format)
            implements Filter {

        @Override
        public String getName() {
            return name;
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            if (var instanceof TemplateDateTime dateTime) {
                return format.apply(dateTime.toZonedDateTime().withZoneSameInstant(ZoneOffset.UTC));
            }
            throw new IllegalArgumentException(
                    "the '" + name + "' filter needs a date such as logical_date, not " + var);
        }
    }
}
