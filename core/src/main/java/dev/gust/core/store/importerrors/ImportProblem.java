package dev.gust.core.store.importerrors;

/** One reason a DAG file failed to load: the line it points at (null when unknown) and what is wrong. */
public record ImportProblem(Integer line, String message) {}
