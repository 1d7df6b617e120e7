package dev.gust.scheduler.operators.sensors;

import dev.gust.core.dag.operator.BuiltInOperators;
import dev.gust.core.dag.operator.OperatorDefinition;
import dev.gust.scheduler.operators.OperatorArgs;
import dev.gust.scheduler.operators.TaskRunContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.stream.Stream;

/**
 * Airflow's FileSensor: waits until {@code filepath} exists. The path may be a glob
 * ({@code /data/in/*.csv}); {@code **} crosses directories only with {@code recursive: true},
 * as in Python's glob. A matching directory counts only when some file lies beneath it.
 */
public final class FileSensor implements Sensor {

    @Override
    public OperatorDefinition definition() {
        return BuiltInOperators.FILE_SENSOR;
    }

    @Override
    public boolean poke(TaskRunContext context) throws IOException {
        OperatorArgs args = OperatorArgs.of(context);
        String pattern = args.requiredString("filepath");
        boolean recursive = args.bool("recursive", false);
        context.log().info("Poking for file %s", pattern);
        if (!hasGlob(pattern)) {
            return satisfies(Path.of(pattern));
        }
        String glob = recursive ? pattern : pattern.replace("**", "*");
        if (!Path.of(glob).isAbsolute()) {
            glob = Path.of("").toAbsolutePath() + "/" + glob;
        }
        Path base = baseOf(glob);
        if (!Files.isDirectory(base)) {
            return false;
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        int depth = glob.contains("**") ? Integer.MAX_VALUE : Path.of(glob).getNameCount() - base.getNameCount();
        try (Stream<Path> paths = Files.walk(base, depth)) {
            return paths.filter(matcher::matches).anyMatch(FileSensor::satisfies);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static boolean satisfies(Path path) {
        if (Files.isRegularFile(path)) {
            return true;
        }
        if (!Files.isDirectory(path)) {
            return false;
        }
        try (Stream<Path> below = Files.walk(path)) {
            return below.anyMatch(Files::isRegularFile);
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    private static boolean hasGlob(String pattern) {
        return pattern.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
    }

    /** The longest leading directory of the pattern without glob characters. */
    private static Path baseOf(String glob) {
        Path path = Path.of(glob);
        Path base = path.getRoot() == null ? Path.of("") : path.getRoot();
        for (Path part : path) {
            if (hasGlob(part.toString())) {
                break;
            }
            base = base.resolve(part);
        }
        return base.toString().isEmpty() ? Path.of(".") : base;
    }
}
