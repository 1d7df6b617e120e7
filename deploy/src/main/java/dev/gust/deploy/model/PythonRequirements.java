package dev.gust.deploy.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import dev.gust.deploy.DeployException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * deploy.yaml's {@code python_requirements}: the pip requirements that {@code gust deploy up}
 * installs into the image's python3 for Python tasks, written as a list or as the path of a
 * requirements file (relative to deploy.yaml). What pip reads from the image build cannot be a
 * file on this machine (the build sees only the distribution), so local paths, editable
 * installs and {@code -r}/{@code -c} includes are refused, each in one line.
 */
public record PythonRequirements(List<String> requirements, String file) {

    private static final String KEY = "deploy.yaml: python_requirements";

    public PythonRequirements {
        requirements = requirements == null ? List.of() : List.copyOf(requirements);
        file = file == null || file.isBlank() ? null : file.strip();
        requirements.forEach(PythonRequirements::check);
    }

    /** None: the image's python3 as the Dockerfile leaves it. */
    public static PythonRequirements none() {
        return new PythonRequirements(List.of(), null);
    }

    /** What YAML holds under the key: a list of requirements, or a requirements file's path. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static PythonRequirements of(Object value) {
        return switch (value) {
            case null -> none();
            case String path -> new PythonRequirements(List.of(), path);
            case List<?> list -> {
                List<String> lines = new ArrayList<>();
                for (Object item : list) {
                    if (!(item instanceof String text) || text.isBlank() || text.contains("\n")) {
                        throw new DeployException(KEY + ": each entry must be one requirement on one line, like"
                                + " 'pandas==2.2.2' (got '" + item + "')");
                    }
                    lines.add(text.strip());
                }
                yield new PythonRequirements(lines, null);
            }
            default ->
                throw new DeployException(KEY + " must be a list of requirements or the path of a requirements file"
                        + " (got '" + value + "')");
        };
    }

    /** With a requirements file read from {@code folder} (deploy.yaml's); as is when written as a list. */
    public PythonRequirements readFrom(Path folder) {
        if (file == null) {
            return this;
        }
        Path path = folder.resolve(file).normalize();
        if (!Files.isRegularFile(path)) {
            throw new DeployException(KEY + ": the requirements file '" + file + "' does not exist (looked for " + path
                    + "); give its path relative to deploy.yaml, or list the requirements");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(path).stream()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .toList();
        } catch (IOException e) {
            throw new DeployException(KEY + ": cannot read " + path + ": " + e.getMessage(), e);
        }
        return new PythonRequirements(lines, null);
    }

    /** The requirements file's text the image build installs (one requirement a line); empty for none. */
    public String text() {
        return requirements.isEmpty() ? "" : String.join("\n", requirements) + "\n";
    }

    private static void check(String line) {
        String lower = line.toLowerCase(Locale.ROOT);
        for (String include : List.of("-r", "--requirement", "-c", "--constraint", "-e", "--editable")) {
            if (lower.equals(include) || lower.startsWith(include + " ") || lower.startsWith(include + "=")) {
                throw new DeployException(KEY + ": '" + line + "' reads a file or folder of this machine, which the"
                        + " image build cannot see; list its requirements here instead");
            }
        }
        if (lower.startsWith(".") || lower.startsWith("/") || lower.startsWith("~") || lower.startsWith("file:")) {
            throw new DeployException(KEY + ": '" + line + "' is a local path, which the image build cannot see;"
                    + " publish the package to an index and name it (with --index-url or --extra-index-url)");
        }
    }
}
