package dev.gust.core.dag.load;

import dev.gust.core.dag.model.CallbackSpec;
import dev.gust.core.dag.model.DeadlineAlert;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads a DAG's {@code deadline} (Airflow 3's {@code DeadlineAlert}, one or a list): a
 * {@code reference} (a run's logical date, the time it was queued, or a fixed date-time), an
 * {@code interval} (any duration form; negative counts back from the reference) and a
 * {@code callback} in any of {@link CallbackReader}'s forms, or Airflow's {@code AsyncCallback} /
 * {@code SyncCallback} object as dag-factory writes it ({@code __type__}, the callable under
 * {@code callback_callable} or {@code __args__}, its {@code kwargs}).
 */
final class DeadlineReader {

    private static final Set<String> KEYS = Set.of(DagFactoryObjects.TYPE, "reference", "interval", "callback");
    private static final Set<String> CALLBACK_KEYS =
            Set.of(DagFactoryObjects.TYPE, DagFactoryObjects.ARGS, "callback_callable", "callback", "kwargs");

    private final ZoneId zone;
    private final Clock clock;

    DeadlineReader(ZoneId zone, Clock clock) {
        this.zone = zone;
        this.clock = clock;
    }

    /** The alerts written under {@code deadline}; throws {@link InvalidValue} saying what is wrong. */
    List<DeadlineAlert> read(Node node) {
        Object value = YamlValues.plain(node);
        List<DeadlineAlert> alerts = new ArrayList<>();
        if (value instanceof List<?> list) {
            for (Object item : list) {
                alerts.add(alert(item));
            }
        } else {
            alerts.add(alert(value));
        }
        return alerts;
    }

    private DeadlineAlert alert(Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new InvalidValue("must be a mapping with reference, interval and callback (Airflow's DeadlineAlert),"
                    + " e.g. '{reference: DAGRUN_QUEUED_AT, interval: 15m, callback: my_package.alerts.late}'");
        }
        for (Object key : map.keySet()) {
            if (!KEYS.contains(String.valueOf(key))) {
                throw new InvalidValue(
                        "has unknown key '" + key + "'; a deadline takes reference, interval and" + " callback");
            }
        }
        String type = DagFactoryObjects.typeOf(map);
        if (type != null && !type.endsWith("DeadlineAlert")) {
            throw new InvalidValue("has __type__ " + type + "; write airflow.sdk.DeadlineAlert");
        }
        if (map.get("reference") == null || map.get("interval") == null || map.get("callback") == null) {
            throw new InvalidValue("needs reference, interval and callback, e.g. '{reference: DAGRUN_QUEUED_AT,"
                    + " interval: 15m, callback: my_package.alerts.late}'");
        }
        Duration interval = interval(map.get("interval"));
        Object reference = map.get("reference");
        DeadlineAlert.Reference kind;
        Instant fixedAt = null;
        if (reference instanceof Map<?, ?> fixed) {
            kind = DeadlineAlert.Reference.FIXED_DATETIME;
            fixedAt = fixedDate(fixed);
        } else {
            kind = reference(String.valueOf(reference));
        }
        return new DeadlineAlert(kind, fixedAt, interval, callbacks(map.get("callback")));
    }

    /** A duration, which may be negative here: a deadline before its reference ({@code -30m}). */
    private static Duration interval(Object value) {
        if (value instanceof String text && text.trim().startsWith("-")) {
            return DurationParser.parse(text.trim().substring(1)).negated();
        }
        return DurationParser.parse(value);
    }

    private static DeadlineAlert.Reference reference(String written) {
        String name = written.substring(written.lastIndexOf('.') + 1).trim().toUpperCase(Locale.ROOT);
        return switch (name) {
            case "DAGRUN_LOGICAL_DATE" -> DeadlineAlert.Reference.DAGRUN_LOGICAL_DATE;
            case "DAGRUN_QUEUED_AT" -> DeadlineAlert.Reference.DAGRUN_QUEUED_AT;
            case "FIXED_DATETIME" ->
                throw new InvalidValue("reference FIXED_DATETIME needs its date-time; write"
                        + " 'reference: {FIXED_DATETIME: 2030-01-01T10:00:00Z}'");
            default ->
                throw new InvalidValue("has reference '" + written + "'; Gust knows DAGRUN_LOGICAL_DATE,"
                        + " DAGRUN_QUEUED_AT and FIXED_DATETIME (AVERAGE_RUNTIME and custom references are not"
                        + " supported)");
        };
    }

    /** {@code {FIXED_DATETIME: date}} or dag-factory's {@code {__type__: ...FIXED_DATETIME, __args__: [date]}}. */
    private Instant fixedDate(Map<?, ?> fixed) {
        Object date = null;
        String type = DagFactoryObjects.typeOf(fixed);
        if (type != null && type.endsWith("FIXED_DATETIME")) {
            Object args = fixed.get(DagFactoryObjects.ARGS);
            date = args instanceof List<?> list && list.size() == 1 ? list.getFirst() : fixed.get("datetime");
        } else if (fixed.size() == 1
                && String.valueOf(fixed.keySet().iterator().next()).endsWith("FIXED_DATETIME")) {
            date = fixed.values().iterator().next();
        }
        if (date == null) {
            throw new InvalidValue("has a reference mapping Gust cannot read; write"
                    + " 'reference: {FIXED_DATETIME: 2030-01-01T10:00:00Z}' or DAGRUN_LOGICAL_DATE / DAGRUN_QUEUED_AT");
        }
        return DateTimeParser.parse(date, zone, clock);
    }

    @SuppressWarnings("unchecked")
    private static List<CallbackSpec> callbacks(Object callback) {
        String type = DagFactoryObjects.typeOf(callback);
        if (type != null && (type.endsWith("AsyncCallback") || type.endsWith("SyncCallback"))) {
            Map<String, Object> object = (Map<String, Object>) callback;
            for (String key : object.keySet()) {
                if (!CALLBACK_KEYS.contains(key)) {
                    throw new InvalidValue(
                            "has callback key '" + key + "'; an AsyncCallback takes callback_callable" + " and kwargs");
                }
            }
            Object callable = object.get("callback_callable");
            if (callable == null && object.get(DagFactoryObjects.ARGS) instanceof List<?> args && !args.isEmpty()) {
                callable = args.getFirst();
            }
            if (!(callable instanceof String path)) {
                throw new InvalidValue("has a callback without callback_callable; give the dotted path of a"
                        + " function or notifier");
            }
            Map<String, Object> form = new LinkedHashMap<>();
            form.put("callback", path);
            if (object.get("kwargs") instanceof Map<?, ?> kwargs) {
                form.putAll((Map<String, Object>) kwargs);
            }
            return List.of(CallbackReader.one(form));
        }
        return CallbackReader.fromPlain(callback);
    }
}
