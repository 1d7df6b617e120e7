package dev.gust.core.dag.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks how a Python task names its callable, in dag-factory's forms: {@code python_callable}
 * (a dotted path, {@code package.module.function}) or {@code python_callable_name} (an
 * identifier) with {@code python_callable_file}. The file is resolved here, never imported:
 * {@code $VAR} and {@code ${VAR}} are expanded as dag-factory expands them, from the variables
 * Gust gives tasks (a DAG file cannot read Gust's own secrets into an import error this way),
 * with {@code $CONFIG_ROOT_DIR}, which dag-factory's documentation sets to the DAG folder, being
 * the DAG folder; a relative path is taken from the DAG file's folder (dag-factory wants it
 * absolute, which does not survive the folder moving to a container). The file must exist. The
 * task's args keep it relative to the DAG folder when it lies inside it, else absolute, which
 * is what the Python runtime reads.
 */
final class PythonCallables {

    static final String CALLABLE = "python_callable";
    static final String NAME = "python_callable_name";
    static final String FILE = "python_callable_file";

    /** dag-factory's documented variable for the folder of the DAG configurations. */
    static final String CONFIG_ROOT_DIR = "CONFIG_ROOT_DIR";

    private static final Pattern IDENTIFIER = Pattern.compile("[\\p{L}_][\\p{L}\\p{N}_]*");
    private static final Pattern DOTTED_PATH =
            Pattern.compile("[\\p{L}_][\\p{L}\\p{N}_]*(\\.[\\p{L}_][\\p{L}\\p{N}_]*)+");
    /** What Python's os.path.expandvars expands on POSIX: $name and ${name}. */
    private static final Pattern VARIABLE = Pattern.compile("\\$(\\w+|\\{([^}]*)})");

    private static final Path OUTSIDE_A_FOLDER = Path.of("/gust-dag-folder-not-given");

    private final Path folder;
    private final String dagFile;
    private final Map<String, String> environment;

    /**
     * @param folder the DAG folder, or null when the file is parsed on its own (files are then
     *     resolved but not checked)
     * @param dagFile the DAG file's path relative to it
     * @param environment the variables a path may name
     */
    PythonCallables(Path folder, String dagFile, Map<String, String> environment) {
        this.folder = folder;
        this.dagFile = dagFile;
        this.environment = environment;
    }

    /** Whether {@code value} names a Python identifier (a function name). */
    static boolean isIdentifier(String value) {
        return IDENTIFIER.matcher(value).matches();
    }

    /**
     * Checks the callable arguments of {@code args} (canonical names, already read) and replaces
     * {@code python_callable_file} with its resolved path; problems go to {@code fields}, on the
     * line of the key that has them ({@code lineOf} finds it).
     */
    void resolve(Map<String, Object> args, FieldReader fields, ToIntFunction<String> lineOf) {
        Object callable = args.get(CALLABLE);
        Object name = args.get(NAME);
        Object file = args.get(FILE);
        if (callable != null && (name != null || file != null)) {
            fields.problem(
                    lineOf.applyAsInt(name != null ? NAME : FILE),
                    fields.where() + ": sets both '" + CALLABLE + "' and '" + (name != null ? NAME : FILE)
                            + "'; name the function either as a dotted path in '" + CALLABLE + "' or with '"
                            + NAME + "' and '" + FILE + "'");
            return;
        }
        if (callable != null
                && !(callable instanceof String text
                        && DOTTED_PATH.matcher(text).matches())) {
            fields.problem(
                    lineOf.applyAsInt(CALLABLE),
                    fields.where() + ": " + CALLABLE + " must be the dotted path of a function, like"
                            + " 'my_package.my_module.my_function', got '" + callable + "'");
        }
        if ((name == null) != (file == null)) {
            String missing = name == null ? NAME : FILE;
            fields.problem(
                    lineOf.applyAsInt(name == null ? FILE : NAME),
                    fields.where() + ": sets '" + (name == null ? FILE : NAME) + "' without '" + missing
                            + "'; give both (the function's name and the file defining it)");
            return;
        }
        if (name == null) {
            return;
        }
        if (!(name instanceof String text && isIdentifier(text))) {
            fields.problem(
                    lineOf.applyAsInt(NAME),
                    fields.where() + ": " + NAME + " must be the name of a function defined in the file,"
                            + " like 'my_function', got '" + name + "'");
        }
        try {
            args.put(FILE, resolveFile(String.valueOf(file)));
        } catch (InvalidValue e) {
            fields.problem(lineOf.applyAsInt(FILE), fields.where() + ": " + FILE + " " + e.getMessage());
        }
    }

    /** The file's path as the task stores it: relative to the DAG folder when inside it, else absolute. */
    String resolveFile(String written) {
        String expanded = expand(written);
        Path path;
        try {
            path = Path.of(expanded);
        } catch (InvalidPathException e) {
            throw new InvalidValue("'" + written + "' is not a valid path");
        }
        if (expanded.isBlank()) {
            throw new InvalidValue("is empty; give the path of the Python file defining the function");
        }
        Path root = root();
        Path resolved =
                (path.isAbsolute() ? path : root.resolve(dagFile).getParent().resolve(path)).normalize();
        String stored = resolved.startsWith(root) ? root.relativize(resolved).toString() : resolved.toString();
        if (folder != null && !Files.isRegularFile(resolved)) {
            String shown = resolved.startsWith(root) ? stored + " in the DAG folder" : stored;
            throw new InvalidValue("'" + written + "' does not exist"
                    + (written.equals(stored) || written.equals(resolved.toString())
                            ? ""
                            : " (resolved to " + shown + ")")
                    + (path.isAbsolute() ? "" : "; a relative path is taken from the folder of " + dagFile)
                    + "; fix the path or add the file");
        }
        return stored;
    }

    /**
     * The DAG folder, as an absolute real path; outside one, a stand-in absolute path, so that
     * paths inside the folder still come out relative to it.
     */
    private Path root() {
        if (folder == null) {
            return OUTSIDE_A_FOLDER;
        }
        try {
            return folder.toRealPath();
        } catch (IOException e) {
            return folder.toAbsolutePath().normalize();
        }
    }

    /** {@code text} with its variables expanded; an unset variable is refused rather than kept as text. */
    private String expand(String text) {
        Matcher matcher = VARIABLE.matcher(text);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String variable = matcher.group(2) != null ? matcher.group(2) : matcher.group(1);
            String value;
            if (variable.equals(CONFIG_ROOT_DIR)) {
                value = root().toString();
            } else {
                value = environment.get(variable);
            }
            if (value == null) {
                throw new InvalidValue("'" + text + "' names the environment variable " + variable
                        + ", which Gust does not give tasks; set it and list it in"
                        + " core.task_environment_passthrough, or write the path relative to the DAG file");
            }
            matcher.appendReplacement(result, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(result);
        return result.toString();
    }
}
