package dev.gust.webserver;

import dev.gust.core.config.GustConfig;
import dev.gust.core.dag.serialize.DagDefinitions;
import dev.gust.core.store.Jdbc;
import dev.gust.core.store.dags.DagRepository;
import dev.gust.core.store.secrets.EncryptionKeySource;
import dev.gust.core.store.secrets.SecretCipher;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import java.time.Clock;

/**
 * What every part of the web server works with: the configuration, the metadata database, the
 * clock, the HTML templates, the cipher for connection secrets and the DAG definitions read from
 * their serialized form. One record instead of a dozen constructor parameters per route group.
 */
public record WebServices(GustConfig config, Jdbc jdbc, Clock clock, PebbleEngine templates, SecretCipher cipher,
                          DagDefinitions dagDefinitions) {

    public static WebServices create(GustConfig config, Jdbc jdbc) {
        ClasspathLoader loader = new ClasspathLoader();
        loader.setPrefix("templates/");
        loader.setSuffix(".peb");
        // Autoescaping is on by default in Pebble; it is named here because the UI depends on it:
        // DAG descriptions, params, logs and XComs are user-supplied.
        PebbleEngine templates = new PebbleEngine.Builder().loader(loader).autoEscaping(true).build();
        return new WebServices(config, jdbc, Clock.systemUTC(), templates, EncryptionKeySource.cipher(config),
                new DagDefinitions(new DagRepository(jdbc)));
    }

    /** The same services on another clock, for tests of expiry. */
    public WebServices withClock(Clock otherClock) {
        return new WebServices(config, jdbc, otherClock, templates, cipher, dagDefinitions);
    }
}
