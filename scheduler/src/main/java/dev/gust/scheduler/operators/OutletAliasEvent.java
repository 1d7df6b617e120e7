package dev.gust.scheduler.operators;

import java.util.Objects;

/**
 * An update of a dataset that a task's code added while it ran through one of the dataset aliases
 * among its outlets (Airflow 2.10's {@code outlet_events[DatasetAlias(alias)].add(Dataset(uri))}):
 * recorded as a dataset event when the try succeeds, with its {@code extra} (JSON text).
 */
public record OutletAliasEvent(String alias, String uri, String extraJson) {

    public OutletAliasEvent {
        Objects.requireNonNull(alias, "alias");
        Objects.requireNonNull(uri, "uri");
        extraJson = extraJson == null ? "{}" : extraJson;
    }
}
