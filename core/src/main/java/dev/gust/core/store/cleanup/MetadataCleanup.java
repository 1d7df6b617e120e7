package dev.gust.core.store.cleanup;

import dev.gust.core.state.DagRunState;
import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import dev.gust.core.store.StoreException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code gust db clean}'s SQL: counts the old rows of the {@link CleanedTables}, and moves them
 * into {@code _gust_archive_<table>_<yyyyMMddHHmmss>} tables (or only deletes them) in batches
 * that never lock the scheduler out. A batch is one short transaction that takes the next rows in
 * key order with {@code FOR UPDATE SKIP LOCKED} (a row another transaction holds is left for
 * the next clean, never waited for), deletes them and inserts them into the archive in one
 * statement; {@code SET LOCAL lock_timeout} bounds any other wait, after which the batch is rolled
 * back and tried again. The next batch starts after the last key, so the whole clean reads each
 * table once. Rows are deleted children first and a parent only once it has no children left, so
 * no FK cascade ever deletes an unarchived row.
 */
public final class MetadataCleanup {

    public static final String ARCHIVE_PREFIX = "_gust_archive_";

    private static final DateTimeFormatter ARCHIVE_STAMP =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);
    private static final String LOCK_NOT_AVAILABLE = "55P03";
    private static final int LOCK_ATTEMPTS = 10;
    private static final Duration LOCK_RETRY_PAUSE = Duration.ofMillis(200);

    private final Jdbc jdbc;

    public MetadataCleanup(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** The archive table of {@code table} for a clean started at {@code startedAt}. */
    public static String archiveName(String table, Instant startedAt) {
        return ARCHIVE_PREFIX + table + "_" + ARCHIVE_STAMP.format(startedAt);
    }

    /** How many rows of {@code table} are older than {@code before} (what a dry run prints). */
    public long count(CleanedTable table, Instant before) {
        return jdbc.queryOne(
                        "SELECT count(*) AS n FROM " + table.from() + " WHERE " + table.old(),
                        oldRows(before),
                        row -> row.getLong("n"))
                .orElseThrow();
    }

    /** Cleans the request's tables in order and says what each lost. */
    public List<TableCleanup> clean(CleanupRequest request, CleanupProgress progress) {
        List<TableCleanup> outcomes = new ArrayList<>();
        for (CleanedTable table : request.tables()) {
            outcomes.add(clean(table, request, progress));
        }
        return outcomes;
    }

    private TableCleanup clean(CleanedTable table, CleanupRequest request, CleanupProgress progress) {
        long started = System.nanoTime();
        long candidates = count(table, request.before());
        String archive =
                request.skipArchive() || candidates == 0 ? null : archiveName(table.name(), request.startedAt());
        progress.tableStarted(table, candidates, archive);
        if (candidates == 0) {
            return new TableCleanup(table.name(), 0, 0, null, 0, Duration.ZERO, Duration.ZERO, false);
        }
        if (archive != null) {
            // LIKE copies the columns in order (and NOT NULL) but no key, index, default or identity.
            jdbc.update("CREATE TABLE IF NOT EXISTS " + archive + " (LIKE " + table.name() + ")", Params.none());
        }
        String first = batchSql(table, archive, false);
        String next = batchSql(table, archive, true);
        List<Object> lastKey = null;
        long deleted = 0;
        int batches = 0;
        Duration slowest = Duration.ZERO;
        boolean stoppedEarly = false;
        while (true) {
            long batchStarted = System.nanoTime();
            Batch batch = runBatch(table, lastKey == null ? first : next, params(request, lastKey), request, progress);
            if (batch == Batch.GAVE_UP) {
                stoppedEarly = true;
                break;
            }
            if (batch == Batch.NONE_LEFT) {
                break;
            }
            Duration took = Duration.ofNanos(System.nanoTime() - batchStarted);
            slowest = took.compareTo(slowest) > 0 ? took : slowest;
            deleted += batch.rows();
            batches++;
            lastKey = batch.lastKey();
            progress.batchDone(table, batches, batch.rows(), deleted, took);
        }
        return new TableCleanup(
                table.name(),
                candidates,
                deleted,
                deleted == 0 ? null : archive,
                batches,
                Duration.ofNanos(System.nanoTime() - started),
                slowest,
                stoppedEarly);
    }

    /** What one batch moved (its rows and last key), or that none were left, or that it gave up on locks. */
    private record Batch(int rows, List<Object> lastKey) {
        static final Batch NONE_LEFT = new Batch(0, List.of());
        static final Batch GAVE_UP = new Batch(0, List.of());
    }

    /** One batch in its own transaction, tried again when a lock is not granted in time. */
    private Batch runBatch(
            CleanedTable table, String sql, Params params, CleanupRequest request, CleanupProgress progress) {
        for (int attempt = 1; ; attempt++) {
            try {
                return jdbc.inTransaction(tx -> {
                            tx.update(
                                    "SET LOCAL lock_timeout = '"
                                            + request.lockTimeout().toMillis() + "ms'",
                                    Params.none());
                            return tx.queryOne(sql, params, row -> {
                                List<Object> key = new ArrayList<>();
                                for (String column : table.key()) {
                                    key.add(row.getObject(column));
                                }
                                return new Batch(row.getInt("batch_rows"), key);
                            });
                        })
                        .orElse(Batch.NONE_LEFT);
            } catch (StoreException e) {
                if (!LOCK_NOT_AVAILABLE.equals(e.sqlState())) {
                    throw e;
                }
                progress.lockWaitGaveUp(table, attempt);
                if (attempt == LOCK_ATTEMPTS) {
                    return Batch.GAVE_UP;
                }
                pause();
            }
        }
    }

    /** What {@link CleanedTable#old()} binds: the cut-off, and the run states that are finished. */
    private static Params oldRows(Instant before) {
        return Params.of("before", before).and("finished_run_states", DagRunState.FINISHED);
    }

    private static Params params(CleanupRequest request, List<Object> lastKey) {
        Params params = oldRows(request.before()).and("limit", request.batchSize());
        if (lastKey != null) {
            for (int i = 0; i < lastKey.size(); i++) {
                params.and("k" + (i + 1), lastKey.get(i));
            }
        }
        return params;
    }

    private static String batchSql(CleanedTable table, String archive, boolean afterLastKey) {
        String where = table.old()
                + (table.childless().isEmpty() ? "" : " AND " + table.childless())
                + (afterLastKey ? " AND " + table.keyAfterLast() : "");
        return "WITH batch AS (SELECT " + table.keyList("t") + " FROM " + table.from() + " WHERE " + where
                + " ORDER BY " + table.keyList("t") + " LIMIT :limit FOR UPDATE OF t SKIP LOCKED),"
                + " moved AS (DELETE FROM " + table.name() + " d USING batch b WHERE " + table.keyJoin("d", "b")
                + " RETURNING d.*)"
                + (archive == null ? "" : ", archived AS (INSERT INTO " + archive + " SELECT * FROM moved)")
                + " SELECT " + table.keyList("b") + ", count(*) OVER () AS batch_rows FROM batch b ORDER BY "
                + String.join(
                        ", ", table.key().stream().map(c -> "b." + c + " DESC").toList()) + " LIMIT 1";
    }

    private static void pause() {
        try {
            Thread.sleep(LOCK_RETRY_PAUSE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry a cleanup batch", e);
        }
    }

    /**
     * The archive tables in the database (of {@code tables} only, when not empty), by name: what
     * {@code gust db drop-archived} drops.
     */
    public List<String> archiveTables(Collection<String> tables) {
        Pattern ours = Pattern.compile(Pattern.quote(ARCHIVE_PREFIX) + "(.+)_\\d{14}");
        return jdbc.query("""
                        SELECT tablename FROM pg_tables
                         WHERE schemaname = current_schema() AND starts_with(tablename, :prefix)
                         ORDER BY tablename""", Params.of("prefix", ARCHIVE_PREFIX), row -> row.getString("tablename")).stream()
                .filter(name -> {
                    var match = ours.matcher(name);
                    return match.matches() && (tables.isEmpty() || tables.contains(match.group(1)));
                })
                .toList();
    }

    /** How many rows an archive table holds. */
    public long archivedRows(String archiveTable) {
        requireArchive(archiveTable);
        return jdbc.queryOne("SELECT count(*) AS n FROM " + archiveTable, Params.none(), row -> row.getLong("n"))
                .orElseThrow();
    }

    /** Drops one archive table. */
    public void dropArchive(String archiveTable) {
        requireArchive(archiveTable);
        jdbc.update("DROP TABLE IF EXISTS " + archiveTable, Params.none());
    }

    private static void requireArchive(String name) {
        // The name is spliced into SQL: only our own archive names, which are plain identifiers, pass.
        if (!name.matches(Pattern.quote(ARCHIVE_PREFIX) + "[a-z_]+_\\d{14}")) {
            throw new IllegalArgumentException("not an archive table of gust db clean: " + name);
        }
    }
}
