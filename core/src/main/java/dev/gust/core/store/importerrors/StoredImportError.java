package dev.gust.core.store.importerrors;

import java.time.Instant;

/** A recorded import error: a DAG file that failed to load, where, why, and when it was seen. */
public record StoredImportError(long id, String filename, Integer line, String message, Instant timestamp) {}
