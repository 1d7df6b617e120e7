package dev.gust.core.dag.load;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads the DAG settings that say how a DAG is shown and looked after, each with the meaning of
 * Airflow's DAG argument of that name: {@code doc_md} (or dag-factory's {@code doc_md_file_path}),
 * {@code dag_display_name}, {@code default_view}, {@code orientation}, {@code owner_links},
 * {@code render_template_as_native_obj} and {@code max_consecutive_failed_dag_runs}. Also refuses,
 * with the reason, the two it cannot honour: {@code access_control} (Gust's access is per role,
 * not per DAG, so ignoring it would show the DAG to more people than its author meant) and
 * dag-factory's {@code doc_md_python_callable_*} (they need Python).
 */
final class DagSettingsReader {

    /** What the settings read to; see {@link dev.gust.core.dag.model.Dag} for their meaning. */
    record Settings(
            String docMd,
            String dagDisplayName,
            String defaultView,
            String orientation,
            Map<String, String> ownerLinks,
            boolean renderTemplateAsNativeObj,
            Integer maxConsecutiveFailedDagRuns) {}

    /** The views Gust has; Airflow's {@code tree} is its old name for the grid. */
    private static final Map<String, String> VIEWS = Map.of("grid", "grid", "graph", "graph", "tree", "grid");
    /** Airflow's other views: valid there, so only a DAG warning here (the DAG opens on its grid). */
    static final List<String> VIEWS_GUST_LACKS = List.of("duration", "gantt", "landing_times", "calendar");

    private static final List<String> ORIENTATIONS = List.of("LR", "TB", "RL", "BT");

    private final String dagId;
    private final Problems problems;
    private final DocFiles docFiles;

    DagSettingsReader(String dagId, Problems problems, DocFiles docFiles) {
        this.dagId = dagId;
        this.problems = problems;
        this.docFiles = docFiles;
    }

    Settings read(YamlMap dag) {
        YamlMap.Entry accessControl = dag.get("access_control");
        if (accessControl != null && !YamlValues.isNull(accessControl.value())) {
            problems.add(
                    accessControl.line(),
                    where() + "access_control gives roles permissions on this one DAG, but Gust's access is per role"
                            + " for every DAG (viewer reads, user runs, op and admin administer); remove"
                            + " access_control, and give people the role they need (gust users ...)");
        }
        Integer maxFailed = read(dag.get("max_consecutive_failed_dag_runs"), node -> {
            int value = YamlValues.integer(node);
            if (value < 0) {
                throw new InvalidValue("must be 0 (never pause) or more, got " + value);
            }
            return value;
        });
        Boolean nativeObjects = read(dag.get("render_template_as_native_obj"), YamlValues::bool);
        return new Settings(
                docMd(dag),
                read(dag.get("dag_display_name"), DagSettingsReader::displayName),
                read(dag.get("default_view"), DagSettingsReader::view),
                read(dag.get("orientation"), DagSettingsReader::orientation),
                read(dag.get("owner_links"), DagSettingsReader::ownerLinks),
                Boolean.TRUE.equals(nativeObjects),
                maxFailed);
    }

    private String where() {
        return "DAG '" + dagId + "': ";
    }

    private <T> T read(YamlMap.Entry entry, Function<Node, T> converter) {
        if (entry == null || YamlValues.isNull(entry.value())) {
            return null;
        }
        try {
            return converter.apply(entry.value());
        } catch (InvalidValue e) {
            problems.add(entry.line(), where() + entry.key() + " " + e.getMessage());
            return null;
        }
    }

    private String docMd(YamlMap dag) {
        YamlMap.Entry python = dag.first("doc_md_python_callable_file", "doc_md_python_callable_name");
        if (python != null) {
            problems.add(
                    python.line(),
                    where() + "'" + python.key() + "' needs Python to build the documentation, which Gust cannot run"
                            + " yet; write the Markdown in doc_md or in a file named by doc_md_file_path");
        }
        YamlMap.Entry inline = dag.get("doc_md");
        YamlMap.Entry file = dag.get("doc_md_file_path");
        if (inline != null && file != null && !YamlValues.isNull(inline.value())) {
            problems.add(
                    file.line(),
                    where() + "sets both doc_md and doc_md_file_path; keep one (the Markdown, or the file holding it)");
            return null;
        }
        if (file != null) {
            return read(file, node -> docFiles.read(YamlValues.string(node)));
        }
        return read(inline, YamlValues::string);
    }

    private static String displayName(Node node) {
        String name = YamlValues.string(node).strip();
        if (name.isEmpty()) {
            throw new InvalidValue("must not be empty; leave it out to show the DAG id");
        }
        return name;
    }

    private static String view(Node node) {
        String text = YamlValues.string(node).strip().toLowerCase(Locale.ROOT);
        String view = VIEWS.get(text);
        if (view != null) {
            return view;
        }
        if (VIEWS_GUST_LACKS.contains(text)) {
            return text;
        }
        throw new InvalidValue(
                "must be grid or graph (Airflow's tree is the grid), got '" + YamlValues.string(node) + "'");
    }

    private static String orientation(Node node) {
        String text = YamlValues.string(node).strip();
        if (!ORIENTATIONS.contains(text)) {
            throw new InvalidValue("must be one of " + String.join(", ", ORIENTATIONS) + " (left to right, top to"
                    + " bottom, right to left, bottom to top), got '" + text + "'");
        }
        return text;
    }

    /** Owner name to link, each an http(s) or mailto: link, as Airflow's {@code owner_links}. */
    private static Map<String, String> ownerLinks(Node node) {
        if (!(node instanceof MappingNode)) {
            throw new InvalidValue("must map owner names to links, e.g. {data-eng: 'https://wiki/data-eng'}, got "
                    + YamlValues.describe(node));
        }
        Map<String, String> links = new LinkedHashMap<>();
        YamlValues.mapping(node).forEach((owner, value) -> {
            String link = value == null ? "" : value.toString().strip();
            if (!isSafeLink(link)) {
                throw new InvalidValue(
                        "'" + owner + "' must be an http://, https:// or mailto: link, got '" + link + "'");
            }
            links.put(owner, link);
        });
        return links;
    }

    /** Only links a browser follows as links: never javascript: or data: ones. */
    static boolean isSafeLink(String link) {
        try {
            URI uri = new URI(link);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return switch (scheme) {
                case "http", "https" -> uri.getHost() != null;
                case "mailto" ->
                    uri.getSchemeSpecificPart() != null
                            && uri.getSchemeSpecificPart().contains("@");
                default -> false;
            };
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
