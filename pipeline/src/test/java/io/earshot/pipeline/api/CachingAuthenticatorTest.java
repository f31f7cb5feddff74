package io.earshot.pipeline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.earshot.ingest.protocol.MutableClock;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class CachingAuthenticatorTest {

    private static final String GOOD = "esk_0123456789ab_" + "A".repeat(43);
    private static final Principal ANALYST = new Principal("0123456789ab", Principal.Role.ANALYST, Set.of());
    private static final CachingAuthenticator.Settings SETTINGS = new CachingAuthenticator.Settings(
            Duration.ofSeconds(10), Duration.ofMinutes(5), 3, Duration.ofMinutes(1), 100);

    private static MutableClock hand() {
        return new MutableClock(Instant.parse("2026-01-05T09:00:00Z"));
    }


    /** The store's stand-in: counts its lookups; the tokens in {@code valid} authenticate. */
    private static final class CountingStore implements Authenticator {
        final Map<String, Principal> valid = new HashMap<>();
        final AtomicInteger lookups = new AtomicInteger();

        @Override
        public Optional<Principal> authenticate(String token) {
            lookups.incrementAndGet();
            return Optional.ofNullable(valid.get(token));
        }
    }

    private static String bogus(int i) {
        return "esk_" + String.format("%012x", i) + "_" + "B".repeat(43);
    }

    @Test
    void shouldLookUpAtMostTheAllowedFailuresOfOneAddressAndThenThrottleIt() {
        CountingStore store = new CountingStore();
        CachingAuthenticator auth = new CachingAuthenticator(store, SETTINGS, hand());

        for (int i = 0; i < 3; i++) {
            assertThat(auth.authenticate(bogus(i), "10.0.0.1")).isEmpty();
        }
        for (int i = 3; i < 200; i++) {
            String token = bogus(i);
            assertThatThrownBy(() -> auth.authenticate(token, "10.0.0.1"))
                    .isInstanceOf(Authenticator.Throttled.class);
        }

        assertThat(store.lookups.get()).isEqualTo(3);
        // another address is not held up by this one
        assertThat(auth.authenticate(bogus(500), "10.0.0.2")).isEmpty();
        assertThat(store.lookups.get()).isEqualTo(4);
    }

    @Test
    void shouldLetAThrottledAddressTryAgainOnceItsWindowHasPassed() {
        CountingStore store = new CountingStore();
        MutableClock clock = hand();
        CachingAuthenticator auth = new CachingAuthenticator(store, SETTINGS, clock);
        for (int i = 0; i < 3; i++) {
            auth.authenticate(bogus(i), "10.0.0.1");
        }
        Authenticator.Throttled throttled = org.junit.jupiter.api.Assertions.assertThrows(Authenticator.Throttled.class,
                () -> auth.authenticate(bogus(9), "10.0.0.1"));
        assertThat(throttled.retryAfterSeconds()).isEqualTo(60);

        clock.advance(Duration.ofMinutes(1));
        store.valid.put(GOOD, ANALYST);

        assertThat(auth.authenticate(GOOD, "10.0.0.1")).contains(ANALYST);
    }

    @Test
    void shouldRefuseARefusedTokenAgainWithoutALookup() {
        CountingStore store = new CountingStore();
        CachingAuthenticator auth = new CachingAuthenticator(store, new CachingAuthenticator.Settings(
                Duration.ofSeconds(10), Duration.ofMinutes(5), 1000, Duration.ofMinutes(1), 100), hand());

        for (int i = 0; i < 50; i++) {
            assertThat(auth.authenticate(bogus(1), "10.0.0.1")).isEmpty();
        }

        assertThat(store.lookups.get()).isEqualTo(1);
    }

    @Test
    void shouldTrustAnAcceptedTokenForTheCacheTimeAndNoLonger() {
        CountingStore store = new CountingStore();
        store.valid.put(GOOD, ANALYST);
        MutableClock clock = hand();
        CachingAuthenticator auth = new CachingAuthenticator(store, SETTINGS, clock);

        assertThat(auth.authenticate(GOOD, "10.0.0.1")).contains(ANALYST);
        assertThat(auth.authenticate(GOOD, "10.0.0.1")).contains(ANALYST);
        assertThat(store.lookups.get()).isEqualTo(1);

        store.valid.remove(GOOD); // revoked in the store by another process
        clock.advance(Duration.ofSeconds(9));
        assertThat(auth.authenticate(GOOD, "10.0.0.1")).as("still within the cache time").contains(ANALYST);
        clock.advance(Duration.ofSeconds(1));
        assertThat(auth.authenticate(GOOD, "10.0.0.1")).as("the cache time is over").isEmpty();
    }

    @Test
    void shouldForgetARevokedTokenAtOnce() {
        CountingStore store = new CountingStore();
        store.valid.put(GOOD, ANALYST);
        CachingAuthenticator auth = new CachingAuthenticator(store, SETTINGS, hand());
        assertThat(auth.authenticate(GOOD, "10.0.0.1")).contains(ANALYST);

        store.valid.remove(GOOD);
        auth.forget(ANALYST.tokenId());

        assertThat(auth.authenticate(GOOD, "10.0.0.1")).isEmpty();
    }

    @Test
    void shouldRememberNoMoreThanItsMostEntries() {
        CountingStore store = new CountingStore();
        CachingAuthenticator auth = new CachingAuthenticator(store, new CachingAuthenticator.Settings(
                Duration.ofSeconds(10), Duration.ofMinutes(5), 1_000_000, Duration.ofMinutes(1), 10), hand());
        for (int i = 0; i < 11; i++) {
            auth.authenticate(bogus(i), "10.0.0.1");
        }

        auth.authenticate(bogus(0), "10.0.0.1");

        assertThat(store.lookups.get()).as("the oldest refusal was forgotten, so looked up again").isEqualTo(12);
    }

    /** A data source that counts the connections asked for and gives none. */
    private static final class CountingDataSource implements DataSource {
        final AtomicInteger connections = new AtomicInteger();

        @Override
        public Connection getConnection() throws SQLException {
            connections.incrementAndGet();
            throw new SQLException("no database in this test");
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return false;
        }
    }

    @Test
    void shouldRefuseATokenOfTheWrongShapeWithoutAskingTheDatabase() {
        CountingDataSource db = new CountingDataSource();
        TokenStore store = new TokenStore(db);

        for (String token : new String[] {"esk_", "esk_x_y", "esk_0123456789ab_short", "esk_0123456789AB_" + "A".repeat(43),
            "esk_0123456789ab_" + "A".repeat(44), "Bearer nope", "esk_0123456789ab_" + "A".repeat(42) + "="}) {
            assertThat(store.authenticate(token)).as(token).isEmpty();
        }

        assertThat(db.connections.get()).isZero();
        assertThat(TokenStore.wellFormed(GOOD)).isTrue();
    }

    @Test
    void shouldNotPutTheDatabasesErrorTextInTheFailureOfALookup() {
        TokenStore store = new TokenStore(new CountingDataSource());

        assertThatThrownBy(() -> store.authenticate(GOOD)).isInstanceOf(IllegalStateException.class)
                .hasMessageNotContaining("no database in this test");
    }
}
