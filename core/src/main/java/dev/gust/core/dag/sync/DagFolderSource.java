package dev.gust.core.dag.sync;

/**
 * Where the DAG folder's files come from when something other than the user writes them: a DAG
 * bundle that is copied into the folder before each scan. The {@link DagFolderPoller} calls
 * {@link #refresh()} on its one thread right before {@link DagFolderSync#sync(String)}, so the
 * folder never changes while it is being scanned. Core knows only this contract; the scheduler
 * brings the S3 implementation.
 */
public interface DagFolderSource extends AutoCloseable {

    /**
     * Brings the DAG folder up to the newest complete version of the bundle and returns that
     * version; throws (and leaves the folder as it was) when the bundle cannot be read.
     */
    String refresh();

    @Override
    default void close() {}
}
