package dev.gust.core.store.events;

import java.time.Instant;

/** An entry of the audit log as stored: the {@link Event} with its id and time. */
public record LoggedEvent(long id, Instant dttm, Event event) {}
