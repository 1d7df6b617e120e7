package dev.gust.core.store;

/** What {@link Database#migrate()} did: how many migrations it applied and the version now in place. */
public record MigrationOutcome(int applied, String schemaVersion) {}
