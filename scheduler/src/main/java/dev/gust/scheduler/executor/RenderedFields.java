package dev.gust.scheduler.executor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gust.core.template.SecretMasker;
import java.util.Map;

/**
 * A try's rendered arguments as the JSON object that {@code task_instance_rendered} stores and
 * the task page shows (Airflow's rendered template fields): passed through the try's secret
 * masker first, so a secret a template read (a connection's password, a sensitive Variable) and
 * any value under a sensitive name are stored as {@code ***}. A value JSON cannot hold is stored
 * as its text.
 */
final class RenderedFields {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RenderedFields() {}

    static String json(Map<String, Object> args, SecretMasker masker) {
        ObjectNode fields = JSON.createObjectNode();
        ((Map<?, ?>) masker.redact(args)).forEach((name, value) -> {
            try {
                fields.set(String.valueOf(name), JSON.valueToTree(value));
            } catch (IllegalArgumentException notJson) {
                fields.put(String.valueOf(name), masker.mask(String.valueOf(value)));
            }
        });
        return fields.toString();
    }
}
