package io.earshot.pipeline.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A real embedded PostgreSQL on a data directory of the test's own. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StoreDatabaseIT {

    /** The tables docs/store.md documents, all of V1. */
    private static final List<String> DOCUMENTED_TABLES = List.of("agent_windows", "alerts", "api_tokens",
            "backchannels", "behaviours", "calls", "coaching_notes", "dead_air", "interruptions", "response_gaps",
            "segments", "tone_events", "utterances");

    /** The migrations under db/migration, in order. */
    private static final List<String> VERSIONS = List.of("1", "2", "3", "4", "5");

    @TempDir
    Path dir;

    @Test
    void shouldApplyTheMigrationsOnceAndKeepTheDataAcrossRestartsOnTheSameDataDirectory() throws Exception {
        Path data = dir.resolve("store");
        try (StoreDatabase db = StoreDatabase.embedded(data)) {
            assertThat(db.appliedMigrations()).isEqualTo(VERSIONS.size());
            assertThat(db.jdbcUrl()).startsWith("jdbc:postgresql://localhost:").contains("/earshot");
            assertThat(tables(db)).containsExactlyElementsOf(DOCUMENTED_TABLES);
            assertThat(appliedVersions(db)).containsExactlyElementsOf(VERSIONS);
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO api_tokens (token_id, token_sha256, role, teams) "
                        + "VALUES ('t1', 'abc123', 'SUPERVISOR', '{billing}')");
            }
        }
        try (StoreDatabase again = StoreDatabase.embedded(data)) {
            assertThat(again.appliedMigrations()).isZero();
            assertThat(appliedVersions(again)).containsExactlyElementsOf(VERSIONS);
            try (Connection c = again.dataSource().getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT token_id, role, teams[1] FROM api_tokens")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("t1");
                assertThat(rs.getString(2)).isEqualTo("SUPERVISOR");
                assertThat(rs.getString(3)).isEqualTo("billing");
                assertThat(rs.next()).isFalse();
            }
            // the running server stands in for a production PostgreSQL: external() only gets its URL
            try (StoreDatabase external = StoreDatabase.external(again.jdbcUrl(), StoreDatabase.EMBEDDED_USER, null)) {
                assertThat(external.appliedMigrations()).isZero();
                assertThat(tables(external)).containsExactlyElementsOf(DOCUMENTED_TABLES);
            }
        }
    }

    @Test
    void shouldRefuseAnExternalDatabaseThatCannotBeReached() {
        assertThatThrownBy(() -> StoreDatabase.external("jdbc:postgresql://127.0.0.1:1/earshot", "nobody", "x"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("migration failed");
    }

    private static List<String> tables(StoreDatabase db) throws SQLException {
        return column(db, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
                + "AND table_name <> 'flyway_schema_history' ORDER BY table_name");
    }

    private static List<String> appliedVersions(StoreDatabase db) throws SQLException {
        return column(db, "SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank");
    }

    private static List<String> column(StoreDatabase db, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
