package dev.gust.cli.startup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Java runtime a cache belongs to, named as the launcher names it: {@code JAVA_RUNTIME_VERSION}
 * of the runtime's {@code release} file (what {@code bin/gust} reads without starting a JVM), else
 * its {@code JAVA_VERSION} (all a jlink-made runtime's file has), else {@code java.runtime.version}.
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
        String runtimeVersion = null;
        String version = null;
        try {
            for (String line : Files.readAllLines(javaHome.resolve("release"))) {
                if (line.startsWith("JAVA_RUNTIME_VERSION=")) {
                    runtimeVersion = unquoted(line.substring("JAVA_RUNTIME_VERSION=".length()));
                } else if (line.startsWith("JAVA_VERSION=")) {
                    version = unquoted(line.substring("JAVA_VERSION=".length()));
                }
            }
        } catch (IOException e) {
            // a runtime without a release file: the system property says the same
        }
        if (runtimeVersion != null) {
            return new JavaRuntime(runtimeVersion);
        }
        // a runtime made by jlink has only JAVA_VERSION
        return new JavaRuntime(version != null ? version : System.getProperty("java.runtime.version"));
    }

    private static String unquoted(String value) {
        return value.replace("\"", "");
    }
}
