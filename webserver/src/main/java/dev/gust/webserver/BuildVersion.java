package dev.gust.webserver;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version Gust was built as (the Maven project version, a semantic version such as {@code
 * 0.1.0} or {@code 0.1.0-SNAPSHOT}), written into {@code build.properties} by the build, so that it
 * is known in a jar, an image and a test run alike.
 */
public final class BuildVersion {

    private static final String VERSION = read();

    private BuildVersion() {}

    public static String version() {
        return VERSION;
    }

    private static String read() {
        try (InputStream in = BuildVersion.class.getResourceAsStream("build.properties")) {
            if (in == null) {
                throw new IllegalStateException("build.properties is missing from the build of the web server");
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "");
            if (!version.matches("\\d+\\.\\d+\\.\\d+.*")) {
                throw new IllegalStateException(
                        "build.properties holds no version ('" + version + "'); build with Maven so it is filled");
            }
            return version;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
