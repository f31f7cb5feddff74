package io.earshot.pipeline.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.earshot.pipeline.kafka.EmbeddedKafka;
import io.earshot.pipeline.simulate.AudioHookClient;
import io.earshot.pipeline.simulate.CallResult;
import io.earshot.pipeline.simulate.SampleCalls;
import io.earshot.pipeline.simulate.SimulatedCall;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running {@code earshot serve} answers {@code GET /metrics} on its ingest port in the
 * Prometheus text format, behind the configured token: Earshot's meters with their documented
 * types and labels, and the JVM's; the call, audio and publishing meters move when a call
 * streams over AudioHook.
 */
class ServeMetricsIT {

    private static final String TOKEN = "metrics-it-token-0123456789";

    @TempDir
    Path dir;

    @Test
    void shouldExposeTypedMetersThatMoveWhenACallStreams() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
             ServeProcess serve = ServeProcess.start(dir, kafka.bootstrapServers(), """
                       metricsToken: "%s"
                       limits: {realTimeMedia: false, maxMessagesPerSecond: 1000000, messageBurst: 1000000}
                     """.formatted(TOKEN), Map.of())) {
            assertThat(serve.get("/metrics", null).statusCode()).isEqualTo(401);
            assertThat(serve.get("/metrics", "not-the-token-at-all").statusCode()).isEqualTo(401);
            HttpResponse<String> first = serve.get("/metrics", TOKEN);
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.headers().firstValue("Content-Type")).hasValue(MetricsHandler.CONTENT_TYPE);
            var before = PrometheusText.parse(first.body());

            assertThat(before.get("earshot_calls_active").type()).isEqualTo("gauge");
            assertThat(before.get("earshot_calls_active").samples()).extracting(s -> s.labels().get("protocol"))
                    .containsExactlyInAnyOrder("audiohook", "twilio", "kafka_raw");
            assertThat(before.get("earshot_audio_frames_received_total").type()).isEqualTo("counter");
            assertThat(before.get("earshot_audio_received_seconds_total").type()).isEqualTo("counter");
            for (String gauge : new String[] {"earshot_asr_queue_regions", "earshot_asr_lag_seconds",
                "earshot_ingest_connections", "earshot_ready", "earshot_draining", "jvm_memory_used_bytes",
                "jvm_threads_live_threads", "process_cpu_usage"}) {
                assertThat(before.get(gauge)).as(gauge).isNotNull();
                assertThat(before.get(gauge).type()).as(gauge).isEqualTo("gauge");
            }
            for (String counter : new String[] {"earshot_calls_started_total", "earshot_calls_ended_total",
                "earshot_calls_refused_total", "earshot_asr_skipped_regions_total", "earshot_publish_errors_total",
                "earshot_published_records_total", "earshot_dead_letters_total"}) {
                assertThat(before.get(counter)).as(counter).isNotNull();
                assertThat(before.get(counter).type()).as(counter).isEqualTo("counter");
            }
            assertThat(PrometheusText.value(before, "earshot_ready", Map.of())).isEqualTo(1.0);
            assertThat(PrometheusText.value(before, "earshot_calls_started_total", Map.of())).isZero();
            assertThat(PrometheusText.value(before, "earshot_audio_frames_received_total",
                    Map.of("protocol", "audiohook"))).isZero();

            SimulatedCall.Recording recording = SampleCalls.load(SampleCalls.defaultDirectory()).get(1);
            CallResult result = new AudioHookClient(AudioHookClient.Config.of(serve.audioHook(), ServeProcess.API_KEY,
                    ServeProcess.CLIENT_SECRET, 0), HttpClient.newHttpClient(), Clock.systemUTC())
                    .stream(new SimulatedCall("metrics-1", "agent-1", "team", "queue", recording), (id, ms, wall) -> { });
            assertThat(result.closedCleanly()).as("%s", result).isTrue();

            var after = PrometheusText.parse(serve.get("/metrics", TOKEN).body());
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (PrometheusText.value(after, "earshot_calls_ended_total", Map.of()) < 1
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
                after = PrometheusText.parse(serve.get("/metrics", TOKEN).body());
            }
            assertThat(PrometheusText.value(after, "earshot_calls_started_total", Map.of())).isEqualTo(1.0);
            assertThat(PrometheusText.value(after, "earshot_calls_ended_total", Map.of())).isEqualTo(1.0);
            assertThat(PrometheusText.value(after, "earshot_calls_active", Map.of("protocol", "audiohook"))).isZero();
            assertThat(PrometheusText.value(after, "earshot_audio_frames_received_total", Map.of("protocol", "audiohook")))
                    .isEqualTo(result.framesSent());
            assertThat(PrometheusText.value(after, "earshot_audio_received_seconds_total", Map.of("protocol", "audiohook")))
                    .isCloseTo(result.audioSeconds(), within(0.01));
            assertThat(PrometheusText.value(after, "earshot_audio_frames_received_total", Map.of("protocol", "twilio")))
                    .isZero();
            assertThat(PrometheusText.value(after, "earshot_publish_errors_total", Map.of())).isZero();
        }
    }
}
