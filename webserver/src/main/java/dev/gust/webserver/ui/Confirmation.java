package dev.gust.webserver.ui;

import java.util.List;
import java.util.Map;

/**
 * What a confirmation page shows before an action: a question, what will change, the POST that
 * does it (with its hidden fields) and, for actions with options (clear's downstream, ...), the
 * checkboxes that reload the page with the preview for those options.
 */
public record Confirmation(
        String title,
        String question,
        List<String> changes,
        String emptyMessage,
        String action,
        Map<String, String> fields,
        String submitLabel,
        String cancelHref,
        List<Option> options,
        boolean danger) {

    /** An option of the action, as a checkbox. */
    public record Option(String name, String label, boolean checked) {}
}
