package dev.gust.webserver.ui;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The UI's CSS and JavaScript, served from the classpath folder {@code static/} under
 * {@code /static/}. Only the named files exist (no directory walking); they are read once and
 * kept in memory. Scripts come only from here, which is what lets the CSP forbid inline ones.
 * {@code htmx.min.js} (partial page updates: the grid's panel, the live states) is htmx's own
 * file from its WebJar on the classpath, at whatever version the build put there; so are
 * {@code uPlot.min.js} and {@code uPlot.min.css} (the duration and landing charts), from uPlot's.
 */
public final class StaticAssets {

    /** The only files there are; their content type follows from the extension. */
    static final Set<String> FILES = Set.of(
            "gust.css",
            "gust.js",
            "times.js",
            "trigger.js",
            "grid.js",
            "graph.js",
            "favicon.svg",
            "htmx.min.js",
            "charts.js",
            "uPlot.min.js",
            "uPlot.min.css");

    /** The files served from a WebJar: their WebJar (its artifact id) and path inside its version's folder. */
    private static final Map<String, String[]> FROM_WEBJARS = Map.of(
            "htmx.min.js", new String[] {"htmx.org", "dist/htmx.min.js"},
            "uPlot.min.js", new String[] {"uplot", "dist/uPlot.iife.min.js"},
            "uPlot.min.css", new String[] {"uplot", "dist/uPlot.min.css"});

    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    public void serve(Context ctx) {
        String name = ctx.pathParam("file");
        if (!FILES.contains(name)) {
            ctx.status(404).result("not found");
            return;
        }
        byte[] body = cache.computeIfAbsent(name, StaticAssets::read);
        ctx.header("Cache-Control", "public, max-age=300");
        ctx.contentType(contentType(name)).result(body);
    }

    private static String contentType(String name) {
        if (name.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        if (name.endsWith(".svg")) {
            return "image/svg+xml";
        }
        return "text/javascript; charset=utf-8";
    }

    private static byte[] read(String name) {
        String[] webjar = FROM_WEBJARS.get(name);
        String resource = webjar == null
                ? "static/" + name
                : "META-INF/resources/webjars/" + webjar[0] + "/" + webjarVersion(webjar[0]) + "/" + webjar[1];
        try (InputStream in = StaticAssets.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The version of a WebJar on the classpath, from the pom.properties Maven puts in it. */
    private static String webjarVersion(String artifact) {
        try (InputStream in = StaticAssets.class
                .getClassLoader()
                .getResourceAsStream("META-INF/maven/org.webjars.npm/" + artifact + "/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("the " + artifact + " WebJar is missing from the classpath");
            }
            java.util.Properties properties = new java.util.Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
