package io.earshot.pipeline.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.contracts.AvroSerde;
import io.earshot.contracts.Topics;
import io.earshot.pipeline.config.EarshotConfig;
import io.earshot.pipeline.kafka.EmbeddedKafka;
import io.earshot.pipeline.simulate.CallResult;
import io.earshot.pipeline.simulate.SampleCalls;
import io.earshot.pipeline.simulate.SimulatedCall;
import io.earshot.pipeline.simulate.TwilioClient;
import io.earshot.schemas.CallEnded;
import io.earshot.schemas.CallStarted;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The drain over Twilio Media Streams: a stream in progress when live ingest drains is closed
 * with 1001 (going away) near the end of the drain period, its call ends with the audio
 * received and its {@code CallEnded} is published, and a stream that comes during the drain
 * is refused with 503 before any upgrade.
 */
class IngestDrainIT {

    private static final String AUTH_TOKEN = "drain-it-auth-token";

    @Test
    void shouldCloseATwilioStreamGoingAwayAndPublishItsEndWhenDraining() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            EarshotConfig config = EarshotConfig.parse("serve.yaml", """
                    kafka: {bootstrap: "%s"}
                    ingest: {bind: 127.0.0.1, port: 0}
                    audiohook: {enabled: false}
                    twilio: {agentTrack: outbound, authToken: "%s"}
                    transcription: {enabled: false}
                    """.formatted(kafka.bootstrapServers(), AUTH_TOKEN), Map.of());
            SimulatedCall.Recording recording = SampleCalls.load(SampleCalls.defaultDirectory()).get(2);
            List<CallResult> late = new ArrayList<>();
            try (LiveIngestRuntime runtime = LiveIngestRuntime.start(config, null, Clock.systemUTC())) {
                TwilioClient client = new TwilioClient(TwilioClient.Config.of(runtime.ingest().twilioUri(), 1)
                        .withAuthToken(AUTH_TOKEN), HttpClient.newHttpClient(), Clock.systemUTC());
                AtomicLong frames = new AtomicLong();
                CompletableFuture<CallResult> streaming = CompletableFuture.supplyAsync(() -> {
                    try {
                        return client.stream(new SimulatedCall("twilio-drain", "agent-1", "t", "q", recording),
                                (id, ms, wall) -> frames.incrementAndGet());
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
                while (frames.get() < 20 || runtime.calls().activeCalls() < 1) {
                    assertThat(System.nanoTime()).as("call streaming").isLessThan(deadline);
                    Thread.sleep(50);
                }

                CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(() -> {
                    try {
                        return runtime.drain(Duration.ofSeconds(5));
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
                long drainDeadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
                while (!runtime.ingest().server().draining()) {
                    assertThat(System.nanoTime()).as("draining").isLessThan(drainDeadline);
                    Thread.onSpinWait();
                }
                late.add(client.stream(new SimulatedCall("twilio-late", "agent-1", "t", "q", recording),
                        (id, ms, wall) -> { }));

                assertThat(drained.get(1, TimeUnit.MINUTES)).as("every call ended within the period").isTrue();
                CallResult result = streaming.get(1, TimeUnit.MINUTES);
                assertThat(result.closeCode()).as("%s", result).isEqualTo(1001);
                assertThat(result.samplesSent()).isLessThan(recording.samples());
                assertThat(runtime.ingest().server().openConnections()).isZero();
            }
            assertThat(late.get(0).failure()).contains("HTTP 503");

            List<String> started = new ArrayList<>();
            List<CallEnded> ended = new ArrayList<>();
            Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "ingest-drain-it", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            try (KafkaConsumer<String, SpecificRecord> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                    AvroSerde.ofAny(CallStarted.class, CallEnded.class))) {
                consumer.subscribe(List.of(Topics.CALLS));
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
                while (ended.isEmpty() && System.nanoTime() < deadline) {
                    for (var r : consumer.poll(Duration.ofMillis(500))) {
                        if (r.value() instanceof CallStarted s) {
                            started.add(s.getCallId().toString());
                        } else if (r.value() instanceof CallEnded e) {
                            ended.add(e);
                        }
                    }
                }
            }
            assertThat(started).containsExactly("twilio-drain");
            assertThat(ended).singleElement().satisfies(e -> {
                assertThat(e.getCallId().toString()).isEqualTo("twilio-drain");
                assertThat(e.getReason().toString()).isEqualTo(LiveIngestRuntime.DRAIN_REASON);
            });
        }
    }
}
