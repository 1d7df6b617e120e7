/**
 * The metadata database: the only channel between Gust's processes. {@link
 * dev.gust.core.store.Database} opens it (an existing PostgreSQL, or the shared {@link
 * dev.gust.core.store.EmbeddedPostgresServer} when no URL is configured) and applies the Flyway
 * migrations in {@code db/migration}; {@link dev.gust.core.store.Jdbc} runs plain SQL with named
 * parameters for the repositories, one per table or feature, in the subpackages. A task
 * instance's "none" state is the text {@code 'none'} (the column is NOT NULL), so every state
 * transition can be a plain {@code UPDATE ... WHERE state = :expected}.
 */
package dev.gust.core.store;
