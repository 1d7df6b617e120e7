package dev.gust.webserver;

import dev.gust.core.config.GustConfig;
import dev.gust.core.dag.serialize.DagDefinitions;
import dev.gust.core.metrics.MetricsExport;
import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Stores;
import dev.gust.core.store.secrets.SecretCipher;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import java.time.Clock;

/**
 * The web server's composition root: the configuration, the repositories of the metadata
 * database ({@link Stores}), the clock, the HTML templates and the DAG definitions read from
 * their serialized form, built once by {@link #create}. Every API resource group and page takes
 * what it needs from here instead of building its own repositories.
 */
public record WebServices(
        GustConfig config,
        Stores stores,
        Clock clock,
        PebbleEngine templates,
        DagDefinitions dagDefinitions,
        MetricsExport metrics) {

    public static WebServices create(GustConfig config, Jdbc jdbc) {
        return create(config, Stores.open(jdbc, config));
    }

    /**
     * The services of a web server process whose metrics go to {@code metrics} (Jetty's own, and
     * {@code /metrics} for Ops when {@code metrics.webserver_endpoint} is on).
     */
    public static WebServices create(GustConfig config, Jdbc jdbc, MetricsExport metrics) {
        return create(config, Stores.open(jdbc, config)).withMetrics(metrics);
    }

    public static WebServices create(GustConfig config, Stores stores) {
        ClasspathLoader loader = new ClasspathLoader();
        loader.setPrefix("templates/");
        loader.setSuffix(".peb");
        // Autoescaping is on by default in Pebble; it is named here because the UI depends on it:
        // DAG descriptions, params, logs and XComs are user-supplied.
        PebbleEngine templates =
                new PebbleEngine.Builder().loader(loader).autoEscaping(true).build();
        return new WebServices(config, stores, Clock.systemUTC(), templates, new DagDefinitions(stores.dags()), null);
    }

    /** The metadata database, for the read-side queries and the health probe. */
    public Jdbc jdbc() {
        return stores.jdbc();
    }

    /** The cipher of connection secrets and sensitive Variables. */
    public SecretCipher cipher() {
        return stores.cipher();
    }

    /** The same services on another clock, for tests of expiry. */
    public WebServices withClock(Clock otherClock) {
        return new WebServices(config, stores, otherClock, templates, dagDefinitions, metrics);
    }

    /** The same services recording into {@code export} (null: no metrics). */
    public WebServices withMetrics(MetricsExport export) {
        return new WebServices(config, stores, clock, templates, dagDefinitions, export);
    }
}
