package io.earshot.pipeline.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WebConfigTest {

    private static EarshotConfig withWeb(String web) {
        return EarshotConfig.parse("x.yaml", """
                kafka: {bootstrap: "b:1"}
                audiohook: {enabled: false}
                twilio: {enabled: false}
                store: {jdbcUrl: "jdbc:postgresql://db/earshot"}
                web: %s
                """.formatted(web), Map.of());
    }

    @Test
    void shouldTakeTheDocumentedDefaultsForEveryWebLimit() {
        EarshotConfig.Web w = withWeb("{port: 8081}").web();

        assertThat(w.poolSize()).isEqualTo(8);
        assertThat(w.authentication().positiveTtl()).isEqualTo(Duration.ofSeconds(10));
        assertThat(w.authentication().negativeTtl()).isEqualTo(Duration.ofMinutes(5));
        assertThat(w.authentication().failuresPerWindow()).isEqualTo(20);
        assertThat(w.authentication().failureWindow()).isEqualTo(Duration.ofMinutes(1));
        assertThat(w.streams().maxStreams()).isEqualTo(200);
        assertThat(w.streams().maxStreamsPerToken()).isEqualTo(8);
        assertThat(w.streams().maxQueuedEvents()).isEqualTo(32);
        assertThat(w.streams().revalidateEvery()).as("30 s bound less the 10 s cache").isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void shouldTakeEveryWebLimitFromTheFile() {
        EarshotConfig.Web w = withWeb("{poolSize: 3, tokenCacheSeconds: 0, tokenFailureCacheSeconds: 60,"
                + " authFailuresPerMinute: 5, streamRevalidateSeconds: 12, maxStreams: 50, maxStreamsPerToken: 2,"
                + " streamQueueEvents: 8}").web();

        assertThat(w.poolSize()).isEqualTo(3);
        assertThat(w.authentication().positiveTtl()).isZero();
        assertThat(w.authentication().negativeTtl()).isEqualTo(Duration.ofSeconds(60));
        assertThat(w.authentication().failuresPerWindow()).isEqualTo(5);
        assertThat(w.streams()).isEqualTo(new io.earshot.pipeline.dashboard.DashboardHandler.StreamLimits(50, 2, 8,
                Duration.ofSeconds(12)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{poolSize: 0}|web.poolSize must be at least 1, was 0",
        "{authFailuresPerMinute: 0}|web.authFailuresPerMinute must be at least 1, was 0",
        "{maxStreams: 0}|web.maxStreams must be at least 1, was 0",
        "{maxStreamsPerToken: -1}|web.maxStreamsPerToken must be at least 1, was -1",
        "{streamQueueEvents: 0}|web.streamQueueEvents must be at least 1, was 0",
        "{tokenCacheSeconds: -1}|web.tokenCacheSeconds must be at least 0, was -1",
        "{tokenCacheSeconds: 30, streamRevalidateSeconds: 30}|web.tokenCacheSeconds (30) must be below web.streamRevalidateSeconds (30)"})
    void shouldRefuseABadWebLimitNamingItsKey(String web, String message) {
        assertThatThrownBy(() -> withWeb(web)).hasMessageContaining(message);
    }
}
