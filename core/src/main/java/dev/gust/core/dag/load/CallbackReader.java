package dev.gust.core.dag.load;

import dev.gust.core.dag.model.CallbackEvent;
import dev.gust.core.dag.model.CallbackSpec;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads the callbacks of a task or a DAG in the forms Airflow users write in dag-factory files: a
 * dotted path to a Python function; {@code <key>_name} with {@code <key>_file}; a mapping with
 * {@code callback:} (a function, or one of Airflow's notifiers, by any of its module paths) and
 * its keyword arguments; {@code bash_command:}; {@code http:} (url, method, json, headers,
 * http_conn_id); a webhook URL (an HTTP POST of the event); or a list of these. A task's
 * {@code email} with {@code email_on_failure} / {@code email_on_retry} (both true by default, as in
 * Airflow) becomes an SMTP notifier with Airflow's default subject and body. Nothing is imported:
 * a Python callback runs when its event happens.
 */
final class CallbackReader {

    static final Set<CallbackEvent> DAG_EVENTS =
            Set.of(CallbackEvent.SUCCESS, CallbackEvent.FAILURE, CallbackEvent.SLA_MISS);

    /** Keys besides the callbacks themselves that this reader reads on a task (or its default_args). */
    static final Set<String> EMAIL_KEYS = Set.of("email", "email_on_failure", "email_on_retry");

    /** Airflow's default e-mail of a failed or retried task, with Gust's names for what Airflow's template reads. */
    static final String EMAIL_SUBJECT =
            "Airflow alert: <TaskInstance: {{ dag.dag_id }}.{{ task.task_id }} {{ run_id }} [{{ state }}]>";

    static final String EMAIL_HTML = "Try {{ try_number }} out of {{ max_tries + 1 }}<br>"
            + "Exception:<br>{{ exception_html }}<br>"
            + "Log: <a href=\"{{ log_url }}\">Link</a><br>"
            + "Host: {{ hostname }}<br>";

    private static final Pattern DOTTED_PATH =
            Pattern.compile("[\\p{L}_][\\p{L}\\p{N}_]*(\\.[\\p{L}_][\\p{L}\\p{N}_]*)+");

    /** The simple names of Airflow's notifier classes and send_* functions, by the kind Gust runs them as. */
    private static final Map<String, String> NOTIFIERS = Map.of(
            "SlackWebhookNotifier", "slack_webhook",
            "send_slack_webhook_notification", "slack_webhook",
            "SlackNotifier", "slack_webhook",
            "send_slack_notification", "slack_webhook",
            "SmtpNotifier", "smtp",
            "send_smtp_notification", "smtp",
            "SnsNotifier", "sns",
            "send_sns_notification", "sns");

    private final FieldReader fields;
    private final PythonCallables callables;

    CallbackReader(FieldReader fields, PythonCallables callables) {
        this.fields = fields;
        this.callables = callables;
    }

    /** Every key a callback of {@code events} may be written with: the key, and {@code _name} / {@code _file}. */
    static Set<String> keys(Set<CallbackEvent> events) {
        Set<String> keys = new java.util.LinkedHashSet<>();
        for (CallbackEvent event : events) {
            keys.add(event.key());
            keys.add(event.key() + "_name");
            keys.add(event.key() + "_file");
        }
        return keys;
    }

    /** A DAG's own callbacks (its success and failure), from its keys. */
    Map<CallbackEvent, List<CallbackSpec>> dag(YamlMap dag) {
        Map<CallbackEvent, List<CallbackSpec>> callbacks = new EnumMap<>(CallbackEvent.class);
        for (CallbackEvent event : DAG_EVENTS) {
            List<CallbackSpec> read = read(dag, event);
            if (!read.isEmpty()) {
                callbacks.put(event, read);
            }
        }
        return callbacks;
    }

    /**
     * A task's callbacks: each event's from the task, else from {@code defaultArgs} (a task's own
     * callback replaces the shared one, as an Airflow argument does), plus the e-mail ones.
     */
    Map<CallbackEvent, List<CallbackSpec>> task(YamlMap own, YamlMap defaultArgs) {
        Map<CallbackEvent, List<CallbackSpec>> callbacks = new EnumMap<>(CallbackEvent.class);
        for (CallbackEvent event : CallbackEvent.TASK_EVENTS) {
            boolean ownHasIt = own.has(event.key()) || own.has(event.key() + "_name") || own.has(event.key() + "_file");
            List<CallbackSpec> read = new ArrayList<>(read(ownHasIt ? own : defaultArgs, event));
            if (!read.isEmpty()) {
                callbacks.put(event, read);
            }
        }
        YamlMap merged = defaultArgs.overriddenBy(own);
        Object email =
                merged.has("email") ? YamlValues.plain(merged.get("email").value()) : null;
        if (email instanceof String text && text.contains(",")) {
            email = List.of(text.split("\\s*,\\s*"));
        }
        boolean anyAddress =
                email instanceof String text ? !text.isBlank() : email instanceof List<?> l && !l.isEmpty();
        if (anyAddress) {
            addEmail(callbacks, merged, "email_on_failure", CallbackEvent.FAILURE, "failed", email);
            addEmail(callbacks, merged, "email_on_retry", CallbackEvent.RETRY, "up_for_retry", email);
        }
        return callbacks;
    }

    private void addEmail(
            Map<CallbackEvent, List<CallbackSpec>> callbacks,
            YamlMap merged,
            String flag,
            CallbackEvent event,
            String state,
            Object to) {
        // Airflow sends mail on failure and on retry unless told not to
        if (!fields.read(merged.get(flag), YamlValues::bool, true)) {
            return;
        }
        Map<String, Object> arguments = new LinkedHashMap<>();
        arguments.put("to", to);
        arguments.put("subject", EMAIL_SUBJECT.replace("{{ state }}", state));
        arguments.put("html_content", EMAIL_HTML);
        List<CallbackSpec> list = new ArrayList<>(callbacks.getOrDefault(event, List.of()));
        list.add(new CallbackSpec.Notify("smtp", arguments));
        callbacks.put(event, list);
    }

    /** The callbacks of {@code event} written in {@code map}: under its key, or as {@code _name} + {@code _file}. */
    private List<CallbackSpec> read(YamlMap map, CallbackEvent event) {
        List<CallbackSpec> callbacks = new ArrayList<>(fields.read(map.get(event.key()), this::callbacks, List.of()));
        YamlMap.Entry name = map.get(event.key() + "_name");
        YamlMap.Entry file = map.get(event.key() + "_file");
        if (name == null && file == null) {
            return callbacks;
        }
        if (name == null || file == null) {
            YamlMap.Entry given = name != null ? name : file;
            String missing = name == null ? event.key() + "_name" : event.key() + "_file";
            fields.problem(
                    given.line(),
                    fields.where() + ": sets '" + given.key() + "' without '" + missing
                            + "'; give both (the function's name and the .py file defining it)");
            return callbacks;
        }
        String function = fields.read(name, YamlValues::string, null);
        if (function != null && !PythonCallables.isIdentifier(function)) {
            fields.problem(
                    name.line(),
                    fields.where() + ": " + name.key() + " must be the name of a function defined in the file, like"
                            + " 'notify', got '" + function + "'");
            return callbacks;
        }
        String path = fields.read(file, node -> callables.resolveFile(YamlValues.string(node)), null);
        if (function != null && path != null) {
            callbacks.add(new CallbackSpec.Python(null, function, path, Map.of()));
        }
        return callbacks;
    }

    private List<CallbackSpec> callbacks(Node node) {
        return fromPlain(YamlValues.plain(node));
    }

    /** The callbacks a plain value (one callback form, or a list of them) writes. */
    static List<CallbackSpec> fromPlain(Object value) {
        List<CallbackSpec> callbacks = new ArrayList<>();
        if (value instanceof List<?> list) {
            for (Object item : list) {
                callbacks.add(one(item));
            }
        } else {
            callbacks.add(one(value));
        }
        return callbacks;
    }

    @SuppressWarnings("unchecked")
    static CallbackSpec one(Object value) {
        if (value instanceof String text) {
            String trimmed = text.trim();
            if (NeedsPython.isWebhook(trimmed)) {
                return new CallbackSpec.Http(trimmed, "POST", null, Map.of(), null);
            }
            return callable(trimmed, Map.of());
        }
        if (value instanceof Map<?, ?> raw) {
            Map<String, Object> map = new LinkedHashMap<>((Map<String, Object>) raw);
            if (map.containsKey("callback")) {
                Object callback = map.remove("callback");
                if (!(callback instanceof String path)) {
                    throw new InvalidValue("has 'callback: " + callback + "'; give the dotted path of a function or"
                            + " notifier, e.g. 'callback: my_package.alerts.notify'");
                }
                return callable(path.trim(), map);
            }
            if (map.containsKey("bash_command")) {
                Object command = map.remove("bash_command");
                Object env = map.remove("env");
                if (!(command instanceof String text) || text.isBlank() || !map.isEmpty()) {
                    throw new InvalidValue("must be 'bash_command: <command>' (and optionally 'env: {NAME: value}')"
                            + (map.isEmpty() ? "" : "; unknown keys " + map.keySet()));
                }
                if (env != null && !(env instanceof Map<?, ?>)) {
                    throw new InvalidValue("has an env that is not a mapping; write 'env: {NAME: value}'");
                }
                return new CallbackSpec.Bash(text, (Map<String, Object>) env);
            }
            if (map.containsKey("http") && map.size() == 1 && map.get("http") instanceof Map<?, ?> http) {
                return http((Map<String, Object>) http);
            }
        }
        throw new InvalidValue("must be the dotted path of a Python function, a mapping with 'callback:' (and its"
                + " keyword arguments), 'bash_command:' or 'http: {url: ...}', a webhook URL, or a list of these;"
                + " got " + describe(value));
    }

    private static CallbackSpec callable(String path, Map<String, Object> kwargs) {
        String simpleName = path.substring(path.lastIndexOf('.') + 1);
        String notifier = NOTIFIERS.get(simpleName);
        if (notifier != null && path.startsWith("airflow.")) {
            return new CallbackSpec.Notify(notifier, kwargs);
        }
        if (!DOTTED_PATH.matcher(path).matches()) {
            throw new InvalidValue(
                    "'" + path + "' is not the dotted path of a Python function, like" + " 'my_package.alerts.notify'");
        }
        if (path.startsWith("airflow.")) {
            throw new InvalidValue("'" + path + "' is an Airflow callable Gust does not provide; Gust's built-in"
                    + " notifiers are Airflow's SlackWebhookNotifier, SmtpNotifier and SnsNotifier (and their send_*"
                    + " functions); or use bash_command, http or your own Python function");
        }
        return new CallbackSpec.Python(path, null, null, kwargs);
    }

    private static CallbackSpec http(Map<String, Object> http) {
        Set<String> known = Set.of("url", "method", "json", "headers", "http_conn_id");
        for (String key : http.keySet()) {
            if (!known.contains(key)) {
                throw new InvalidValue("has http key '" + key + "'; an http callback takes url, method, json, headers"
                        + " and http_conn_id");
            }
        }
        if (!(http.get("url") instanceof String url) || url.isBlank()) {
            throw new InvalidValue("has an http callback without url; add e.g. 'url: https://hooks.example.com/x'"
                    + " (or a path with http_conn_id)");
        }
        Object method = http.get("method");
        Object headers = http.get("headers");
        Object conn = http.get("http_conn_id");
        if (headers != null && !(headers instanceof Map<?, ?>)) {
            throw new InvalidValue("has http headers that are not a mapping; write 'headers: {Name: value}'");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> headerMap = (Map<String, Object>) headers;
        return new CallbackSpec.Http(
                url.trim(),
                method == null ? "POST" : method.toString().toUpperCase(java.util.Locale.ROOT),
                http.get("json"),
                headerMap,
                conn == null ? null : conn.toString());
    }

    private static String describe(Object value) {
        return value == null ? "nothing" : "'" + value + "'";
    }
}
