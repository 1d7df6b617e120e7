package dev.gust.core.dag.model;

import java.util.Objects;

/**
 * A task's documentation as Airflow's operators take it: {@code doc_md} (Markdown, rendered on
 * the task instance's page), or {@code doc}, {@code doc_rst}, {@code doc_json}, {@code doc_yaml}
 * (shown as the text they are). {@code key} is the argument it came from.
 */
public record TaskDoc(String key, String text) {

    /** The task arguments that document a task, in the order Airflow's task view lists them. */
    public static final java.util.List<String> KEYS =
            java.util.List.of("doc_md", "doc", "doc_rst", "doc_json", "doc_yaml");

    public TaskDoc {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(text, "text");
    }

    /** Whether the text is Markdown (rendered) rather than text shown as written. */
    public boolean markdown() {
        return key.equals("doc_md");
    }
}
