package dev.gust.core.dag.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One callback a DAG file attaches to an event, by what it runs: a Python callable (dag-factory's
 * dotted path, or {@code <key>_name} with {@code <key>_file}, with the keyword arguments of the
 * {@code callback:} mapping form), a shell command, an HTTP call, or one of Airflow's notifiers
 * (Slack webhook, SMTP, SNS) turned into a built-in {@code kind} with its arguments. String values
 * are templates, rendered with the callback's context when it runs. The JSON type tag is what the
 * serialized DAG and the callback request rows carry.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = CallbackSpec.Python.class, name = "python"),
    @JsonSubTypes.Type(value = CallbackSpec.Bash.class, name = "bash"),
    @JsonSubTypes.Type(value = CallbackSpec.Http.class, name = "http"),
    @JsonSubTypes.Type(value = CallbackSpec.Notify.class, name = "notifier")
})
public sealed interface CallbackSpec {

    /**
     * A Python function called with the context dict and {@code kwargs}: {@code callable} is its
     * dotted path, or null when {@code name} names a function of {@code file} (relative to the
     * DAG folder when inside it).
     */
    record Python(String callable, String name, String file, Map<String, Object> kwargs) implements CallbackSpec {
        public Python {
            kwargs = copy(kwargs);
        }
    }

    /** A shell command (a template) run with bash, with {@code env} added to the task environment. */
    record Bash(String bashCommand, Map<String, Object> env) implements CallbackSpec {
        public Bash {
            Objects.requireNonNull(bashCommand, "bashCommand");
            env = copy(env);
        }
    }

    /**
     * An HTTP request: {@code url} (absolute, or a path on the connection's host), {@code method},
     * a JSON {@code body} template (null: a JSON summary of the event), {@code headers}, and the
     * {@code httpConnId} connection for the base URL and basic auth (null: none).
     */
    record Http(String url, String method, Object body, Map<String, Object> headers, String httpConnId)
            implements CallbackSpec {
        public Http {
            method = method == null ? "POST" : method;
            headers = copy(headers);
        }
    }

    /**
     * One of Airflow's notifiers: {@code kind} is {@code slack_webhook}, {@code smtp} or {@code sns};
     * {@code arguments} are the notifier's as written (Airflow's parameter names).
     */
    record Notify(String kind, Map<String, Object> arguments) implements CallbackSpec {
        public Notify {
            Objects.requireNonNull(kind, "kind");
            arguments = copy(arguments);
        }
    }

    private static Map<String, Object> copy(Map<String, Object> map) {
        // values may be null (a YAML null), which Map.copyOf refuses
        return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
