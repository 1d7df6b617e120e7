/**
 * Paged listings with total counts and whitelisted sort orders, for the REST API and the UI:
 * {@link dev.gust.core.store.query.PagedQuery} runs one statement that returns a page and the
 * number of rows that match, {@link dev.gust.core.store.query.OrderBy} turns a client's
 * {@code order_by} into SQL only through a whitelist.
 */
package dev.gust.core.store.query;
