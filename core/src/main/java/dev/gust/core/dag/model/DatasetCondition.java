package dev.gust.core.dag.model;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Which dataset updates trigger a DAG: one dataset, all of several (Airflow's {@code DatasetAll},
 * the {@code &} operator, and what a plain list means) or any of several ({@code DatasetAny},
 * {@code |}). Evaluated against the URIs updated since the DAG's last dataset-triggered run.
 */
public sealed interface DatasetCondition {

    /** Whether the condition holds when exactly the datasets {@code updated} have new events. */
    boolean isSatisfiedBy(Set<String> updated);

    /** Every dataset URI the condition names, in the order written, without repeats. */
    default List<String> uris() {
        Set<String> uris = new LinkedHashSet<>();
        collect(this, uris);
        return List.copyOf(uris);
    }

    private static void collect(DatasetCondition condition, Set<String> into) {
        switch (condition) {
            case Uri uri -> into.add(uri.uri());
            case All all -> all.of().forEach(c -> collect(c, into));
            case Any any -> any.of().forEach(c -> collect(c, into));
        }
    }

    /** The condition a dataset schedule stands for: its own, else all of its URIs; empty for a time-only schedule. */
    static java.util.Optional<DatasetCondition> of(Schedule schedule) {
        return switch (schedule) {
            case Schedule.Datasets datasets -> java.util.Optional.of(orAll(datasets.condition(), datasets.uris()));
            case Schedule.DatasetsOrTime either -> java.util.Optional.of(orAll(either.condition(), either.uris()));
            default -> java.util.Optional.empty();
        };
    }

    private static DatasetCondition orAll(DatasetCondition condition, List<String> uris) {
        if (condition != null) {
            return condition;
        }
        List<DatasetCondition> each = new ArrayList<>();
        uris.forEach(u -> each.add(new Uri(u)));
        return each.size() == 1 ? each.getFirst() : new All(each);
    }

    /**
     * The condition as Airflow's API gives a DAG's {@code dataset_expression}: a dataset is its
     * URI, all of several <code>{"all": [...]}</code>, any of several <code>{"any": [...]}</code>.
     */
    default Object asExpression() {
        return switch (this) {
            case Uri uri -> uri.uri();
            case All all ->
                java.util.Map.of(
                        "all",
                        all.of().stream().map(DatasetCondition::asExpression).toList());
            case Any any ->
                java.util.Map.of(
                        "any",
                        any.of().stream().map(DatasetCondition::asExpression).toList());
        };
    }

    /**
     * A DAG's {@code dataset_expression} (Airflow's API), or null for a schedule without datasets:
     * a plain list of datasets is all of them, as Airflow makes it a {@code DatasetAll}.
     */
    static Object expressionOf(Schedule schedule) {
        DatasetCondition written = switch (schedule) {
            case Schedule.Datasets datasets -> datasets.condition();
            case Schedule.DatasetsOrTime either -> either.condition();
            default -> null;
        };
        if (written != null) {
            return written.asExpression();
        }
        return of(schedule)
                .map(condition -> condition instanceof Uri uri
                        ? java.util.Map.of("all", List.of(uri.uri()))
                        : condition.asExpression())
                .orElse(null);
    }

    /** The condition as Airflow writes it: {@code (a & b) | c}. */
    default String describe() {
        return switch (this) {
            case Uri uri -> uri.uri();
            case All all ->
                "("
                        + String.join(
                                " & ",
                                all.of().stream()
                                        .map(DatasetCondition::describe)
                                        .toList()) + ")";
            case Any any ->
                "("
                        + String.join(
                                " | ",
                                any.of().stream()
                                        .map(DatasetCondition::describe)
                                        .toList()) + ")";
        };
    }

    /** One dataset, updated or not. */
    record Uri(String uri) implements DatasetCondition {
        public Uri {
            Objects.requireNonNull(uri, "uri");
        }

        @Override
        public boolean isSatisfiedBy(Set<String> updated) {
            return updated.contains(uri);
        }
    }

    /** All of {@code of}. */
    record All(List<DatasetCondition> of) implements DatasetCondition {
        public All {
            of = List.copyOf(of);
        }

        @Override
        public boolean isSatisfiedBy(Set<String> updated) {
            return of.stream().allMatch(c -> c.isSatisfiedBy(updated));
        }
    }

    /** Any of {@code of}. */
    record Any(List<DatasetCondition> of) implements DatasetCondition {
        public Any {
            of = List.copyOf(of);
        }

        @Override
        public boolean isSatisfiedBy(Set<String> updated) {
            return of.stream().anyMatch(c -> c.isSatisfiedBy(updated));
        }
    }
}
