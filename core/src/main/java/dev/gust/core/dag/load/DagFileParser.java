package dev.gust.core.dag.load;

import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.operator.OperatorCatalog;
import java.io.StringReader;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
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

    /** A parser for {@code catalog}'s operators; relative start dates ('2 days') count back from today by {@code clock}. */
    public DagFileParser(OperatorCatalog catalog, Clock clock) {
        this.catalog = catalog;
        this.clock = clock;
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
        YamlMap defaults = defaults(top, problems);
        List<Dag> dags = new ArrayList<>();
        DagReader reader = new DagReader(catalog, file, clock);
        for (YamlMap.Entry entry : top.without(DEFAULT_BLOCK).entries()) {
            Problems dagProblems = new Problems(file);
            String idProblem = DagIds.problem("DAG id", entry.key());
            if (idProblem != null) {
                dagProblems.add(entry.line(), idProblem);
            }
            if (entry.value() instanceof MappingNode dagNode) {
                YamlMap own = YamlMap.of(dagNode, "DAG '" + entry.key() + "': key", dagProblems);
                // DAG keys override the default block's, except default_args, which merge key by key
                YamlMap shared = DagReader.defaultArgs(defaults, "the default block", dagProblems);
                YamlMap defaultArgs =
                        shared.overriddenBy(DagReader.defaultArgs(own, "DAG '" + entry.key() + "'", dagProblems));
                Dag read = reader.read(
                        entry.key(), entry.line(), defaults.overriddenBy(own), defaultArgs, shared, dagProblems);
                if (read != null && dagProblems.isEmpty()) {
                    dags.add(read);
                }
            } else {
                dagProblems.add(
                        entry.line(),
                        "'" + entry.key() + "' must be a DAG definition (a mapping with " + "tasks), got "
                                + YamlValues.describe(entry.value()));
            }
            problems.addAll(dagProblems);
        }
        return new DagFileResult(file, dags, problems.toImportErrors());
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

    private static YamlMap defaults(YamlMap top, Problems problems) {
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
