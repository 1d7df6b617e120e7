package dev.gust.core.dag.sync;

import dev.gust.core.config.GustConfig;
import dev.gust.core.dag.load.DagFolderScan;
import dev.gust.core.dag.load.DagFolderScanner;
import dev.gust.core.dag.load.ImportError;
import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.Schedule;
import dev.gust.core.dag.model.ScheduleDescriber;
import dev.gust.core.dag.serialize.DagSerializer;
import dev.gust.core.dag.warnings.DagWarning;
import dev.gust.core.dag.warnings.DagWarnings;
import dev.gust.core.dag.warnings.PythonInterpreterCheck;
import dev.gust.core.store.dags.DagRecord;
import dev.gust.core.store.dags.DagRepository;
import dev.gust.core.store.dagwarnings.DagWarningRepository;
import dev.gust.core.store.datasets.DatasetReferences;
import dev.gust.core.store.importerrors.ImportErrorRepository;
import dev.gust.core.store.importerrors.ImportProblem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Keeps the metadata database in step with the DAG folder: each {@link #sync()} scans the folder
 * (only changed files are parsed again) and writes what differs from the previous sync: new or
 * changed DAGs with their DAG warnings (replaced as the DAG is stored), DAGs that are gone
 * (marked inactive, never deleted), and import errors; a DAG
 * whose file is broken keeps its last good version until the file is fixed or deleted. After
 * that the webserver and other schedulers know the DAGs without ever reading the files.
 *
 * <p>The first sync of a process also reconciles what an earlier process left behind: DAGs of
 * files deleted in the meantime become inactive and stale import errors go. A folder that does
 * not exist is an error, not "no DAGs", so that a missing mount never deactivates every DAG.
 */
public final class DagFolderSync implements AutoCloseable {

    private final DagFolderScanner scanner;
    private final DagRepository dags;
    private final ImportErrorRepository importErrors;
    private final DagWarningRepository warnings;
    private final GustConfig.Core defaults;
    private final PythonInterpreterCheck python;
    private final DagSerializer serializer = new DagSerializer();

    /**
     * What the last sync wrote of each DAG. The scanner hands back the very same {@code Dag} for
     * a file it did not parse again, so a DAG whose object is the written one is skipped without
     * serializing it for its hash: a sync costs what changed, not the size of the folder.
     */
    private final Map<String, Written> lastWritten = new HashMap<>();

    private final Map<String, List<ImportError>> writtenErrors = new HashMap<>();
    private final Map<String, Set<String>> dagIdsByFile = new HashMap<>();
    private boolean firstSync = true;
    /** The scan the last sync compared and wrote. */
    private DagFolderScan lastSynced;

    private String recordedBundleVersion;

    public DagFolderSync(
            DagFolderScanner scanner,
            DagRepository dags,
            ImportErrorRepository importErrors,
            DagWarningRepository warnings,
            GustConfig.Core defaults) {
        this(scanner, dags, importErrors, warnings, defaults, PythonInterpreterCheck.NOT_CHECKED);
    }

    /** A sync whose DAG warnings also say when Python tasks cannot run here ({@code python}). */
    public DagFolderSync(
            DagFolderScanner scanner,
            DagRepository dags,
            ImportErrorRepository importErrors,
            DagWarningRepository warnings,
            GustConfig.Core defaults,
            PythonInterpreterCheck python) {
        this.python = python;
        this.scanner = scanner;
        this.dags = dags;
        this.importErrors = importErrors;
        this.warnings = warnings;
        this.defaults = defaults;
    }

    /** Scans once and writes the differences; the folder is a plain one, of no bundle version. */
    public SyncOutcome sync() {
        return sync(null);
    }

    /**
     * Scans once and writes the differences, recording that the DAGs found come from DAG bundle
     * {@code bundleVersion} (null: a plain folder).
     */
    public SyncOutcome sync(String bundleVersion) {
        DagFolderMissingException.requireFolder(scanner.folder());
        forgetRequestedFiles();
        DagFolderScan scan = scanner.scan();
        List<String> writtenIds = List.of();
        int deactivated = 0;
        // the scanner hands back the very same maps when no file changed: nothing to compare
        boolean unchanged =
                !firstSync && scan.dags() == lastSynced.dags() && scan.importErrors() == lastSynced.importErrors();
        if (!unchanged) {
            writtenIds = writeDags(scan);
            deactivated = deactivateGone(scan);
            writeImportErrors(scan);
            lastSynced = scan;
        }
        int written = writtenIds.size();
        recordBundleVersion(scan, bundleVersion, writtenIds);
        firstSync = false;
        return new SyncOutcome(
                scan.dags().size(),
                scan.taskCount(),
                written,
                deactivated,
                scan.importErrors().values().stream().mapToInt(List::size).sum(),
                scan.importErrors().size(),
                scan.changedFiles().size());
    }

    /**
     * Files a web server asked to parse again (Airflow's {@code PUT /parseDagFile}) are parsed and
     * their DAGs written as if new, also when nothing changed: that brings back a deleted DAG
     * whose file is still there, and refreshes its last parse time.
     */
    private void forgetRequestedFiles() {
        for (String fileloc : dags.takeReparseRequests()) {
            scanner.forget(fileloc);
            dagIdsByFile.getOrDefault(fileloc, Set.of()).forEach(lastWritten::remove);
        }
    }

    /** Writes the new and changed DAGs and returns the ids of those whose row changed. */
    private List<String> writeDags(DagFolderScan scan) {
        List<String> changedRows = new ArrayList<>();
        List<String> stored = new ArrayList<>();
        List<DagWarning> found = new ArrayList<>();
        for (Dag dag : scan.dags().values()) {
            Written last = lastWritten.get(dag.dagId());
            if (last != null && last.dag() == dag) {
                continue;
            }
            String hash = serializer.versionHash(dag);
            if (last != null && hash.equals(last.hash())) {
                lastWritten.put(dag.dagId(), new Written(dag, hash));
                continue;
            }
            if (upsert(dag, hash)) {
                changedRows.add(dag.dagId());
            }
            lastWritten.put(dag.dagId(), new Written(dag, hash));
            stored.add(dag.dagId());
            found.addAll(DagWarnings.of(dag, python));
        }
        // also for DAGs whose row did not change: the first sync of a process rewrites them all,
        // so warnings found by a newer Gust reach DAGs stored by an older one
        warnings.replaceForDags(stored, found);
        return changedRows;
    }

    /**
     * Stores one DAG parsed outside a sync, with its DAG warnings, as a sync would store it; the
     * folder's other DAGs and import errors are left alone. {@code gust dags test} runs the DAG file
     * as it is now this way, as Airflow 3's does, also on a database that never saw the folder.
     */
    public void store(Dag dag) {
        upsert(dag, serializer.versionHash(dag));
        warnings.replaceForDags(List.of(dag.dagId()), DagWarnings.of(dag, python));
    }

    private boolean upsert(Dag dag, String hash) {
        boolean pausedWhenNew =
                dag.pausedUponCreation() != null ? dag.pausedUponCreation() : defaults.dagsArePausedAtCreation();
        return dags.upsert(record(dag, hash), pausedWhenNew);
    }

    /**
     * DAGs of files that fail to load keep the version their last good definition came from, as
     * they keep that definition; a DAG written for the first time starts with none, hence also
     * after writes, where only the DAGs just written can lack it.
     */
    private void recordBundleVersion(DagFolderScan scan, String bundleVersion, List<String> writtenIds) {
        if (firstSync || !Objects.equals(bundleVersion, recordedBundleVersion)) {
            dags.recordBundleVersion(scan.dags().keySet(), bundleVersion);
            recordedBundleVersion = bundleVersion;
        } else if (!writtenIds.isEmpty()) {
            dags.recordBundleVersion(writtenIds, bundleVersion);
        }
    }

    private int deactivateGone(DagFolderScan scan) {
        Map<String, Set<String>> current = scan.dags().values().stream()
                .collect(Collectors.groupingBy(Dag::fileloc, Collectors.mapping(Dag::dagId, Collectors.toSet())));
        int deactivated = 0;
        if (firstSync) {
            Set<String> files = new HashSet<>(current.keySet());
            files.addAll(scan.importErrors().keySet());
            deactivated += dags.deactivateFilesOtherThan(files);
        }
        Set<String> files = new HashSet<>(dagIdsByFile.keySet());
        files.addAll(current.keySet());
        // A file with import errors keeps its DAGs' last good version running (as Airflow does):
        // a typo in an edit must not stop a production schedule.
        files.removeAll(scan.importErrors().keySet());
        for (String file : files) {
            Set<String> now = current.getOrDefault(file, Set.of());
            if (firstSync || !now.equals(dagIdsByFile.get(file))) {
                deactivated += dags.deactivateMissingFromFile(file, now);
            }
        }
        dagIdsByFile.clear();
        dagIdsByFile.putAll(current);
        // A DAG that went away and comes back must be written again to become active.
        lastWritten.keySet().retainAll(scan.dags().keySet());
        return deactivated;
    }

    private int writeImportErrors(DagFolderScan scan) {
        if (firstSync) {
            importErrors.clearFilesOtherThan(scan.importErrors().keySet());
        }
        Set<String> files = new HashSet<>(writtenErrors.keySet());
        files.addAll(scan.importErrors().keySet());
        for (String file : files) {
            List<ImportError> now = scan.importErrors().getOrDefault(file, List.of());
            if (!firstSync && now.equals(writtenErrors.getOrDefault(file, List.of()))) {
                continue;
            }
            if (now.isEmpty()) {
                importErrors.clearForFile(file);
                writtenErrors.remove(file);
            } else {
                List<ImportProblem> problems = new ArrayList<>();
                now.forEach(error -> problems.add(new ImportProblem(error.line(), error.message())));
                importErrors.replaceForFile(file, problems);
                writtenErrors.put(file, now);
            }
        }
        return scan.importErrors().size();
    }

    private DagRecord record(Dag dag, String hash) {
        return new DagRecord(
                dag.dagId(),
                dag.fileloc(),
                dag.description(),
                dag.owner(),
                dag.tags(),
                scheduleExpression(dag.schedule()),
                ScheduleDescriber.describe(dag.schedule(), dag.timezone()),
                dag.maxActiveRuns() != null ? dag.maxActiveRuns() : defaults.maxActiveRunsPerDag(),
                dag.maxActiveTasks() != null ? dag.maxActiveTasks() : defaults.maxActiveTasksPerDag(),
                serializer.toJson(dag),
                hash,
                dag.dagDisplayName(),
                dag.defaultView(),
                dag.ownerLinks(),
                DatasetReferences.of(dag));
    }

    /** The schedule as the user wrote it, for listings: a preset, a cron expression, an interval. */
    public static String scheduleExpression(Schedule schedule) {
        return switch (schedule) {
            case Schedule.None none -> null;
            case Schedule.Once once -> "@once";
            case Schedule.Cron cron -> cron.preset() != null ? cron.preset() : cron.expression();
            case Schedule.FixedInterval interval -> durationText(interval.interval());
            case Schedule.Datasets datasets
            when datasets.condition() != null ->
                "datasets: " + datasets.condition().describe();
            case Schedule.Datasets datasets -> "datasets: " + String.join(", ", datasets.uris());
            case Schedule.CronTrigger trigger -> String.join(", ", trigger.expressions());
            case Schedule.DeltaTrigger trigger -> durationText(trigger.delta());
            case Schedule.Events events -> "events: " + events.dates().size();
            // the time part is what the scheduler arms a trigger for
            case Schedule.DatasetsOrTime either -> scheduleExpression(either.timetable());
        };
    }

    private static String durationText(java.time.Duration duration) {
        return duration.toString().substring(2).toLowerCase();
    }

    @Override
    public void close() {
        scanner.close();
    }

    /** A DAG as last written, and its version hash. */
    private record Written(Dag dag, String hash) {}

    /** What one sync found and wrote. */
    public record SyncOutcome(
            int dags,
            int tasks,
            int dagsWritten,
            int dagsDeactivated,
            int importErrors,
            int filesWithErrors,
            int changedFiles) {}
}
