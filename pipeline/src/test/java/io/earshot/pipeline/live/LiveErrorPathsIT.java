package io.earshot.pipeline.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.earshot.pipeline.config.EarshotConfig;
import io.earshot.ingest.protocol.TestSocket;
import io.earshot.pipeline.simulate.AudioHookClient;
import io.earshot.pipeline.simulate.AudioHookFrames;
import io.earshot.pipeline.simulate.CallClient;
import io.earshot.pipeline.simulate.CallMetadata;
import io.earshot.pipeline.simulate.FrameListener;
import io.earshot.pipeline.simulate.SampleCalls;
import io.earshot.pipeline.simulate.SimulatedCall;
import io.earshot.pipeline.simulate.SimulatedCall.Recording;
import io.earshot.pipeline.simulate.SimulationReport;
import io.earshot.pipeline.simulate.Simulator;
import io.earshot.ingest.protocol.twilio.TwilioAuth;
import io.earshot.pipeline.simulate.TwilioClient;
import io.earshot.pipeline.simulate.TwilioFrames;
import io.earshot.schemas.CallSummaryComputed;
import io.earshot.contracts.AvroSerde;
import io.earshot.contracts.Topics;
import io.earshot.schemas.AudioEncoding;
import io.earshot.schemas.CallEnded;
import io.earshot.schemas.CallStarted;
import io.earshot.schemas.ChannelRole;
import io.earshot.schemas.RawAudioChunk;
import io.earshot.schemas.Role;
import io.earshot.schemas.SourceProtocol;
import java.net.URI;
import java.nio.ByteBuffer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every protocol error path against the embedded stack while good calls stream at the same
 * time: the bad session gets the protocol's own refusal, disconnect or close code, and the
 * good calls are unaffected and their metrics complete. A call cut off mid-stream still gets
 * its final summary, of the audio it sent. Voice activity only (no recognisers): the paths
 * under test do not depend on transcripts, and the test stays short.
 */
class LiveErrorPathsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String ORG = AudioHookClient.DEFAULT_ORGANIZATION_ID;

    private static EmbeddedStack stack;
    private static List<Recording> recordings;
    private static Map<String, CallSummaryComputed> recorded;

    @BeforeAll
    static void start() throws Exception {
        recordings = SampleCalls.load(SampleCalls.defaultDirectory());
        recorded = LiveCalls.analyzeSampleCalls(false);
        // the tests stream faster than real time on purpose
        stack = EmbeddedStack.start(EmbeddedStack.Options.of(null).withLimits(EarshotConfig.Limits.DEFAULTS.trustedReplay()), line -> { });
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void shouldAnswerEveryBadAudioHookSessionInTheProtocolWhileOtherCallsComplete() throws Exception {
        URI uri = stack.ingest().ingest().audioHookUri();
        CompletableFuture<SimulationReport> good = streamInBackground(new AudioHookClient(
                AudioHookClient.Config.of(uri, EmbeddedStack.API_KEY, stack.clientSecret(), 2), HTTP, Clock.systemUTC()),
                "ahgood-");

        // bad signature: refused at the upgrade as unauthenticated (401), no session
        assertRefused(uri, headers(uri, "c2VjcmV0LWJ1dC13cm9uZw==", Instant.now(), UUID.randomUUID().toString()), 401);
        // stale signature (created a minute ago): genuine but not fresh, forbidden (403)
        assertRefused(uri, headers(uri, stack.clientSecret(), Instant.now().minusSeconds(60),
                UUID.randomUUID().toString()), 403);
        // replayed nonce: the same signed request twice
        Map<String, String> once = headers(uri, stack.clientSecret(), Instant.now(), UUID.randomUUID().toString());
        TestSocket first = TestSocket.connect(HTTP, uri, once).join();
        first.close();
        assertRefused(uri, once, 403);

        // wrong sequence number
        String session = UUID.randomUUID().toString();
        TestSocket socket = opened(uri, session, call("ah-badseq"));
        socket.sendText(AudioHookFrames.ping(session, 5, 1, Duration.ofSeconds(1), Duration.ofMillis(5)));
        assertDisconnect(socket, "Invalid seq value 5 (expected 2)");

        // unknown message type
        session = UUID.randomUUID().toString();
        socket = opened(uri, session, call("ah-unknown"));
        socket.sendText("{\"version\":\"2\",\"type\":\"bogus\",\"seq\":2,\"serverseq\":1,\"id\":\"" + session
                + "\",\"position\":\"PT1S\",\"parameters\":{}}");
        assertDisconnect(socket, "'bogus' is not a supported client message");

        // oversized audio frame
        session = UUID.randomUUID().toString();
        socket = opened(uri, session, call("ah-oversized"));
        socket.sendBinary(new byte[100_000]);
        assertDisconnect(socket, "Audio frame too large (100000 > 65536 bytes)");

        // audio before open
        session = UUID.randomUUID().toString();
        socket = TestSocket.connect(HTTP, uri, headers(uri, stack.clientSecret(), Instant.now(), session)).join();
        socket.sendBinary(new byte[320]);
        assertDisconnect(socket, "Received audio before the session was opened");

        // a call that names no agent
        session = UUID.randomUUID().toString();
        socket = TestSocket.connect(HTTP, uri, headers(uri, stack.clientSecret(), Instant.now(), session)).join();
        socket.sendText(withoutAgent(AudioHookFrames.open(session, ORG, call("ah-noagent"))));
        assertDisconnect(socket, "call refused");

        // abrupt disconnect after 3 s of audio: the call ends with what it sent
        session = UUID.randomUUID().toString();
        Recording audio = recordings.get(0);
        socket = opened(uri, session, call("ah-abrupt"));
        for (int at = 0; at < 3 * 8000; at += 800) {
            socket.sendBinary(AudioHookFrames.audio(audio.customer(), audio.agent(), at, at + 800));
        }
        socket.abort();

        assertGoodCallsComplete(good.join(), "ahgood-");
        CallSummaryComputed cut = awaitFinal("ah-abrupt");
        assertThat(stack.watcher().ended().get("ah-abrupt").getReason().toString()).startsWith("error: socket closed");
        assertThat(cut.getDurationMs()).isEqualTo(3000L);
        // calls opened before their violation end with it, keeping what they computed; refused ones never start
        assertEndedWithError("ah-badseq", "Invalid seq value 5");
        assertEndedWithError("ah-unknown", "'bogus' is not a supported client message");
        assertEndedWithError("ah-oversized", "Audio frame too large");
        assertThat(stack.watcher().finals()).doesNotContainKey("ah-noagent");
    }

    @Test
    void shouldCloseEveryBadTwilioStreamWithItsCodeWhileOtherCallsComplete() throws Exception {
        URI uri = stack.ingest().ingest().twilioUri();
        CompletableFuture<SimulationReport> good = streamInBackground(
                new TwilioClient(TwilioClient.Config.of(uri, 2).withAuthToken(stack.twilioAuthToken()), HTTP,
                        Clock.systemUTC()), "twgood-");
        Recording audio = recordings.get(0);

        // wrong sequence number
        TwilioFrames frames = new TwilioFrames("tw-badseq");
        TestSocket socket = started(uri, frames, call("tw-badseq"));
        String media = frames.media(audio.customer(), audio.agent(), 0, 160).get(0);
        socket.sendText(media);
        socket.sendText(media); // the same sequence number again
        assertThat(socket.awaitServerClose()).isEqualTo(1002);

        // unknown event
        socket = started(uri, new TwilioFrames("tw-unknown"), call("tw-unknown"));
        socket.sendText("{\"event\":\"bogus\",\"sequenceNumber\":\"3\"}");
        assertThat(socket.awaitServerClose()).isEqualTo(1002);

        // oversized message
        socket = started(uri, new TwilioFrames("tw-oversized"), call("tw-oversized"));
        // the whole frame is read before the 1009, so the client finishes writing and sees the close
        socket.sendText("{\"event\":\"media\",\"pad\":\"" + "x".repeat(100_000) + "\"}");
        assertThat(socket.awaitServerClose()).isEqualTo(1009);

        // media before start
        frames = new TwilioFrames("tw-early");
        socket = TestSocket.connect(HTTP, uri, signed(uri)).join();
        socket.sendText(frames.connected());
        socket.sendText(frames.media(audio.customer(), audio.agent(), 0, 160).get(0));
        assertThat(socket.awaitServerClose()).isEqualTo(1002);

        // unsigned and badly signed upgrades: refused before any session exists
        assertThat(handshakeStatus(catchThrowable(() -> TestSocket.connect(HTTP, uri, Map.of()).join())))
                .isEqualTo(401);
        assertThat(handshakeStatus(catchThrowable(() -> TestSocket.connect(HTTP, uri,
                Map.of(TwilioAuth.SIGNATURE_HEADER, TwilioAuth.sign("not-the-token", uri.toString()))).join())))
                .isEqualTo(401);

        // a call that names no agent: refused by policy
        frames = new TwilioFrames("tw-noagent");
        socket = TestSocket.connect(HTTP, uri, signed(uri)).join();
        socket.sendText(frames.connected());
        JsonNode start = JSON.readTree(frames.start(call("tw-noagent")));
        ((com.fasterxml.jackson.databind.node.ObjectNode) start.get("start").get("customParameters")).remove("agentId");
        socket.sendText(JSON.writeValueAsString(start));
        assertThat(socket.awaitServerClose()).isEqualTo(1008);

        // abrupt disconnect after 3 s of audio
        frames = new TwilioFrames("tw-abrupt");
        socket = started(uri, frames, call("tw-abrupt"));
        for (int at = 0; at < 3 * 8000; at += 160) {
            for (String m : frames.media(audio.customer(), audio.agent(), at, at + 160)) {
                socket.sendText(m);
            }
        }
        socket.abort();

        assertGoodCallsComplete(good.join(), "twgood-");
        CallSummaryComputed cut = awaitFinal("tw-abrupt");
        assertThat(stack.watcher().ended().get("tw-abrupt").getReason().toString())
                .startsWith("error: socket closed before stop");
        assertThat(cut.getDurationMs()).isEqualTo(3000L);
        assertEndedWithError("tw-badseq", "sequenceNumber");
        assertEndedWithError("tw-unknown", "unknown event 'bogus'");
        assertEndedWithError("tw-oversized", "message of 100026 chars exceeds 65536");
        assertThat(stack.watcher().finals()).doesNotContainKeys("tw-early", "tw-noagent");
    }

    @Test
    void shouldIngestRawAudioFromKafkaAndRejectWhatItCannotUse() throws Exception {
        Recording audio = recordings.get(0);
        String id = "raw-call01";
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
        try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(props, new StringSerializer(),
                AvroSerde.ofAny(CallStarted.class, RawAudioChunk.class, CallEnded.class));
             KafkaProducer<String, byte[]> raw = new KafkaProducer<>(props, new StringSerializer(),
                     new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(Topics.AUDIO_RAW, "garbage", new byte[] {1, 2, 3}));
            producer.send(new ProducerRecord<>(Topics.AUDIO_RAW, "nobody", chunk("nobody", Role.AGENT, 0, 8000,
                    new short[160], 0)));
            producer.send(new ProducerRecord<>(Topics.AUDIO_RAW, id, CallStarted.newBuilder().setCallId(id)
                    .setAgentId("agent-raw").setTeam("floor").setQueue(null).setSourceProtocol(SourceProtocol.KAFKA_RAW)
                    .setChannels(List.of(new ChannelRole(0, "agent", Role.AGENT), new ChannelRole(1, "customer", Role.CUSTOMER)))
                    .setMediaStartTime(Instant.now()).setSampleRate(8000).build()));
            long seq = 0;
            for (int at = 0; at + 160 <= audio.samples(); at += 160, seq++) {
                producer.send(new ProducerRecord<>(Topics.AUDIO_RAW, id, chunk(id, Role.AGENT, seq, 8000,
                        java.util.Arrays.copyOfRange(audio.agent(), at, at + 160), at / 8)));
                producer.send(new ProducerRecord<>(Topics.AUDIO_RAW, id, chunk(id, Role.CUSTOMER, seq, 8000,
                        java.util.Arrays.copyOfRange(audio.customer(), at, at + 160), at / 8)));
                if (seq == 10) {
                    // a chunk at the wrong rate: refused, the call goes on
                    producer.send(new ProducerRecord<>(Topics.AUDIO_RAW, id, chunk(id, Role.AGENT, 11, 16000,
                            new short[320], 22)));
                }
                if (seq == 20) {
                    // positions no call reaches: a gap of gigabytes of silence, one whose sample
                    // count wraps negative, and a negative one; each is refused alone and the
                    // consumer carries on with the call
                    for (long position : new long[] {1_000_000_000_000L, Long.MAX_VALUE / 8, -5}) {
                        producer.send(new ProducerRecord<>(Topics.AUDIO_RAW, id, chunk(id, Role.CUSTOMER, 21, 8000,
                                new short[160], position)));
                    }
                }
            }
            producer.send(new ProducerRecord<>(Topics.AUDIO_RAW, id, CallEnded.newBuilder().setCallId(id).setEndMs(0)
                    .setReason("eof").setEndedAt(Instant.now()).build()));
        }

        CallSummaryComputed live = awaitFinal(id);
        LiveCalls.assertSameMetrics(live, recorded.get("call01-billing"));
        assertThat(stack.watcher().ended().get(id).getReason().toString()).isEqualTo("eof");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (stack.watcher().rejected().size() < 6 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(stack.watcher().rejected())
                .anySatisfy(r -> {
                    assertThat(r.getCallId().toString()).isEqualTo("garbage");
                    assertThat(r.getReason().toString()).startsWith("earshot.audio-raw[");
                });
        assertThat(stack.watcher().rejected()).extracting(r -> r.getReason().toString())
                .anySatisfy(r -> assertThat(r).contains("call 'nobody', which has not started"))
                .anySatisfy(r -> assertThat(r).contains("chunk at 16000 Hz, the call is 8000 Hz"))
                .anySatisfy(r -> assertThat(r).contains("chunk at 1000000000000 ms leaves a gap of")
                        .contains("at most 60000 ms is taken as silence"))
                .anySatisfy(r -> assertThat(r).contains("chunk at " + Long.MAX_VALUE / 8 + " ms leaves a gap of"))
                .anySatisfy(r -> assertThat(r).contains("negative position -5 ms"));
    }

    private static RawAudioChunk chunk(String callId, Role role, long seq, int rate, short[] samples, long positionMs) {
        byte[] ulaw = new byte[samples.length];
        for (int i = 0; i < samples.length; i++) {
            ulaw[i] = io.earshot.ingest.audio.G711.linearToUlaw(samples[i]);
        }
        return RawAudioChunk.newBuilder().setCallId(callId).setRole(role).setSequence(seq)
                .setEncoding(AudioEncoding.PCMU).setSampleRate(rate).setPositionMs(positionMs)
                .setPayload(ByteBuffer.wrap(ulaw)).build();
    }

    // ---- helpers ----

    private static CompletableFuture<SimulationReport> streamInBackground(CallClient client, String prefix) {
        List<Recording> two = List.of(rename(recordings.get(0), prefix), rename(recordings.get(3), prefix));
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new Simulator(client, FrameListener.NONE).run(two, 2,
                        new CallMetadata("agent-{i}", "floor", "support"), Duration.ZERO);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static Recording rename(Recording r, String prefix) {
        return new Recording(prefix + r.stem(), r.agent(), r.customer());
    }

    private static void assertGoodCallsComplete(SimulationReport report, String prefix) throws Exception {
        assertThat(report.allClean()).as("the concurrent good calls closed cleanly: %s", report.calls()).isTrue();
        for (var c : report.calls()) {
            String folder = c.callId().substring(prefix.length(), c.callId().lastIndexOf('-'));
            CallSummaryComputed live = awaitFinal(c.callId());
            LiveCalls.assertSameMetrics(live, recorded.get(folder));
        }
    }

    private static void assertEndedWithError(String callId, String reason) throws Exception {
        CallSummaryComputed summary = awaitFinal(callId);
        assertThat(summary.getDurationMs()).isZero();
        assertThat(stack.watcher().ended().get(callId).getReason().toString()).startsWith("error: ").contains(reason);
    }

    private static SimulatedCall call(String id) {
        return new SimulatedCall(id, "agent-x", "floor", "support", recordings.get(0));
    }

    private static Map<String, String> headers(URI uri, String secret, Instant created, String session) {
        return AudioHookFrames.upgradeHeaders(uri, ORG, session, UUID.randomUUID().toString(), EmbeddedStack.API_KEY,
                secret, created, UUID.randomUUID().toString());
    }

    private static void assertRefused(URI uri, Map<String, String> headers, int status) {
        assertThatThrownBy(() -> TestSocket.connect(HTTP, uri, headers).join())
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e.getCause()).getResponse().statusCode())
                        .isEqualTo(status));
    }

    private static TestSocket opened(URI uri, String session, SimulatedCall call) throws Exception {
        TestSocket socket = TestSocket.connect(HTTP, uri, headers(uri, stack.clientSecret(), Instant.now(), session)).join();
        socket.sendText(AudioHookFrames.open(session, ORG, call));
        assertThat(JSON.readTree(socket.nextText()).get("type").asText()).isEqualTo("opened");
        return socket;
    }

    private static void assertDisconnect(TestSocket socket, String info) throws Exception {
        JsonNode reply = JSON.readTree(socket.nextText());
        assertThat(reply.get("type").asText()).isEqualTo("disconnect");
        assertThat(reply.get("parameters").get("reason").asText()).isEqualTo("error");
        assertThat(reply.get("parameters").get("info").asText()).contains(info);
        socket.abort();
    }

    private static String withoutAgent(String open) throws Exception {
        JsonNode node = JSON.readTree(open);
        ((com.fasterxml.jackson.databind.node.ObjectNode) node.get("parameters").get("customConfig")).remove("agentId");
        return JSON.writeValueAsString(node);
    }

    private static TestSocket started(URI uri, TwilioFrames frames, SimulatedCall call) {
        TestSocket socket = TestSocket.connect(HTTP, uri, signed(uri)).join();
        socket.sendText(frames.connected());
        socket.sendText(frames.start(call));
        return socket;
    }

    private static int handshakeStatus(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof java.net.http.WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
        }
        throw new AssertionError("not a refused upgrade", t);
    }

    /** The header Twilio signs the upgrade with, for the embedded stack's auth token. */
    private static Map<String, String> signed(URI uri) {
        return Map.of(TwilioAuth.SIGNATURE_HEADER, TwilioAuth.sign(stack.twilioAuthToken(), uri.toString()));
    }

    private static CallSummaryComputed awaitFinal(String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!stack.watcher().finals().containsKey(id)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no final summary of " + id + "; have " + stack.watcher().finals().keySet());
            }
            Thread.sleep(50);
        }
        return stack.watcher().finals().get(id).summary();
    }
}
