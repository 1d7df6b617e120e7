package dev.gust.core.dag.load;

import dev.gust.core.dag.model.Dag;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the DAGs of a DAG folder up to date. Each {@link #scan()} walks the folder for
 * {@code *.yaml}/{@code *.yml} files (skipping hidden files and folders, and paths matching a
 * regex in the folder's {@code .gustignore}), parses only files whose size or modification time
 * changed and whose content hash differs, in parallel, and then resolves DAG ids defined in
 * more than one file: the file first in path order keeps the DAG, the others get an import
 * error. A {@code defaults.yml} (or {@code defaults.yaml}) holds settings for the DAG files in its
 * folder and below (see {@link DagDefaults}), not DAGs: a DAG file is parsed again when a
 * defaults file it inherits changes, appears or goes, and when a file its DAGs read beside it (a
 * {@code doc_md_file_path}) changes, appears or goes. Bad content and unreadable files become
 * import errors; a scan never throws for them.
 * Scans are not meant to run concurrently; one scanner belongs to one loop.
 */
public final class DagFolderScanner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DagFolderScanner.class);

    /** How the scanner reads files: the size limit and the number of parsing threads. */
    public record Settings(long maxFileBytes, int parallelism) {

        public static Settings defaults() {
            return new Settings(1024 * 1024, Runtime.getRuntime().availableProcessors());
        }
    }

    /** What the last scan knew of a DAG file; {@code chain} names the defaults files it inherited, with their hashes. */
    private record FileState(long modified, long size, String hash, String chain, DagFileResult result) {

        FileState(long modified, long size, String hash, DagFileResult result) {
            this(modified, size, hash, "", result);
        }

        FileState inheriting(String inheritedChain) {
            return new FileState(modified, size, hash, inheritedChain, result);
        }
    }

    private record DefaultsState(long modified, long size, String hash, DagDefaults defaults) {}

    /** A side file's fingerprint (see {@link DocFiles#fingerprint}) as of its modification time and size. */
    private record SideState(long modified, long size, String fingerprint) {}

    private record Candidate(String file, Path path, long modified, long size) {}

    /** The YAML files of the folder: DAG files and defaults files, each by path relative to the folder. */
    private record Found(Map<String, Candidate> dagFiles, Map<String, Candidate> defaultsFiles) {}

    private final Path folder;
    private final Settings settings;
    private final DagFileParser parser;
    private final ExecutorService pool;
    private final Map<String, FileState> states = new HashMap<>();
    private final Map<String, DefaultsState> defaultsStates = new HashMap<>();
    private final Map<Path, SideState> sideStates = new HashMap<>();
    private final AtomicLong parses = new AtomicLong();
    /** What the last scan that found a change resolved; reused while nothing changes. */
    private DagFolderScan lastScan;

    public DagFolderScanner(Path folder, Settings settings, DagFileParser parser) {
        this.folder = folder;
        this.settings = settings;
        this.parser = parser;
        this.pool = Executors.newFixedThreadPool(Math.max(1, settings.parallelism()), runnable -> {
            Thread thread = new Thread(runnable, "dag-file-parser");
            thread.setDaemon(true);
            return thread;
        });
    }

    public DagFolderScanner(Path folder) {
        this(folder, Settings.defaults(), new DagFileParser());
    }

    public Path folder() {
        return folder;
    }

    public DagFolderScan scan() {
        Found found = walk();
        Set<String> removed = new HashSet<>(states.keySet());
        removed.removeAll(found.dagFiles().keySet());
        removed.forEach(states::remove);
        Set<String> changed = new HashSet<>();
        Map<String, DagDefaults> defaultsByFolder = refreshDefaults(found.defaultsFiles(), changed, removed);

        List<Candidate> touched = new ArrayList<>();
        List<List<DagDefaults>> chains = new ArrayList<>();
        List<Boolean> sidesChanged = new ArrayList<>();
        for (Candidate candidate : found.dagFiles().values()) {
            FileState state = states.get(candidate.file());
            List<DagDefaults> chain = chainOf(candidate.file(), defaultsByFolder);
            boolean sideChanged =
                    state != null && sideFilesChanged(state.result().sideFiles());
            if (state == null
                    || state.modified() != candidate.modified()
                    || state.size() != candidate.size()
                    || !state.chain().equals(chainKey(chain))
                    || sideChanged) {
                touched.add(candidate);
                chains.add(chain);
                sidesChanged.add(sideChanged);
            }
        }
        List<Future<FileState>> futures = new ArrayList<>(touched.size());
        for (int i = 0; i < touched.size(); i++) {
            Candidate candidate = touched.get(i);
            List<DagDefaults> chain = chains.get(i);
            FileState previous = sidesChanged.get(i) ? null : states.get(candidate.file());
            String key = chainKey(chain);
            futures.add(pool.submit(() -> load(candidate, previous, chain, key)));
        }
        for (int i = 0; i < touched.size(); i++) {
            String file = touched.get(i).file();
            FileState state = join(touched.get(i), futures.get(i)).inheriting(chainKey(chains.get(i)));
            FileState previous = states.put(file, state);
            if (previous == null
                    || !previous.hash().equals(state.hash())
                    || !previous.chain().equals(state.chain())
                    || !previous.result().sideFiles().equals(state.result().sideFiles())) {
                changed.add(file);
            }
        }
        forgetUnusedSideFiles();
        if (changed.isEmpty() && removed.isEmpty() && lastScan != null) {
            // nothing new: the same DAGs and errors (the same objects, so a sync can tell at once)
            return new DagFolderScan(lastScan.dags(), lastScan.importErrors(), Set.of(), Set.of());
        }
        lastScan = resolve(changed, removed);
        return lastScan;
    }

    /** Forgets what was read from {@code file}, so the next scan parses it again as a new file. */
    public void forget(String file) {
        states.remove(file);
        lastScan = null;
    }

    /** Whether a side file a DAG file's DAGs read differs now from what they read. */
    private boolean sideFilesChanged(Map<Path, String> sideFiles) {
        for (Map.Entry<Path, String> side : sideFiles.entrySet()) {
            if (!side.getValue().equals(sideFingerprint(side.getKey()))) {
                return true;
            }
        }
        return false;
    }

    /** A side file's fingerprint, read again only when its modification time or size changed. */
    private String sideFingerprint(Path path) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (IOException e) {
            sideStates.remove(path);
            return DocFiles.fingerprint(path);
        }
        long modified = attributes.lastModifiedTime().toMillis();
        SideState known = sideStates.get(path);
        if (known != null && known.modified() == modified && known.size() == attributes.size()) {
            return known.fingerprint();
        }
        String fingerprint = DocFiles.fingerprint(path);
        sideStates.put(path, new SideState(modified, attributes.size(), fingerprint));
        return fingerprint;
    }

    private void forgetUnusedSideFiles() {
        Set<Path> used = new HashSet<>();
        states.values().forEach(state -> used.addAll(state.result().sideFiles().keySet()));
        sideStates.keySet().retainAll(used);
    }

    /**
     * Reads the defaults files that are new or changed and returns the one used in each folder
     * (by folder, "" for the root): {@code defaults.yml} before {@code defaults.yaml}, as
     * dag-factory picks them.
     */
    private Map<String, DagDefaults> refreshDefaults(
            Map<String, Candidate> files, Set<String> changed, Set<String> removed) {
        Set<String> gone = new HashSet<>(defaultsStates.keySet());
        gone.removeAll(files.keySet());
        gone.forEach(defaultsStates::remove);
        removed.addAll(gone);
        for (Candidate candidate : files.values()) {
            DefaultsState state = defaultsStates.get(candidate.file());
            if (state != null && state.modified() == candidate.modified() && state.size() == candidate.size()) {
                continue;
            }
            DefaultsState read = loadDefaults(candidate, state);
            defaultsStates.put(candidate.file(), read);
            if (state == null || !state.hash().equals(read.hash())) {
                changed.add(candidate.file());
            }
        }
        Map<String, DagDefaults> byFolder = new HashMap<>();
        for (String name : DagDefaults.FILE_NAMES.reversed()) {
            for (Map.Entry<String, DefaultsState> entry : defaultsStates.entrySet()) {
                if (entry.getKey().equals(name) || entry.getKey().endsWith("/" + name)) {
                    byFolder.put(folderOf(entry.getKey()), entry.getValue().defaults());
                }
            }
        }
        return byFolder;
    }

    private DefaultsState loadDefaults(Candidate candidate, DefaultsState previous) {
        String file = candidate.file();
        if (candidate.size() > settings.maxFileBytes()) {
            return new DefaultsState(
                    candidate.modified(),
                    candidate.size(),
                    "too-large:" + candidate.size(),
                    DagDefaults.failed(
                            file,
                            1,
                            "file is " + candidate.size() + " bytes, larger than the limit of "
                                    + settings.maxFileBytes() + " bytes for DAG files; split it"));
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(candidate.path());
        } catch (IOException e) {
            return new DefaultsState(
                    -1, candidate.size(), "unreadable:" + e, DagDefaults.failed(file, 1, "cannot read the file: " + e));
        }
        String hash = sha256(bytes);
        if (previous != null && previous.hash().equals(hash)) {
            return new DefaultsState(candidate.modified(), candidate.size(), hash, previous.defaults());
        }
        String content = utf8(bytes);
        if (content == null) {
            return new DefaultsState(
                    candidate.modified(),
                    candidate.size(),
                    hash,
                    DagDefaults.failed(file, 1, "the file is not valid UTF-8 text"));
        }
        DagDefaults defaults;
        try {
            defaults = parser.parseDefaults(file, content);
        } catch (OutOfMemoryError | InternalError | UnknownError e) {
            throw e;
        } catch (Throwable e) {
            defaults = DagDefaults.failed(file, 1, parserFailure(file, e));
        }
        return new DefaultsState(candidate.modified(), candidate.size(), hash, defaults);
    }

    /** The defaults files {@code file} inherits, from the folder's root down to its own folder. */
    private static List<DagDefaults> chainOf(String file, Map<String, DagDefaults> defaultsByFolder) {
        if (defaultsByFolder.isEmpty()) {
            return List.of();
        }
        List<DagDefaults> chain = new ArrayList<>();
        String folder = folderOf(file);
        while (true) {
            DagDefaults defaults = defaultsByFolder.get(folder);
            if (defaults != null) {
                chain.addFirst(defaults);
            }
            if (folder.isEmpty()) {
                return chain;
            }
            folder = folderOf(folder);
        }
    }

    /** The folder of a path relative to the DAG folder, "" for the root. */
    private static String folderOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    /** What a DAG file's inherited defaults are, to tell whether it must be parsed again. */
    private String chainKey(List<DagDefaults> chain) {
        StringBuilder key = new StringBuilder();
        for (DagDefaults defaults : chain) {
            key.append(defaults.file())
                    .append('@')
                    .append(defaultsStates.get(defaults.file()).hash())
                    .append(';');
        }
        return key.toString();
    }

    /** How many times a file was actually parsed since this scanner was made (for tests and metrics). */
    public long parseCount() {
        return parses.get();
    }

    private static FileState join(Candidate candidate, Future<FileState> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while scanning the DAG folder", e);
        } catch (ExecutionException e) {
            // load() already turns what a file can cause into an import error; whatever still
            // arrives here is about this one file and must not stop the others from syncing
            Throwable cause = e.getCause();
            if (cause instanceof VirtualMachineError vmError && !(cause instanceof StackOverflowError)) {
                throw vmError;
            }
            return new FileState(
                    -1,
                    candidate.size(),
                    "failed:" + cause,
                    DagFileResult.failed(candidate.file(), 1, parserFailure(candidate.file(), cause)));
        }
    }

    /** The import error for a file whose parsing failed unexpectedly, logged with the file's name. */
    private static String parserFailure(String file, Throwable failure) {
        if (failure instanceof StackOverflowError) {
            log.warn("DAG file {}: parsing it overflowed the stack; it is reported as an import error", file);
            return "the file is nested too deeply to read (the parser ran out of stack); flatten it";
        }
        log.warn("DAG file {}: internal error while reading it; it is reported as an import error", file, failure);
        return "internal error while reading the file: " + failure;
    }

    /** Reads and parses one file, reusing the previous result when only its timestamp changed. */
    private FileState load(Candidate candidate, FileState previous, List<DagDefaults> chain, String chainKey) {
        String file = candidate.file();
        if (candidate.size() > settings.maxFileBytes()) {
            return new FileState(
                    candidate.modified(),
                    candidate.size(),
                    "too-large:" + candidate.size(),
                    DagFileResult.failed(
                            file,
                            1,
                            "file is " + candidate.size() + " bytes, larger than the limit of "
                                    + settings.maxFileBytes() + " bytes for DAG files; split it into smaller files"));
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(candidate.path());
        } catch (IOException e) {
            // no modification time recorded, so the next scan tries again: the error may be transient
            return new FileState(
                    -1,
                    candidate.size(),
                    "unreadable:" + e,
                    DagFileResult.failed(file, 1, "cannot read the file: " + e));
        }
        String hash = sha256(bytes);
        if (previous != null && previous.hash().equals(hash) && previous.chain().equals(chainKey)) {
            return new FileState(candidate.modified(), candidate.size(), hash, previous.result());
        }
        String content = utf8(bytes);
        if (content == null) {
            return new FileState(
                    candidate.modified(),
                    candidate.size(),
                    hash,
                    DagFileResult.failed(file, 1, "the file is not valid UTF-8 text"));
        }
        DagFileResult result;
        parses.incrementAndGet();
        try {
            result = parser.parse(file, content, folder, chain);
        } catch (OutOfMemoryError | InternalError | UnknownError e) {
            throw e; // the process is in trouble, not the file
        } catch (Throwable e) {
            // a parser bug or a stack overflow must not take down the folder scan; the file shows as broken instead
            result = DagFileResult.failed(file, 1, parserFailure(file, e));
        }
        return new FileState(candidate.modified(), candidate.size(), hash, result);
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /**
     * Gathers every DAG in path order; later files defining a known DAG id get an import error.
     * Errors are filed under the file they lie in: a DAG file reports the problems it found in
     * the defaults files it inherits under those files, each once.
     */
    private DagFolderScan resolve(Set<String> changed, Set<String> removed) {
        Map<String, Dag> dags = new LinkedHashMap<>();
        Map<String, Set<ImportError>> errors = new TreeMap<>();
        for (Map.Entry<String, FileState> entry : new TreeMap<>(states).entrySet()) {
            DagFileResult result = entry.getValue().result();
            result.errors().forEach(error -> fileError(errors, error));
            for (Dag dag : result.dags()) {
                Dag existing = dags.putIfAbsent(dag.dagId(), dag);
                if (existing != null) {
                    fileError(
                            errors,
                            new ImportError(
                                    entry.getKey(),
                                    dag.line(),
                                    "DAG id '" + dag.dagId() + "' is already defined in " + existing.fileloc()));
                }
            }
        }
        for (Map.Entry<String, DefaultsState> entry : new TreeMap<>(defaultsStates).entrySet()) {
            entry.getValue().defaults().errors().forEach(error -> fileError(errors, error));
            String file = entry.getKey();
            String preferred = DagDefaults.FILE_NAMES.getFirst();
            if (!file.endsWith(preferred)) {
                String folder = folderOf(file);
                String shadowing = folder.isEmpty() ? preferred : folder + "/" + preferred;
                if (defaultsStates.containsKey(shadowing)) {
                    fileError(
                            errors,
                            new ImportError(
                                    file,
                                    1,
                                    "this file is not used: " + shadowing + " in the same folder is (dag-factory reads "
                                            + "one defaults file per folder, " + preferred + " first); merge the two"));
                }
            }
        }
        Map<String, List<ImportError>> sorted = new TreeMap<>();
        errors.forEach((file, fileErrors) -> sorted.put(
                file,
                fileErrors.stream()
                        .sorted(Comparator.comparingInt(ImportError::line))
                        .toList()));
        return new DagFolderScan(dags, sorted, changed, removed);
    }

    private static void fileError(Map<String, Set<ImportError>> errors, ImportError error) {
        errors.computeIfAbsent(error.file(), file -> new LinkedHashSet<>()).add(error);
    }

    private Found walk() {
        Found found = new Found(new TreeMap<>(), new TreeMap<>());
        if (!Files.isDirectory(folder)) {
            return found;
        }
        try {
            // links are followed because mounted DAG folders (Kubernetes ConfigMaps, git-sync) are made of them
            Files.walkFileTree(
                    folder,
                    EnumSet.of(FileVisitOption.FOLLOW_LINKS),
                    Integer.MAX_VALUE,
                    new YamlFileCollector(ignorePatterns(), found));
        } catch (IOException e) {
            throw new IllegalStateException("cannot list the DAG folder " + folder + ": " + e.getMessage(), e);
        }
        return found;
    }

    /** Collects the YAML files of the folder, skipping hidden and ignored paths. */
    private final class YamlFileCollector extends SimpleFileVisitor<Path> {

        private final List<Pattern> ignored;
        private final Found found;

        YamlFileCollector(List<Pattern> ignored, Found found) {
            this.ignored = ignored;
            this.found = found;
        }

        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            if (dir.equals(folder)) {
                return FileVisitResult.CONTINUE;
            }
            boolean skip = dir.getFileName().toString().startsWith(".") || isIgnored(relative(dir), ignored);
            return skip ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path path, BasicFileAttributes attrs) {
            String name = path.getFileName().toString();
            if (attrs.isRegularFile() && !name.startsWith(".") && (name.endsWith(".yaml") || name.endsWith(".yml"))) {
                String file = relative(path);
                if (!isIgnored(file, ignored)) {
                    // a defaults file holds settings for the DAG files around it, not DAGs
                    Map<String, Candidate> kind =
                            DagDefaults.isDefaultsFileName(name) ? found.defaultsFiles() : found.dagFiles();
                    kind.put(
                            file,
                            new Candidate(file, path, attrs.lastModifiedTime().toMillis(), attrs.size()));
                }
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path path, IOException e) {
            // an unreadable entry or a link loop must not hide the rest of the folder
            return FileVisitResult.CONTINUE;
        }
    }

    private String relative(Path path) {
        return folder.relativize(path).toString().replace('\\', '/');
    }

    private static boolean isIgnored(String file, List<Pattern> ignored) {
        for (Pattern pattern : ignored) {
            if (pattern.matcher(file).find()) {
                return true;
            }
        }
        return false;
    }

    /** Patterns from {@code .gustignore}: one regex per line, blank lines and {@code #} comments skipped. */
    private List<Pattern> ignorePatterns() {
        Path ignoreFile = folder.resolve(".gustignore");
        if (!Files.isRegularFile(ignoreFile)) {
            return List.of();
        }
        List<Pattern> patterns = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(ignoreFile)) {
                String trimmed = line.trim();
                if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                    try {
                        patterns.add(Pattern.compile(trimmed));
                    } catch (PatternSyntaxException e) {
                        // an invalid pattern ignores nothing rather than stopping every DAG from loading
                    }
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        return patterns;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
