package dev.gust.webserver.api.tasks;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gust.core.store.runs.XComRepository;
import java.time.Instant;
import java.util.List;

/**
 * Airflow's {@code XCom} (with {@code value}, the stored JSON as text) and
 * {@code XComCollectionItem} (without it).
 */
public record XComResponse(
        String dagId,
        Instant executionDate,
        String key,
        int mapIndex,
        String taskId,
        Instant timestamp,
        @JsonInclude(JsonInclude.Include.NON_NULL) String value) {

    /** Airflow's {@code XComCollection}. */
    public record Collection(List<XComResponse> xcomEntries, long totalEntries) {}

    public static XComResponse of(String dagId, Instant logicalDate, XComRepository.Entry entry, boolean withValue) {
        return new XComResponse(
                dagId,
                logicalDate,
                entry.key(),
                entry.mapIndex(),
                entry.taskId(),
                entry.createdAt(),
                withValue ? (entry.valueJson() == null ? "null" : entry.valueJson()) : null);
    }
}
