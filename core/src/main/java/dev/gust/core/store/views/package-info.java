/**
 * Read-only queries shaped for one screen of the web UI (the DAG list, the grid, the audit log):
 * each answers its page in one or two statements, so that pages stay fast with thousands of rows,
 * and none of them changes the shared repositories the scheduler relies on.
 */
package dev.gust.core.store.views;
