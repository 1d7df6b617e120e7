package dev.gust.core.store.dagwarnings;

import java.time.Instant;

/** A row of {@code dag_warning}. */
public record StoredDagWarning(String dagId, String warningType, String message, Instant timestamp) {}
