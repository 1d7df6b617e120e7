package dev.gust.scheduler.operators.python;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gust.scheduler.operators.TaskRunContext;
import dev.gust.scheduler.operators.TaskRunContext.ConnectionDetails;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The runner's end of a Python task's channel: reads the task process's requests (one JSON object
 * a line) and answers each from the {@link TaskRunContext}, the way the operators written in Java
 * reach XCom, Variables and Connections; so the Python process needs neither the database nor
 * Gust's keys. The last message is the task's result. Secrets the task reads are registered with
 * the log's masker by the context before the answer goes out, so the task cannot print them
 * unmasked.
 */
final class TaskChannel {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> JSON_MAP = new TypeReference<>() {};

    private final TaskRunContext context;
    private final OutputStream toTask;
    private final AtomicReference<PythonResult> result = new AtomicReference<>();

    TaskChannel(TaskRunContext context, OutputStream toTask) {
        this.context = context;
        this.toTask = toTask;
    }

    /** Sends the first message: what to run, with which arguments and context. */
    void start(Map<String, Object> task) throws IOException {
        write(task);
    }

    /** Serves requests until the task reports its result or its output closes. */
    void serve(BufferedReader fromTask) {
        try {
            String line;
            while ((line = fromTask.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                Map<String, Object> message = JSON.readValue(line, JSON_MAP);
                if ("result".equals(message.get("op"))) {
                    if (message.get("template_context") instanceof Map<?, ?> added) {
                        Map<String, Object> names = new LinkedHashMap<>();
                        added.forEach((k, v) -> names.put(String.valueOf(k), v));
                        context.addTemplateNames(names);
                    }
                    result.set(result(message));
                    return;
                }
                write(answer(message));
            }
        } catch (IOException e) {
            // The process was killed or closed its end: the caller sees no result and says so.
        }
    }

    /** What the task reported, or null if it ended without a report. */
    PythonResult result() {
        return result.get();
    }

    private Map<String, Object> answer(Map<String, Object> request) {
        Map<String, Object> reply = new LinkedHashMap<>();
        try {
            reply.put("value", handle(request));
        } catch (RuntimeException e) {
            reply.put("error", String.valueOf(request.get("op")) + " failed: " + e.getMessage());
        }
        return reply;
    }

    private Object handle(Map<String, Object> request) {
        String op = String.valueOf(request.get("op"));
        return switch (op) {
            case "xcom_pull" ->
                context.pullXcom(
                                text(request, "dag_id", context.dagId()),
                                text(request, "task_id", null),
                                text(request, "key", "return_value"))
                        .orElse(null);
            case "xcom_push" -> {
                context.pushXcom(text(request, "key", null), request.get("value"));
                yield null;
            }
            case "variable_get" -> context.variable(text(request, "key", null)).orElse(null);
            case "variable_set" -> {
                context.setVariable(text(request, "key", null), text(request, "value", ""));
                yield null;
            }
            case "outlet_event" -> {
                Map<String, Object> extra = new LinkedHashMap<>();
                if (request.get("extra") instanceof Map<?, ?> given) {
                    given.forEach((k, v) -> extra.put(String.valueOf(k), v));
                }
                context.addOutletEvent(text(request, "alias", null), text(request, "uri", null), extra);
                yield null;
            }
            case "connection_get" ->
                context.connection(text(request, "conn_id", null))
                        .map(TaskChannel::connectionFields)
                        .orElse(null);
            default -> throw new IllegalArgumentException("unknown request '" + op + "'");
        };
    }

    private static Map<String, Object> connectionFields(ConnectionDetails c) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("conn_id", c.connId());
        fields.put("conn_type", c.connType());
        fields.put("host", c.host());
        fields.put("login", c.login());
        fields.put("password", c.password());
        fields.put("schema", c.schema());
        fields.put("port", c.port());
        fields.put("extra", c.extra());
        return fields;
    }

    private static PythonResult result(Map<String, Object> message) {
        String text =
                message.get("message") == null ? "" : message.get("message").toString();
        return switch (String.valueOf(message.get("status"))) {
            case "success" ->
                new PythonResult.Returned(
                        message.get("value"),
                        Boolean.TRUE.equals(message.get("truthy")),
                        Boolean.TRUE.equals(message.get("poke_return_value")));
            case "skipped" -> new PythonResult.Skipped(text);
            case "failed_no_retry" -> new PythonResult.FailedWithoutRetry(text);
            default -> new PythonResult.Failed(text);
        };
    }

    private static String text(Map<String, Object> request, String key, String fallback) {
        Object value = request.get(key);
        if (value == null) {
            if (fallback == null) {
                throw new IllegalArgumentException("'" + key + "' is missing");
            }
            return fallback;
        }
        return value.toString();
    }

    private synchronized void write(Map<String, Object> message) throws IOException {
        try {
            toTask.write((JSON.writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8));
            toTask.flush();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a message to the Python task: " + e.getMessage(), e);
        }
    }
}
