package dev.gust.core.dag.model;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Copies callbacks by event for the model's records: null or empty stays null, lists become immutable. */
final class CallbackLists {

    private CallbackLists() {}

    static Map<CallbackEvent, List<CallbackSpec>> copy(Map<CallbackEvent, List<CallbackSpec>> callbacks) {
        if (callbacks == null || callbacks.values().stream().allMatch(List::isEmpty)) {
            return null;
        }
        Map<CallbackEvent, List<CallbackSpec>> copy = new EnumMap<>(CallbackEvent.class);
        callbacks.forEach((event, list) -> {
            if (!list.isEmpty()) {
                copy.put(event, List.copyOf(list));
            }
        });
        return Collections.unmodifiableMap(copy);
    }
}
