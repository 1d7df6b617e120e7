package dev.gust.core.template;

import com.hubspot.jinjava.el.ext.AbstractCallableMethod;
import com.hubspot.jinjava.objects.date.StrftimeFormatter;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Airflow's {@code macros.ds_add(ds, days)} and {@code macros.ds_format(ds, input, output)}. */
final class Macros {

    private Macros() {}

    static Map<String, Object> all() {
        return Map.of("ds_add", DS_ADD, "ds_format", DS_FORMAT);
    }

    private static final AbstractCallableMethod DS_ADD =
            new AbstractCallableMethod("ds_add", parameters("ds", null, "days", 0L)) {
                @Override
                public Object doEvaluate(Map<String, Object> args, Map<String, Object> kwargs, List<Object> varArgs) {
                    long days = ((Number) args.get("days")).longValue();
                    return LocalDate.parse(String.valueOf(args.get("ds")))
                            .plusDays(days)
                            .toString();
                }
            };

    private static final AbstractCallableMethod DS_FORMAT =
            new AbstractCallableMethod(
                    "ds_format", parameters("ds", null, "input_format", "%Y-%m-%d", "output_format", "%Y-%m-%d")) {
                @Override
                public Object doEvaluate(Map<String, Object> args, Map<String, Object> kwargs, List<Object> varArgs) {
                    TemporalAccessor parsed = StrftimeFormatter.toDateTimeFormatter(
                                    String.valueOf(args.get("input_format")))
                            .parse(String.valueOf(args.get("ds")));
                    LocalDateTime dateTime = parsed.isSupported(ChronoField.HOUR_OF_DAY)
                            ? LocalDateTime.from(parsed)
                            : LocalDate.from(parsed).atStartOfDay();
                    return StrftimeFormatter.toDateTimeFormatter(String.valueOf(args.get("output_format")))
                            .format(dateTime);
                }
            };

    private static LinkedHashMap<String, Object> parameters(Object... namesAndDefaults) {
        LinkedHashMap<String, Object> parameters = new LinkedHashMap<>();
        for (int i = 0; i < namesAndDefaults.length; i += 2) {
            parameters.put((String) namesAndDefaults[i], namesAndDefaults[i + 1]);
        }
        return parameters;
    }
}
