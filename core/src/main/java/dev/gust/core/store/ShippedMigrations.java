package dev.gust.core.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The versions of the migrations this build ships ({@code db/migration/V<version>__*.sql} on the
 * class path), listed without Flyway: a command that only needs to know whether the schema is
 * current compares them with {@code flyway_schema_history} and never loads Flyway, which costs a
 * short command a few hundred milliseconds of start-up.
 */
final class ShippedMigrations {

    static final String LOCATION = "db/migration";
    private static final Pattern VERSIONED = Pattern.compile("V([0-9][0-9._]*)__.+\\.sql");

    private ShippedMigrations() {}

    /** Every shipped version, as Flyway writes it in {@code flyway_schema_history.version}. */
    static Set<String> versions() {
        return versions(ShippedMigrations.class.getClassLoader());
    }

    /** The versions under {@link #LOCATION} of every jar and folder {@code loader} sees. */
    static Set<String> versions(ClassLoader loader) {
        Set<String> versions = new TreeSet<>();
        try {
            Enumeration<URL> folders = loader.getResources(LOCATION);
            while (folders.hasMoreElements()) {
                URL folder = folders.nextElement();
                switch (folder.getProtocol()) {
                    case "jar" -> fromJar(folder, versions);
                    case "file" -> fromFolder(Path.of(folder.toURI()), versions);
                    default -> throw new IllegalStateException("cannot list migrations at " + folder);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return versions;
    }

    private static void fromJar(URL folder, Set<String> versions) throws IOException {
        JarURLConnection connection = (JarURLConnection) folder.openConnection();
        connection.setUseCaches(false);
        try (JarFile jar = connection.getJarFile()) {
            jar.stream()
                    .map(entry -> entry.getName())
                    .filter(name -> name.startsWith(LOCATION + "/"))
                    .forEach(name -> add(name.substring(LOCATION.length() + 1), versions));
        }
    }

    private static void fromFolder(Path folder, Set<String> versions) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            files.forEach(file -> add(file.getFileName().toString(), versions));
        }
    }

    private static void add(String fileName, Set<String> versions) {
        Matcher m = VERSIONED.matcher(fileName);
        if (m.matches()) {
            // Flyway stores "2.1" for V2_1__x.sql
            versions.add(m.group(1).replace('_', '.'));
        }
    }
}
