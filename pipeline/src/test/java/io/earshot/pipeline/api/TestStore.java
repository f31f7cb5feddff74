package io.earshot.pipeline.api;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * A real PostgreSQL for the API tests: zonky's embedded binaries (from Maven Central) in a
 * temporary directory, with the store schema {@code db/migration/V1__store.sql} applied by
 * plain JDBC. As root, zonky runs {@code initdb}, {@code pg_ctl} and {@code postgres} under
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

    static String schema() throws IOException {
        try (InputStream in = TestStore.class.getResourceAsStream("/db/migration/V1__store.sql")) {
            if (in == null) {
                throw new IllegalStateException("db/migration/V1__store.sql is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    DataSource dataSource() {
        return postgres.getPostgresDatabase();
    }

    String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
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
