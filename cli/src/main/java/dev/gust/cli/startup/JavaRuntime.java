package dev.gust.cli.startup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Java runtime a cache belongs to, named as the launcher names it: {@code JAVA_RUNTIME_VERSION}
 * of the runtime's {@code release} file (what {@code bin/gust} reads without starting a JVM), else
 * {@code java.runtime.version}, which holds the same text.
 *
 * @param version e.g. {@code 25.0.3+9-LTS}
 */
public record JavaRuntime(String version) {

    /** The runtime of this JVM. */
    public static JavaRuntime current() {
        return of(Path.of(System.getProperty("java.home")));
    }

    /** The runtime installed in {@code javaHome}. */
    public static JavaRuntime of(Path javaHome) {
        try {
            for (String line : Files.readAllLines(javaHome.resolve("release"))) {
                if (line.startsWith("JAVA_RUNTIME_VERSION=")) {
                    return new JavaRuntime(
                            line.substring("JAVA_RUNTIME_VERSION=".length()).replace("\"", ""));
                }
            }
        } catch (IOException e) {
            // a runtime without a release file: the system property says the same
        }
        return new JavaRuntime(System.getProperty("java.runtime.version"));
    }
}
