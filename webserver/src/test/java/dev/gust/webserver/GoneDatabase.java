package dev.gust.webserver;

import com.zaxxer.hikari.HikariDataSource;
import dev.gust.core.store.Jdbc;
import dev.gust.core.testing.TestDatabase;
import javax.sql.DataSource;

/**
 * A connection pool on a database that does not exist, standing for one that went away: it opens
 * without checking and every connection fails within a second, so a server built on it shows
 * what a client sees while the database is down.
 */
public final class GoneDatabase implements AutoCloseable {

    private final HikariDataSource pool = new HikariDataSource();

    /** Same server and credentials as {@code db}, another database name. */
    public GoneDatabase(TestDatabase db) {
        var settings = db.settings();
        pool.setJdbcUrl(db.url().replace(db.name(), "no_such_database"));
        pool.setUsername(settings.username());
        pool.setPassword(settings.password());
        pool.setInitializationFailTimeout(-1);
        pool.setConnectionTimeout(1000);
    }

    public Jdbc jdbc() {
        return new Jdbc((DataSource) pool);
    }

    @Override
    public void close() {
        pool.close();
    }
}
