/** {@code gust db clean}: deleting (and archiving) the metadata database's old rows in small batches. */
package dev.gust.core.store.cleanup;
