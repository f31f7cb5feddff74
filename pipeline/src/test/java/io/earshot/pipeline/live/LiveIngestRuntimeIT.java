package io.earshot.pipeline.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.contracts.AvroSerde;
import io.earshot.contracts.Topics;
import io.earshot.pipeline.config.EarshotConfig;
import io.earshot.pipeline.kafka.EmbeddedKafka;
import io.earshot.pipeline.simulate.SampleCalls;
import io.earshot.pipeline.simulate.SimulatedCall;
import io.earshot.ingest.protocol.twilio.TwilioAuth;
import io.earshot.pipeline.simulate.TwilioClient;
import io.earshot.pipeline.simulate.TwilioFrames;
import io.earshot.ingest.protocol.TestSocket;
import io.earshot.schemas.CallEnded;
import io.earshot.schemas.CallStarted;
import io.earshot.schemas.SourceProtocol;
import io.earshot.schemas.SpeechActivityChanged;
import io.earshot.schemas.SpeechSegmentDetected;
import io.earshot.schemas.TranscriptionStatusReported;
import io.earshot.schemas.UtteranceTranscribed;
import io.earshot.pipeline.api.Principal;
import io.earshot.pipeline.api.TokenStore;
import io.earshot.pipeline.store.StoreDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * What {@code serve} runs, built from a configuration file's content against a Kafka cluster
 * given by its bootstrap address: a call streamed to it lands on the documented topics,
 * keyed by call id, with event-time record timestamps, lifecycle first and last; the roster
 * refuses an agent it does not have and gives team and queue whatever the caller sends.
 */
class LiveIngestRuntimeIT {

    @Test
    void shouldPublishAStreamedCallsEventsToTheConfiguredClusterAndRefuseAgentsOutsideTheRoster() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            EarshotConfig config = EarshotConfig.parse("serve.yaml", """
                    kafka: {bootstrap: "%s"}
                    ingest:
                      bind: 127.0.0.1
                      port: 0
                      # the test streams as fast as the socket takes it
                      limits: {realTimeMedia: false, maxMessagesPerSecond: 1000000, messageBurst: 1000000}
                    audiohook: {enabled: false}
                    twilio: {agentTrack: outbound, authToken: "${TWILIO_AUTH_TOKEN}"}
                    transcription: {model: "%s", workers: 1, maxLagSeconds: 60}
                    agents:
                      - {id: agent-7, team: billing, queue: billing-en}
                    """.formatted(kafka.bootstrapServers(), LiveCalls.model()),
                    Map.of("TWILIO_AUTH_TOKEN", "runtime-it-auth-token"));
            SimulatedCall.Recording recording = SampleCalls.load(SampleCalls.defaultDirectory()).get(3);
            try (LiveIngestRuntime runtime = LiveIngestRuntime.start(config, null, Clock.systemUTC())) {
                TwilioClient client = new TwilioClient(TwilioClient.Config.of(runtime.ingest().twilioUri(), 0)
                        .withAuthToken("runtime-it-auth-token"),
                        HttpClient.newHttpClient(), Clock.systemUTC());
                var result = client.stream(new SimulatedCall("serve-1", "agent-7", "ignored", "overflow", recording),
                        (id, pos, wall) -> { });
                assertThat(result.closedCleanly()).as("%s", result).isTrue();

                URI twilio = runtime.ingest().twilioUri();
                TestSocket refused = TestSocket.connect(HttpClient.newHttpClient(), twilio,
                        Map.of(TwilioAuth.SIGNATURE_HEADER, TwilioAuth.sign("runtime-it-auth-token", twilio.toString())))
                        .join();
                TwilioFrames frames = new TwilioFrames("serve-2");
                refused.sendText(frames.connected());
                refused.sendText(frames.start(new SimulatedCall("serve-2", "agent-99", "t", "q", recording)));
                assertThat(refused.awaitServerClose()).isEqualTo(1008);
                assertThat(refused.serverCloseReason()).isEqualTo("call refused");
                assertThat(runtime.calls().awaitIdle(Duration.ofSeconds(60))).isTrue();
                assertThat(runtime.calls().refusedCalls()).isEqualTo(1);
            }

            List<ConsumerRecord<String, SpecificRecord>> records = readAll(kafka.bootstrapServers());
            assertThat(records).isNotEmpty().allSatisfy(r -> assertThat(r.key()).isEqualTo("serve-1"));
            List<ConsumerRecord<String, SpecificRecord>> calls = records.stream()
                    .filter(r -> r.topic().equals(Topics.CALLS)).toList();
            assertThat(calls).hasSize(2);
            CallStarted started = (CallStarted) calls.get(0).value();
            CallEnded ended = (CallEnded) calls.get(1).value();
            assertThat(started.getAgentId().toString()).isEqualTo("agent-7");
            assertThat(started.getTeam().toString()).isEqualTo("billing");
            assertThat(started.getQueue().toString()).isEqualTo("billing-en"); // the roster's, not the caller's "overflow"
            assertThat(started.getSourceProtocol()).isEqualTo(SourceProtocol.TWILIO);
            assertThat(ended.getReason().toString()).isEqualTo("stop");
            assertThat(ended.getEndMs()).isEqualTo(recording.samples() / 8L);
            long mediaStart = started.getMediaStartTime().toEpochMilli();
            // event time in the value; the record timestamp is when it was published
            assertThat(io.earshot.analysis.avro.AvroInputs.eventTimeOf(started, -1)).isEqualTo(mediaStart);
            assertThat(ended.getMediaStartTime()).isEqualTo(started.getMediaStartTime());
            assertThat(io.earshot.analysis.avro.AvroInputs.eventTimeOf(ended, -1)).isEqualTo(mediaStart + ended.getEndMs());
            assertThat(records).allSatisfy(r -> assertThat(r.timestamp()).isGreaterThanOrEqualTo(mediaStart));

            List<SpeechSegmentDetected> segments = new ArrayList<>();
            for (ConsumerRecord<String, SpecificRecord> r : records) {
                if (r.value() instanceof SpeechSegmentDetected s) {
                    assertThat(r.topic()).isEqualTo(Topics.SPEECH);
                    assertThat(s.getMediaStartTime()).isEqualTo(started.getMediaStartTime());
                    segments.add(s);
                } else if (r.value() instanceof SpeechActivityChanged) {
                    assertThat(r.topic()).isEqualTo(Topics.SPEECH);
                } else if (r.value() instanceof UtteranceTranscribed u) {
                    assertThat(r.topic()).isEqualTo(Topics.UTTERANCES);
                    assertThat(u.getMediaStartTime()).isEqualTo(started.getMediaStartTime());
                } else if (r.value() instanceof TranscriptionStatusReported) {
                    assertThat(r.topic()).isEqualTo(Topics.UTTERANCES);
                }
            }
            assertThat(segments).hasSizeGreaterThan(4);
            assertThat(records).filteredOn(r -> r.value() instanceof UtteranceTranscribed).isNotEmpty();
            assertThat(records).filteredOn(r -> r.value() instanceof TranscriptionStatusReported s && s.getIsFinal())
                    .hasSize(1);
        }
    }

    @Test
    void shouldServeTheDashboardAndTheApiBehindTheStoresTokensWhenConfigured(@TempDir Path data) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
             StoreDatabase postgres = StoreDatabase.embedded(data.resolve("pg"))) {
            EarshotConfig config = EarshotConfig.parse("serve.yaml", """
                    kafka: {bootstrap: "%s"}
                    audiohook: {enabled: false}
                    twilio: {enabled: false}
                    store: {jdbcUrl: "%s", user: postgres, retention: {calls: 90d, evidence: 30d}}
                    web: {bind: 127.0.0.1, port: 0}
                    """.formatted(kafka.bootstrapServers(), postgres.jdbcUrl()), Map.of());
            try (AnalystServices services = AnalystServices.start(config)) {
                String analyst = new TokenStore(postgres.dataSource()).create(Principal.Role.ANALYST, Set.of()).token();
                URI web = services.webUri();
                assertThat(status(web.resolve("/api/calls"), null)).isEqualTo(401);
                assertThat(status(web.resolve("/api/calls"), analyst)).isEqualTo(200);
                assertThat(status(web.resolve("/api/floor/snapshot"), null)).isEqualTo(401);
                assertThat(status(web.resolve("/api/floor/snapshot"), analyst)).isEqualTo(200);
                assertThat(status(web.resolve("/"), null)).isEqualTo(200);
                assertThat(services.storeUrl()).isEqualTo(AnalystServices.withoutCredentials(postgres.jdbcUrl()));
                HttpResponse<String> health = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(web.resolve("/health")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).isEqualTo(200);
                assertThat(health.body()).contains("\"name\":\"store-writer\"").contains("\"name\":\"floor-feed\"")
                        .contains("\"state\":\"running\"");
            }
        }
    }

    private static int status(URI uri, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static List<ConsumerRecord<String, SpecificRecord>> readAll(String bootstrap) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "serve-it", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, SpecificRecord>> out = new ArrayList<>();
        try (KafkaConsumer<String, SpecificRecord> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                AvroSerde.ofAny(CallStarted.class, CallEnded.class, SpeechActivityChanged.class,
                        SpeechSegmentDetected.class, UtteranceTranscribed.class, TranscriptionStatusReported.class))) {
            consumer.subscribe(List.of(Topics.CALLS, Topics.SPEECH, Topics.UTTERANCES));
            int quiet = 0;
            while (quiet < 6) {
                var batch = consumer.poll(Duration.ofMillis(500));
                quiet = batch.isEmpty() ? quiet + 1 : 0;
                batch.forEach(out::add);
            }
        }
        return out;
    }
}
