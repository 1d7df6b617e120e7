package dev.gust.core.store.variables;

/** A Variable: a named value DAGs read with {@code {{ var.value.key }}}. */
public record Variable(String key, String value, String description) {}
