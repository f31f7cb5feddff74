package io.earshot.pipeline.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API's token checks as {@code serve} wires them (the store's tokens behind a
 * {@link CachingAuthenticator}) against a flood of made-up tokens: the database sees a bounded
 * number of lookups, not one connection per request.
 */
class ApiAuthenticationIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int FAILURES_PER_MINUTE = 5;

    private static TestStore store;
    private static final AtomicInteger CONNECTIONS = new AtomicInteger();

    /** The store's data source, counting the connections asked of it. */
    private static DataSource counting(DataSource real) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        CONNECTIONS.incrementAndGet();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @BeforeAll
    static void start() throws Exception {
        store = TestStore.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (store != null) {
            store.close();
        }
    }

    private static HttpResponse<String> get(ApiServer server, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(server.uri().resolve("/api/calls"))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldNotReachTheDatabaseForEveryMadeUpToken() throws Exception {
        TokenStore tokens = new TokenStore(counting(store.dataSource()));
        String analyst = tokens.create(Principal.Role.ANALYST, Set.of()).token();
        CachingAuthenticator auth = new CachingAuthenticator(tokens, new CachingAuthenticator.Settings(
                Duration.ofSeconds(10), Duration.ofMinutes(5), FAILURES_PER_MINUTE, Duration.ofMinutes(1), 1000),
                Clock.systemUTC());
        assertThat(auth.authenticate(analyst, "127.0.0.1")).as("a real token, before the flood").isPresent();
        CONNECTIONS.set(0);
        try (ApiServer server = new ApiServer("127.0.0.1", 0,
                new ApiHandler(new CallQueries(store.dataSource()), tokens, auth)).start()) {
            int unauthorized = 0;
            int throttled = 0;
            for (int i = 0; i < 100; i++) {
                String madeUp = "esk_" + String.format("%012x", i) + "_" + "Q".repeat(43);
                HttpResponse<String> r = get(server, madeUp);
                if (r.statusCode() == 401) {
                    unauthorized++;
                } else if (r.statusCode() == 429) {
                    throttled++;
                    assertThat(r.headers().firstValue("Retry-After")).isPresent();
                }
            }
            for (int i = 0; i < 100; i++) {
                assertThat(get(server, "not-even-a-token-" + i).statusCode()).isIn(401, 429);
            }

            assertThat(unauthorized).isEqualTo(FAILURES_PER_MINUTE);
            assertThat(throttled).isEqualTo(100 - FAILURES_PER_MINUTE);
            assertThat(CONNECTIONS.get()).as("token lookups in the database").isEqualTo(FAILURES_PER_MINUTE);
            // the real token, checked a moment ago, still passes from the cache
            assertThat(get(server, analyst).statusCode()).isEqualTo(200);
        }
    }
}
