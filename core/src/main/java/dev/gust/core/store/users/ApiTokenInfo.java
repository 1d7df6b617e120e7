package dev.gust.core.store.users;

import java.time.Instant;

/** What is known of an API token besides its secret: its name and dates (never the token or its hash). */
public record ApiTokenInfo(String name, Instant createdAt, Instant expiresAt, Instant lastUsedAt) {}
