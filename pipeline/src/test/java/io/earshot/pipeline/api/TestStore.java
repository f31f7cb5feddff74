package io.earshot.pipeline.api;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;

/**
 * A real PostgreSQL for the API tests: zonky's embedded binaries (from Maven Central) in a
 * temporary directory, with the store's migrations ({@code db/migration}) applied by plain
 * JDBC. As root, zonky runs {@code initdb}, {@code pg_ctl} and {@code postgres} under
 * {@code unshare -U}, in a user namespace where they are not root, so the tests run the same
 * as root (CI) and as a user.
 */
final class TestStore implements AutoCloseable {

    private final EmbeddedPostgres postgres;

    private TestStore(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Starts PostgreSQL and applies the schema. */
    static TestStore start() throws IOException, SQLException {
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
        TestStore store = new TestStore(postgres);
        store.execute(schema());
        return store;
    }

    /** The store's migrations, in order. */
    static final List<String> MIGRATIONS = List.of("V1__store.sql", "V2__listening.sql", "V3__agent_tokens.sql",
            "V4__retention.sql", "V5__redaction.sql");

    static String schema() throws IOException {
        StringBuilder sql = new StringBuilder();
        for (String migration : MIGRATIONS) {
            try (InputStream in = TestStore.class.getResourceAsStream("/db/migration/" + migration)) {
                if (in == null) {
                    throw new IllegalStateException("db/migration/" + migration + " is not on the class path");
                }
                sql.append(new String(in.readAllBytes(), StandardCharsets.UTF_8)).append(";\n");
            }
        }
        return sql.toString();
    }

    DataSource dataSource() {
        return postgres.getPostgresDatabase();
    }

    /** Another, empty database with the schema in the same server: a second data set without a second start. */
    DataSource newDatabase(String name) throws IOException, SQLException {
        if (!name.matches("[a-z_]+")) {
            throw new IllegalArgumentException("database name " + name);
        }
        execute("CREATE DATABASE " + name);
        DataSource db = postgres.getDatabase("postgres", name);
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute(schema());
        }
        return db;
    }

    String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    /** The JDBC URL of a database made by {@link #newDatabase}. */
    String jdbcUrl(String database) {
        return postgres.getJdbcUrl("postgres", database);
    }

    /** Runs SQL statements (the PostgreSQL driver accepts several separated by semicolons). */
    void execute(String sql) throws SQLException {
        try (Connection c = dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
