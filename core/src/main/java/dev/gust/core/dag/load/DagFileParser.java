package dev.gust.core.dag.load;

import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.operator.OperatorCatalog;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Parses one dag-factory style YAML file into validated {@link Dag}s. It works on SnakeYAML's
 * node tree rather than plain maps so that every problem keeps its line. A YAML syntax error
 * makes the whole file one import error; otherwise each DAG with a problem is left out and
 * every problem is reported, while the file's other DAGs load. Never throws for bad content.
 * Thread-safe: each call builds its own SnakeYAML parser.
 */
public final class DagFileParser {

    private static final String DEFAULT_BLOCK = "default";
    /**
     * At most this many YAML nodes once aliases are expanded. A real DAG file has a few thousand;
     * a file of nested aliases a few hundred bytes long can otherwise expand to billions and take
     * the process down (see {@link ExpandedYamlSize}).
     */
    static final long MAX_EXPANDED_NODES = 200_000;
    /** At most this many aliases of collections, SnakeYAML's first line of defence against the same. */
    static final int MAX_ALIASES = 100;
    /** At most this deep a nesting of mappings and lists, so that parsing cannot overflow the stack. */
    static final int MAX_NESTING_DEPTH = 50;
    /** At most this many characters of text, above the scanner's byte limit for DAG files. */
    static final int MAX_CODE_POINTS = 8 * 1024 * 1024;

    private final OperatorCatalog catalog;
    private final Clock clock;
    private final Map<String, String> environment;

    /**
     * A parser for {@code catalog}'s operators; relative start dates ('2 days') count back from
     * today by {@code clock}; {@code environment} holds the variables a Python task's
     * {@code python_callable_file} may name ({@code $VAR}), which should be those tasks get
     * ({@code GustConfig.taskEnvironment()}), never Gust's own secrets.
     */
    public DagFileParser(OperatorCatalog catalog, Clock clock, Map<String, String> environment) {
        this.catalog = catalog;
        this.clock = clock;
        this.environment = Map.copyOf(environment);
    }

    /** A parser for {@code catalog}'s operators, with no environment variables; dates relative to {@code clock}. */
    public DagFileParser(OperatorCatalog catalog, Clock clock) {
        this(catalog, clock, Map.of());
    }

    public DagFileParser(OperatorCatalog catalog) {
        this(catalog, Clock.systemUTC());
    }

    /** A parser for the operators on the class path: Gust's own and every plugin's. */
    public DagFileParser() {
        this(OperatorCatalog.onClassPath());
    }

    /** Parses {@code content}; {@code file} is the path relative to the DAG folder, used in errors. */
    public DagFileResult parse(String file, String content) {
        return parse(file, content, null, List.of());
    }

    /**
     * Parses {@code content} of {@code file} (relative to {@code folder}, the DAG folder) with the
     * defaults files it inherits, {@code defaults} running from the DAG folder's root down to the
     * file's own folder (see {@link DagDefaults}). Files a DAG names beside it (its
     * {@code doc_md_file_path}) are read from {@code folder}, null when the file is parsed on its
     * own. Each DAG is the file's {@code default} block with the DAG's own keys merged over it as
     * dag-factory merges them (mappings such as {@code default_args} and {@code tasks} key by key,
     * at every depth; anything else replaced), over the defaults files' settings: the DAG's own
     * keys first, then the default block, then the nearest defaults file.
     */
    public DagFileResult parse(String file, String content, Path folder, List<DagDefaults> defaults) {
        Node root;
        try {
            root = compose(content);
        } catch (MarkedYAMLException e) {
            return DagFileResult.failed(file, lineOf(e), "invalid YAML: " + syntaxMessage(e));
        } catch (YAMLException e) {
            return DagFileResult.failed(file, 1, "invalid YAML: " + e.getMessage());
        }
        if (root == null) {
            return new DagFileResult(file, List.of(), List.of());
        }
        String tooLarge = expansionProblem(root);
        if (tooLarge != null) {
            return DagFileResult.failed(file, 1, tooLarge);
        }
        Problems problems = new Problems(file);
        if (!(root instanceof MappingNode rootMapping)) {
            problems.add(
                    YamlMap.lineOf(root),
                    "a DAG file must map DAG ids to DAG definitions, e.g. 'my_dag: {tasks: ...}'");
            return new DagFileResult(file, List.of(), problems.toImportErrors());
        }
        YamlMap top = YamlMap.of(rootMapping, "DAG id", problems);
        if (DatasetFile.isDatasetFile(top)) {
            return new DagFileResult(file, List.of(), List.of());
        }
        YamlMap dagEntries = top.without(DEFAULT_BLOCK);
        List<String> brokenDefaults = defaults.stream()
                .filter(d -> !d.errors().isEmpty())
                .map(DagDefaults::file)
                .toList();
        if (dagEntries.size() > 0 && !brokenDefaults.isEmpty()) {
            return DagFileResult.failed(
                    file,
                    1,
                    "no DAG of this file is loaded: it inherits " + String.join(" and ", brokenDefaults)
                            + ", which cannot be read; fix the errors reported for "
                            + (brokenDefaults.size() == 1 ? "that file" : "those files"));
        }
        InheritedProblems inherited = new InheritedProblems(file, top.get(DEFAULT_BLOCK), defaults);
        Problems shared = new Problems(file);
        YamlMap fromFolders = FolderDefaults.merge(defaults, shared);
        YamlMap base = withFolderDefaultArgs(defaultBlock(top, shared), fromFolders, shared);
        YamlMap folderSettings = fromFolders.without("default_args");
        inherited.addForEveryDag(shared, problems);
        List<Dag> dags = new ArrayList<>();
        DagReader reader = new DagReader(catalog, file, folder, clock, environment);
        for (YamlMap.Entry entry : dagEntries.entries()) {
            Problems dagProblems = new Problems(file);
            String idProblem = DagIds.problem("DAG id", entry.key());
            if (idProblem != null) {
                dagProblems.add(entry.line(), idProblem);
            }
            Dag read = null;
            if (entry.value() instanceof MappingNode dagNode) {
                YamlMap own = YamlMap.of(dagNode, "DAG '" + entry.key() + "': key", dagProblems);
                // a defaults file's setting applies where neither the DAG nor the default block set it
                for (YamlMap.Entry setting : folderSettings.entries()) {
                    if (!own.has(setting.key()) && !base.has(setting.key())) {
                        own = own.with(setting.key(), setting.line(), setting.value());
                    }
                }
                YamlMap dag = base.deepMergedWith(own, dagProblems);
                explainUninheritedTasks(base, own, dagProblems);
                // what DAGs share (the default block and the defaults files) is checked more leniently
                YamlMap sharedDefaultArgs = DagReader.defaultArgs(base, "the default block", dagProblems);
                read = reader.read(
                        entry.key(),
                        entry.line(),
                        dag,
                        DagReader.defaultArgs(dag, "DAG '" + entry.key() + "'", dagProblems),
                        sharedDefaultArgs,
                        dagProblems);
            } else {
                dagProblems.add(
                        entry.line(),
                        "'" + entry.key() + "' must be a DAG definition (a mapping with " + "tasks), got "
                                + YamlValues.describe(entry.value()));
            }
            boolean inheritsProblems = inherited.sort(entry.key(), entry.line(), dagProblems, problems);
            if (read != null && !inheritsProblems && !inherited.breaksEveryDag()) {
                dags.add(read);
            }
        }
        List<ImportError> errors = new ArrayList<>();
        List<ImportError> inDefaultsFiles = inherited.report(problems);
        errors.addAll(problems.toImportErrors());
        errors.addAll(inDefaultsFiles);
        return new DagFileResult(file, dags, errors, reader.sideFiles());
    }

    /**
     * Reads a defaults file ({@code defaults.yml}), {@code file} being its path relative to the
     * DAG folder. Its settings are checked as the DAGs that inherit them are read; here only
     * what makes the whole file unusable: invalid YAML, or a top that is not a mapping.
     */
    public DagDefaults parseDefaults(String file, String content) {
        if (DagDefaults.depth(file) > DagDefaults.MAX_DEPTH) {
            return DagDefaults.failed(
                    file,
                    1,
                    "this defaults file is more than " + DagDefaults.MAX_DEPTH
                            + " folders below the DAG folder, deeper than Gust reads defaults files; move it up");
        }
        Node root;
        try {
            root = compose(content);
        } catch (MarkedYAMLException e) {
            return DagDefaults.failed(file, lineOf(e), "invalid YAML: " + syntaxMessage(e));
        } catch (YAMLException e) {
            return DagDefaults.failed(file, 1, "invalid YAML: " + e.getMessage());
        }
        if (root == null) {
            return DagDefaults.empty(file);
        }
        String tooLarge = expansionProblem(root);
        if (tooLarge != null) {
            return DagDefaults.failed(file, 1, tooLarge);
        }
        if (!(root instanceof MappingNode mapping)) {
            return DagDefaults.failed(
                    file,
                    YamlMap.lineOf(root),
                    "a defaults file must map DAG settings to values, e.g. 'default_args: {owner: team}', got "
                            + YamlValues.describe(root));
        }
        return DagDefaults.read(file, mapping);
    }

    /**
     * dag-factory merges the default block's tasks into a DAG's only when both are mappings of
     * task ids; a list on either side replaces the other whole. A DAG task that repeats a default
     * task's id without an operator was most likely meant to inherit it, so say why it did not.
     */
    private static void explainUninheritedTasks(YamlMap base, YamlMap own, Problems problems) {
        YamlMap.Entry defaultTasks = base.get("tasks");
        YamlMap.Entry ownTasks = own.get("tasks");
        if (defaultTasks == null
                || ownTasks == null
                || (defaultTasks.value() instanceof MappingNode && ownTasks.value() instanceof MappingNode)) {
            return;
        }
        Problems ignored = new Problems(""); // the DAG reader reports them
        Set<String> defaultIds = taskSettings(defaultTasks.value(), ignored).keySet();
        taskSettings(ownTasks.value(), ignored).forEach((taskId, task) -> {
            if (defaultIds.contains(taskId) && !task.has("operator")) {
                problems.add(
                        task.line(),
                        "task '" + taskId + "' does not inherit the default block's task '" + taskId
                                + "': tasks are merged only when the DAG and the default block both write them as a "
                                + "mapping (task id: settings); a list replaces the default's tasks whole. "
                                + "Write both as mappings, or give the task its operator");
            }
        });
    }

    /** The tasks of a {@code tasks} value in either form, by task id; malformed ones are left to the DAG reader. */
    private static Map<String, YamlMap> taskSettings(Node tasks, Problems ignored) {
        Map<String, YamlMap> result = new LinkedHashMap<>();
        if (tasks instanceof MappingNode mapping) {
            for (YamlMap.Entry task : YamlMap.of(mapping, "task", ignored).entries()) {
                if (task.value() instanceof MappingNode taskNode) {
                    result.putIfAbsent(
                            task.key(), YamlMap.of(taskNode, "key", ignored).at(task.line()));
                }
            }
        } else if (tasks instanceof SequenceNode sequence) {
            for (Node item : sequence.getValue()) {
                if (item instanceof MappingNode taskNode) {
                    YamlMap task = YamlMap.of(taskNode, "key", ignored);
                    YamlMap.Entry id = task.get("task_id");
                    if (id != null && id.value() instanceof ScalarNode scalar) {
                        result.putIfAbsent(scalar.getValue(), task.at(id.line()));
                    }
                }
            }
        }
        return result;
    }

    /**
     * The default block with the defaults files' {@code default_args} under its own, key by key
     * (dag-factory merges these two levels flat: a nested mapping replaces rather than merges).
     */
    private static YamlMap withFolderDefaultArgs(YamlMap block, YamlMap fromFolders, Problems problems) {
        YamlMap.Entry folderArgs = fromFolders.get("default_args");
        if (folderArgs == null) {
            return block;
        }
        YamlMap.Entry ownArgs = block.get("default_args");
        YamlMap merged =
                DagReader.defaultArgs(fromFolders, problems).overriddenBy(DagReader.defaultArgs(block, problems));
        YamlMap.Entry template = ownArgs != null && ownArgs.value() instanceof MappingNode ? ownArgs : folderArgs;
        return block.with("default_args", template.line(), merged.toNode(template.value()));
    }

    private static Node compose(String content) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true); // duplicates are reported by YamlMap, with both lines
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setNestingDepthLimit(MAX_NESTING_DEPTH);
        options.setCodePointLimit(MAX_CODE_POINTS);
        Composer composer = new Composer(
                new ParserImpl(new StreamReader(new StringReader(content)), options), new Resolver(), options);
        return composer.getSingleNode();
    }

    private static String expansionProblem(Node root) {
        try {
            long nodes = ExpandedYamlSize.of(root, MAX_EXPANDED_NODES);
            if (nodes > MAX_EXPANDED_NODES) {
                return "the file expands to more than " + MAX_EXPANDED_NODES + " YAML values once its aliases (*name) "
                        + "are resolved, the limit for a DAG file; use fewer nested aliases or split the file";
            }
            return null;
        } catch (ExpandedYamlSize.RecursiveAliasException e) {
            return "invalid YAML: " + e.getMessage() + "; remove the self-referencing alias";
        }
    }

    private static YamlMap defaultBlock(YamlMap top, Problems problems) {
        YamlMap.Entry entry = top.get(DEFAULT_BLOCK);
        if (entry == null) {
            return YamlMap.empty(1);
        }
        if (entry.value() instanceof MappingNode mapping) {
            return YamlMap.of(mapping, "the default block: key", problems);
        }
        problems.add(entry.line(), "the 'default' block must be a mapping of DAG settings");
        return YamlMap.empty(entry.line());
    }

    private static int lineOf(MarkedYAMLException e) {
        Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        return mark == null ? 1 : mark.getLine() + 1;
    }

    private static String syntaxMessage(MarkedYAMLException e) {
        String problem = e.getProblem() == null ? "" : e.getProblem();
        String context = "";
        if (e.getContext() != null) {
            Mark start = e.getContextMark();
            boolean elsewhere = start != null
                    && e.getProblemMark() != null
                    && start.getLine() != e.getProblemMark().getLine();
            context = e.getContext() + (elsewhere ? " (started on line " + (start.getLine() + 1) + ")" : "") + ": ";
        }
        return context + problem;
    }
}
