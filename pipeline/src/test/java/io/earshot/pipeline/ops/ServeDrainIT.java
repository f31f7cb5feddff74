package io.earshot.pipeline.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.earshot.contracts.AvroSerde;
import io.earshot.contracts.Topics;
import io.earshot.pipeline.kafka.EmbeddedKafka;
import io.earshot.pipeline.live.LiveIngestRuntime;
import io.earshot.pipeline.simulate.AudioHookClient;
import io.earshot.pipeline.simulate.CallResult;
import io.earshot.pipeline.simulate.SampleCalls;
import io.earshot.pipeline.simulate.SimulatedCall;
import io.earshot.schemas.CallEnded;
import io.earshot.schemas.CallStarted;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code earshot serve} stopped as an orchestrator stops it: SIGTERM while calls stream over
 * AudioHook in real time. Readiness turns false and new calls are refused with 503 at once, the
 * live calls are asked to end (AudioHook {@code disconnect}, reason {@code completed}) before
 * the drain period is over, each call's {@code CallEnded} reaches {@code earshot.calls}, and
 * the process exits 0. Its log, in JSON, names each call's id in the lines about that call.
 */
class ServeDrainIT {

    private static final int DRAIN_SECONDS = 10;
    private static final int CALLS = 3;

    @TempDir
    Path dir;

    @Test
    void shouldEndEveryLiveCallCleanlyAndExitZeroWhenTerminatedMidStream() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
             ServeProcess serve = ServeProcess.start(dir, kafka.bootstrapServers(),
                     "  drainSeconds: " + DRAIN_SECONDS, Map.of("EARSHOT_LOG_FORMAT", "json"))) {
            SimulatedCall.Recording recording = SampleCalls.load(SampleCalls.defaultDirectory()).get(0);
            AudioHookClient client = new AudioHookClient(AudioHookClient.Config.of(serve.audioHook(),
                    ServeProcess.API_KEY, ServeProcess.CLIENT_SECRET, 1), HttpClient.newHttpClient(), Clock.systemUTC());
            Map<String, Long> framesSent = new ConcurrentHashMap<>();
            List<CompletableFuture<CallResult>> results = new ArrayList<>();
            for (int i = 0; i < CALLS; i++) {
                SimulatedCall call = new SimulatedCall("drain-" + i, "agent-" + i, "team", "queue", recording);
                results.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return client.stream(call, (id, mediaMs, wall) -> framesSent.merge(id, 1L, Long::sum));
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            // every call is streaming (two seconds of audio each) before the signal
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (framesSent.size() < CALLS || framesSent.values().stream().anyMatch(n -> n < 20)) {
                assertThat(System.nanoTime()).as("calls streaming").isLessThan(deadline);
                Thread.sleep(50);
            }
            assertThat(serve.status("/ready")).isEqualTo(200);

            serve.process.destroy(); // SIGTERM

            int ready = serve.status("/ready");
            for (long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(DRAIN_SECONDS);
                 ready != 503 && System.nanoTime() < until; ready = serve.status("/ready")) {
                Thread.sleep(50);
            }
            assertThat(ready).as("readiness while draining").isEqualTo(503);
            assertThat(serve.status("/health")).as("liveness while draining").isEqualTo(200);
            CallResult late = client.stream(new SimulatedCall("drain-late", "agent-9", "team", "queue", recording),
                    (id, mediaMs, wall) -> { });
            assertThat(late.failure()).as("a call after SIGTERM").contains("HTTP 503");

            assertThat(serve.process.waitFor(DRAIN_SECONDS + 60, TimeUnit.SECONDS)).as("exited").isTrue();
            assertThat(serve.process.exitValue()).as("exit code; log:%n%s", Files.readString(serve.log)).isZero();
            for (CompletableFuture<CallResult> r : results) {
                CallResult result = r.get(1, TimeUnit.MINUTES);
                assertThat(result.serverErrors()).as(result.callId())
                        .containsExactly("server disconnected: completed (" + LiveIngestRuntime.DRAIN_REASON + ")");
                assertThat(result.samplesSent()).as("cut short").isLessThan(recording.samples());
            }

            Map<String, CallEnded> ended = new HashMap<>();
            Set<String> started = ConcurrentHashMap.newKeySet();
            readCalls(kafka.bootstrapServers(), started, ended);
            assertThat(started).containsExactlyInAnyOrder("drain-0", "drain-1", "drain-2");
            assertThat(ended.keySet()).containsExactlyInAnyOrder("drain-0", "drain-1", "drain-2");
            assertThat(ended.values()).allSatisfy(e ->
                    assertThat(e.getReason().toString()).isEqualTo(LiveIngestRuntime.DRAIN_REASON));

            List<JsonNode> lines = new ArrayList<>();
            ObjectMapper json = new ObjectMapper();
            for (String line : Files.readAllLines(serve.log)) {
                if (line.startsWith("{")) {
                    lines.add(json.readTree(line));
                }
            }
            assertThat(lines).filteredOn(l -> l.path("message").asText().contains("started: agent"))
                    .extracting(l -> l.path("callId").asText())
                    .containsExactlyInAnyOrder("drain-0", "drain-1", "drain-2");
            assertThat(lines).allSatisfy(l -> assertThat(l.path("time").asText())
                    .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d)"));
        }
    }

    private static void readCalls(String bootstrap, Set<String> started, Map<String, CallEnded> ended) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "drain-it", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, SpecificRecord> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                AvroSerde.ofAny(CallStarted.class, CallEnded.class))) {
            consumer.subscribe(List.of(Topics.CALLS));
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            while (ended.size() < CALLS && System.nanoTime() < deadline) {
                for (var r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.value() instanceof CallStarted s) {
                        started.add(s.getCallId().toString());
                    } else if (r.value() instanceof CallEnded e) {
                        ended.put(e.getCallId().toString(), e);
                    }
                }
            }
        }
    }
}
