package io.earshot.pipeline.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.earshot.pipeline.config.EarshotConfig;
import io.earshot.pipeline.kafka.EmbeddedKafka;
import io.earshot.pipeline.live.AnalystServices;
import io.earshot.pipeline.store.StoreDatabase;
import io.earshot.pipeline.supervise.StatusBoard;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web port of {@code serve} (store writer, dashboard and API) answers {@code /ready} and
 * {@code /metrics} as the ingest port does: readiness turns 503 when the process drains, and
 * the metrics carry the store writer's and the dashboard's meters behind the token.
 */
class WebPortOpsIT {

    private static final String TOKEN = "web-port-metrics-token-0123";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void shouldAnswerReadinessAndMetricsOnTheWebPort(@TempDir Path data) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
             StoreDatabase postgres = StoreDatabase.embedded(data.resolve("pg"))) {
            EarshotConfig config = EarshotConfig.parse("serve.yaml", """
                    kafka: {bootstrap: "%s"}
                    audiohook: {enabled: false}
                    twilio: {enabled: false}
                    store: {jdbcUrl: "%s", user: postgres}
                    web: {bind: 127.0.0.1, port: 0}
                    """.formatted(kafka.bootstrapServers(), postgres.jdbcUrl()), Map.of());
            StatusBoard board = new StatusBoard();
            try (ServeMetrics metrics = new ServeMetrics().bindStatus(board);
                 AnalystServices services = AnalystServices.start(config, board, List.of(metrics.handler(TOKEN)))) {
                metrics.bindStoreWriter(services.writer(), Clock.systemUTC()).bindDashboard(services.web().handler());
                URI web = services.webUri();

                HttpResponse<String> ready = get(web.resolve("/ready"), null);
                assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
                JsonNode body = new ObjectMapper().readTree(ready.body());
                assertThat(body.get("ready").asBoolean()).isTrue();
                assertThat(body.get("components").findValuesAsText("name")).containsExactly("store-writer", "floor-feed");

                assertThat(get(web.resolve("/metrics"), null).statusCode()).isEqualTo(401);
                HttpResponse<String> scrape = get(web.resolve("/metrics"), TOKEN);
                assertThat(scrape.statusCode()).isEqualTo(200);
                var families = PrometheusText.parse(scrape.body());
                assertThat(families.get("earshot_store_writer_records_total").type()).isEqualTo("counter");
                assertThat(PrometheusText.value(families, "earshot_store_writer_newest_record_age_seconds", Map.of()))
                        .as("no record written yet").isNaN();
                assertThat(PrometheusText.value(families, "earshot_sse_clients", Map.of("stream", "floor"))).isZero();
                assertThat(PrometheusText.value(families, "earshot_sse_clients", Map.of("stream", "nudges"))).isZero();

                board.startDraining();
                HttpResponse<String> draining = get(web.resolve("/ready"), null);
                assertThat(draining.statusCode()).isEqualTo(503);
                assertThat(new ObjectMapper().readTree(draining.body()).get("draining").asBoolean()).isTrue();
                assertThat(get(web.resolve("/health"), null).statusCode()).isEqualTo(200);
                assertThat(PrometheusText.value(PrometheusText.parse(get(web.resolve("/metrics"), TOKEN).body()),
                        "earshot_ready", Map.of())).isZero();
            }
        }
    }

    private static HttpResponse<String> get(URI uri, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri);
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
