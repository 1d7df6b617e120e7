package dev.gust.webserver.api.tasks;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gust.core.store.runs.XComQuery;
import dev.gust.webserver.api.ApiJson;
import java.time.Instant;
import java.util.List;

/**
 * Airflow's {@code XCom} (with {@code value}) and {@code XComCollectionItem} (without it). The
 * value is what Airflow's {@code stringify} asks for: by default the text Python's {@code str()}
 * makes of it ({@link PythonText}), with {@code stringify=false} the stored JSON value itself.
 */
public record XComResponse(
        String dagId,
        Instant executionDate,
        String key,
        int mapIndex,
        String taskId,
        Instant timestamp,
        @JsonInclude(JsonInclude.Include.NON_NULL) Object value) {

    /** Airflow's {@code XComCollection}. */
    public record Collection(List<XComResponse> xcomEntries, long totalEntries) {}

    /** An entry of a listing: no value, as values may be large. */
    public static XComResponse item(XComQuery.Listed entry) {
        return new XComResponse(
                entry.dagId(),
                entry.logicalDate(),
                entry.key(),
                entry.mapIndex(),
                entry.taskId(),
                entry.createdAt(),
                null);
    }

    /**
     * An entry with its value, as text when {@code stringify}, else as the stored JSON value (a
     * JSON null is a {@code NullNode}, so it is written, unlike the absent value of a listed entry).
     */
    public static XComResponse withValue(XComQuery.Listed entry, boolean stringify) {
        JsonNode value = entry.valueJson() == null
                ? com.fasterxml.jackson.databind.node.NullNode.getInstance()
                : ApiJson.tree(entry.valueJson());
        return new XComResponse(
                entry.dagId(),
                entry.logicalDate(),
                entry.key(),
                entry.mapIndex(),
                entry.taskId(),
                entry.createdAt(),
                stringify ? PythonText.str(value) : value);
    }
}
