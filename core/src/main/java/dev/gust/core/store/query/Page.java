package dev.gust.core.store.query;

import java.util.List;
import java.util.function.Function;

/** One page of a listing and how many items match in all (Airflow's {@code total_entries}). */
public record Page<T>(List<T> items, long totalEntries) {

    public Page {
        items = List.copyOf(items);
    }

    public <R> Page<R> map(Function<T, R> mapper) {
        return new Page<>(items.stream().map(mapper).toList(), totalEntries);
    }

    /** A page cut from a list that is already whole and sorted (small listings read in memory). */
    public static <T> Page<T> of(List<T> all, int limit, int offset) {
        int from = Math.min(offset, all.size());
        int to = Math.min(all.size(), from + limit);
        return new Page<>(all.subList(from, to), all.size());
    }
}
