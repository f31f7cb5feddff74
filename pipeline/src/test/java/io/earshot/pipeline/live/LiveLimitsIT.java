package io.earshot.pipeline.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.earshot.ingest.audio.G711;
import io.earshot.ingest.protocol.TestSocket;
import io.earshot.contracts.AvroSerde;
import io.earshot.contracts.Topics;
import io.earshot.pipeline.config.EarshotConfig;
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
import io.earshot.schemas.AudioEncoding;
import io.earshot.schemas.CallEnded;
import io.earshot.schemas.CallStarted;
import io.earshot.schemas.CallSummaryComputed;
import io.earshot.schemas.ChannelRole;
import io.earshot.schemas.RawAudioChunk;
import io.earshot.schemas.Role;
import io.earshot.schemas.SourceProtocol;
import java.net.URI;
import java.nio.ByteBuffer;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntSupplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ingest limits against the embedded stack while a good AudioHook call and a good Twilio
 * call stream in real time: a caller claiming a live call's id, callers over the concurrent-call
 * bounds, jumping their position by a day, flooding messages, fast-forwarding timestamps or
 * running past the call duration each get their protocol's own error or close, and the good calls' final summaries equal those
 * {@code analyze} computes from the same recordings. Raw Kafka audio gets the same gap and
 * duration bounds. Voice activity only (no recognisers).
 */
class LiveLimitsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String ORG = AudioHookClient.DEFAULT_ORGANIZATION_ID;
    /** One second of stereo PCMU at 8 kHz. */
    private static final int SECOND = 8000;

    /**
     * Small bounds so the attacks are quick: 5 calls, 2 per key, 25 s per call (the sample calls
     * are 18-23 s), 10 s grace then at most 20 s ahead, 400 messages a second.
     */
    private static final EarshotConfig.Limits LIMITS = new EarshotConfig.Limits(5, 2, 25, 60, true, 10, 20, 400, 400);

    private static EmbeddedStack stack;
    private static List<Recording> recordings;
    private static Map<String, CallSummaryComputed> recorded;

    @BeforeAll
    static void start() throws Exception {
        recordings = SampleCalls.load(SampleCalls.defaultDirectory());
        recorded = LiveCalls.analyzeSampleCalls(false);
        stack = EmbeddedStack.start(EmbeddedStack.Options.of(null).withLimits(LIMITS), line -> { });
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void shouldRefuseEveryAttackerInItsProtocolWhileGoodCallsStreamUntouched() throws Exception {
        URI audioHook = stack.ingest().ingest().audioHookUri();
        URI twilio = stack.ingest().ingest().twilioUri();
        CallRegistry calls = stack.ingest().calls();
        CompletableFuture<SimulationReport> goodAudioHook = streamInBackground(new AudioHookClient(
                AudioHookClient.Config.of(audioHook, EmbeddedStack.API_KEY, stack.clientSecret(), 1), HTTP,
                Clock.systemUTC()), "ahgood-", recordings.get(0));
        CompletableFuture<SimulationReport> goodTwilio = streamInBackground(
                new TwilioClient(TwilioClient.Config.of(twilio, 1).withAuthToken(stack.twilioAuthToken()), HTTP,
                        Clock.systemUTC()), "twgood-",
                recordings.get(3));
        await("both good calls live", () -> calls.activeCalls() == 2 ? 1 : 0);

        // a signed Twilio stream that claims the live good AudioHook call's id: refused, uncounted,
        // and the good call's summary below still equals analyze's
        long refusedAtStart = calls.refusedCalls();
        TestSocket takeover = started(twilio, new TwilioFrames("tw-takeover"),
                call("ahgood-" + recordings.get(0).stem() + "-1"), null);
        assertThat(takeover.awaitServerClose()).isEqualTo(1008);
        assertThat(takeover.serverCloseReason()).isEqualTo("call refused");
        assertThat(calls.refusedCalls()).isEqualTo(refusedAtStart + 1);
        assertThat(calls.activeCalls()).isEqualTo(2);

        // per key: the demo API key has the good call and one more; a third is refused
        String hogSession = UUID.randomUUID().toString();
        TestSocket hog = opened(audioHook, hogSession, call("ah-hog"));
        String refusedSession = UUID.randomUUID().toString();
        TestSocket refused = connect(audioHook, refusedSession);
        long refusedBefore = calls.refusedCalls();
        refused.sendText(AudioHookFrames.open(refusedSession, ORG, call("ah-over-key")));
        assertDisconnect(refused, "error", "Client Error: call refused");
        assertThat(calls.refusedCalls()).isEqualTo(refusedBefore + 1);
        assertThat(calls.activeCalls()).isEqualTo(3);

        // global: the good Twilio account's second call, one of another account, then none
        TestSocket twilioHog = started(twilio, new TwilioFrames("tw-hog"), call("tw-hog"), null);
        await("the Twilio hog live", () -> calls.activeCalls() == 4 ? 1 : 0);
        TwilioFrames otherFrames = new TwilioFrames("tw-other");
        TestSocket other = started(twilio, otherFrames, call("tw-other"), "AC" + "0".repeat(31) + "1");
        await("the other account's call live", () -> calls.activeCalls() == 5 ? 1 : 0);
        TestSocket overGlobal = started(twilio, new TwilioFrames("tw-over-global"), call("tw-over-global"),
                "AC" + "0".repeat(31) + "2");
        assertThat(overGlobal.awaitServerClose()).isEqualTo(1008);

        hog.sendText(AudioHookFrames.close(hogSession, 2, 1, Duration.ZERO, "end"));
        assertThat(JSON.readTree(hog.nextText()).get("type").asText()).isEqualTo("closed");
        hog.abort();
        twilioHog.abort();
        other.abort();
        awaitGoodCallsOnly(calls);

        // AudioHook: an open position a day ahead
        String session = UUID.randomUUID().toString();
        TestSocket socket = connect(audioHook, session);
        socket.sendText(AudioHookFrames.open(session, ORG, call("ah-open-day"))
                .replace("\"position\":\"PT0S\"", "\"position\":\"PT24H\""));
        assertDisconnect(socket, "error", "open position jumps 86400000 ms ahead");

        // AudioHook: resumed after discarding a day
        session = UUID.randomUUID().toString();
        socket = opened(audioHook, session, call("ah-resumed-day"));
        socket.sendText(message("paused", session, 2, 1, "{}"));
        socket.sendText(message("resumed", session, 3, 1, "{\"start\":\"PT0S\",\"discarded\":\"PT24H\"}"));
        assertDisconnect(socket, "error", "position jumps 86400000 ms ahead");
        awaitGoodCallsOnly(calls);

        // AudioHook: a flood of pings
        session = UUID.randomUUID().toString();
        socket = opened(audioHook, session, call("ah-flood"));
        for (int seq = 2; seq < 4000; seq++) {
            socket.sendText(AudioHookFrames.ping(session, seq, 1, Duration.ZERO, Duration.ofMillis(5)));
        }
        JsonNode reply;
        do {
            reply = JSON.readTree(socket.nextText());
        } while (reply.get("type").asText().equals("pong"));
        assertThat(reply.get("type").asText()).isEqualTo("disconnect");
        assertThat(reply.at("/parameters/info").asText()).contains("Message rate above 400 per second");
        socket.abort();
        awaitGoodCallsOnly(calls);

        // AudioHook: a burst past the call duration is cut at it and ended as completed
        session = UUID.randomUUID().toString();
        socket = opened(audioHook, session, call("ah-long"));
        Recording audio = recordings.get(0);
        for (int s = 0; s < 28; s++) {
            int from = (s * SECOND) % (audio.samples() - SECOND);
            socket.sendBinary(AudioHookFrames.audio(audio.customer(), audio.agent(), from, from + SECOND));
        }
        assertDisconnect(socket, "completed", "maximum call duration of 25 s reached");
        awaitGoodCallsOnly(calls);

        // Twilio: a timestamp a day ahead
        TwilioFrames frames = new TwilioFrames("tw-day");
        socket = started(twilio, frames, call("tw-day"), null);
        sendMedia(socket, frames, 0, audio);
        sendMedia(socket, frames, 86_400_000L, audio);
        assertThat(socket.awaitServerClose()).isEqualTo(1002);
        awaitGoodCallsOnly(calls);

        // Twilio: timestamps fast-forwarded 20 s a message, within the gap bound each time
        frames = new TwilioFrames("tw-fast");
        socket = started(twilio, frames, call("tw-fast"), null);
        for (long ms = 0; ms <= 40_000; ms += 20_000) {
            sendMedia(socket, frames, ms, audio);
        }
        assertThat(socket.awaitServerClose()).isEqualTo(1008);

        assertGoodCallComplete(goodAudioHook.join(), "ahgood-");
        assertGoodCallComplete(goodTwilio.join(), "twgood-");
        assertThat(awaitFinal("ah-long").getDurationMs()).isEqualTo(25_000L);
        assertThat(stack.watcher().ended().get("ah-long").getReason().toString())
                .isEqualTo("maximum call duration of 25 s reached");
        assertEndedWith("ah-resumed-day", "error: position jumps 86400000 ms ahead");
        assertEndedWith("ah-flood", "error: Message rate above 400 per second");
        assertEndedWith("tw-day", "error: chunk at 86400000 ms is more than 60000 ms past");
        assertEndedWith("tw-fast", "error: media runs ahead of real time");
        assertThat(stack.watcher().finals()).doesNotContainKeys("ah-over-key", "tw-over-global", "ah-open-day");
    }

    @Test
    void shouldEndARawKafkaCallAtTheMaximumDurationAndRefuseAJumpBeyondTheGapBound() throws Exception {
        Recording audio = recordings.get(0);
        String id = "raw-long";
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
        try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(props, new StringSerializer(),
                AvroSerde.ofAny(CallStarted.class, RawAudioChunk.class, CallEnded.class))) {
            producer.send(new ProducerRecord<>(Topics.AUDIO_RAW, id, CallStarted.newBuilder().setCallId(id)
                    .setAgentId("agent-raw").setTeam("floor").setQueue(null).setSourceProtocol(SourceProtocol.KAFKA_RAW)
                    .setChannels(List.of(new ChannelRole(0, "agent", Role.AGENT),
                            new ChannelRole(1, "customer", Role.CUSTOMER)))
                    .setMediaStartTime(Instant.now()).setSampleRate(8000).build()));
            for (int s = 0; s < 30; s++) {
                int from = (s * SECOND) % (audio.samples() - SECOND);
                producer.send(new ProducerRecord<>(Topics.AUDIO_RAW, id, chunk(id, Role.AGENT, s,
                        Arrays.copyOfRange(audio.agent(), from, from + SECOND), s * 1000L)));
                producer.send(new ProducerRecord<>(Topics.AUDIO_RAW, id, chunk(id, Role.CUSTOMER, s,
                        Arrays.copyOfRange(audio.customer(), from, from + SECOND), s * 1000L)));
                if (s == 3) {
                    // a day ahead: refused alone, the call goes on
                    producer.send(new ProducerRecord<>(Topics.AUDIO_RAW, id, chunk(id, Role.AGENT, 4,
                            new short[160], 86_400_000L)));
                }
            }
        }

        assertThat(awaitFinal(id).getDurationMs()).isEqualTo(25_000L);
        assertThat(stack.watcher().ended().get(id).getReason().toString())
                .isEqualTo("maximum call duration of 25 s reached");
        await("the refusals", () -> stack.watcher().rejected().size() >= 2 ? 1 : 0);
        assertThat(stack.watcher().rejected()).extracting(r -> r.getReason().toString())
                .anySatisfy(r -> assertThat(r).contains("chunk at 86400000 ms leaves a gap of")
                        .contains("at most 60000 ms is taken as silence"))
                .anySatisfy(r -> assertThat(r).contains("chunk at 25000 ms is past the maximum call duration of 25 s"));
    }

    private static RawAudioChunk chunk(String callId, Role role, long seq, short[] samples, long positionMs) {
        byte[] ulaw = new byte[samples.length];
        for (int i = 0; i < samples.length; i++) {
            ulaw[i] = G711.linearToUlaw(samples[i]);
        }
        return RawAudioChunk.newBuilder().setCallId(callId).setRole(role).setSequence(seq)
                .setEncoding(AudioEncoding.PCMU).setSampleRate(8000).setPositionMs(positionMs)
                .setPayload(ByteBuffer.wrap(ulaw)).build();
    }

    // ---- helpers ----

    private static CompletableFuture<SimulationReport> streamInBackground(CallClient client, String prefix,
            Recording recording) {
        Recording named = new Recording(prefix + recording.stem(), recording.agent(), recording.customer());
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new Simulator(client, FrameListener.NONE).run(List.of(named), 1,
                        new CallMetadata("agent-{i}", "floor", "support"), Duration.ZERO);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static void assertGoodCallComplete(SimulationReport report, String prefix) throws Exception {
        assertThat(report.allClean()).as("the good call closed cleanly: %s", report.calls()).isTrue();
        for (var c : report.calls()) {
            String folder = c.callId().substring(prefix.length(), c.callId().lastIndexOf('-'));
            LiveCalls.assertSameMetrics(awaitFinal(c.callId()), recorded.get(folder));
        }
    }

    private static void assertEndedWith(String callId, String reason) throws Exception {
        awaitFinal(callId);
        assertThat(stack.watcher().ended().get(callId).getReason().toString()).startsWith(reason);
    }

    /** Waits until only the two good calls (or fewer, once they end) are live. */
    private static void awaitGoodCallsOnly(CallRegistry calls) throws InterruptedException {
        await("attackers' calls ended", () -> calls.activeCalls() <= 2 ? 1 : 0);
    }

    private static void await(String what, IntSupplier holds) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (holds.getAsInt() == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private static SimulatedCall call(String id) {
        return new SimulatedCall(id, "agent-x", "floor", "support", recordings.get(0));
    }

    private static TestSocket connect(URI uri, String session) {
        Map<String, String> headers = AudioHookFrames.upgradeHeaders(uri, ORG, session, UUID.randomUUID().toString(),
                EmbeddedStack.API_KEY, stack.clientSecret(), Instant.now(), UUID.randomUUID().toString());
        return TestSocket.connect(HTTP, uri, headers).join();
    }

    private static TestSocket opened(URI uri, String session, SimulatedCall call) throws Exception {
        TestSocket socket = connect(uri, session);
        socket.sendText(AudioHookFrames.open(session, ORG, call));
        assertThat(JSON.readTree(socket.nextText()).get("type").asText()).isEqualTo("opened");
        return socket;
    }

    private static String message(String type, String session, long seq, long serverSeq, String parameters) {
        return "{\"version\":\"2\",\"type\":\"" + type + "\",\"seq\":" + seq + ",\"serverseq\":" + serverSeq
                + ",\"id\":\"" + session + "\",\"position\":\"PT0S\",\"parameters\":" + parameters + "}";
    }

    private static void assertDisconnect(TestSocket socket, String reason, String info) throws Exception {
        JsonNode reply = JSON.readTree(socket.nextText());
        assertThat(reply.get("type").asText()).isEqualTo("disconnect");
        assertThat(reply.at("/parameters/reason").asText()).isEqualTo(reason);
        assertThat(reply.at("/parameters/info").asText()).contains(info);
        socket.abort();
    }

    /** Connects and starts a stream; {@code accountSid} replaces the simulator's account when given. */
    private static TestSocket started(URI uri, TwilioFrames frames, SimulatedCall call, String accountSid)
            throws Exception {
        TestSocket socket = TestSocket.connect(HTTP, uri, Map.of(TwilioAuth.SIGNATURE_HEADER,
                TwilioAuth.sign(stack.twilioAuthToken(), uri.toString()))).join();
        socket.sendText(frames.connected());
        String start = frames.start(call);
        if (accountSid != null) {
            JsonNode node = JSON.readTree(start);
            ((ObjectNode) node.get("start")).put("accountSid", accountSid);
            start = JSON.writeValueAsString(node);
        }
        socket.sendText(start);
        return socket;
    }

    /** One 20 ms media message per track at {@code timestampMs}. */
    private static void sendMedia(TestSocket socket, TwilioFrames frames, long timestampMs, Recording audio)
            throws Exception {
        for (String m : frames.media(audio.customer(), audio.agent(), 0, 160)) {
            JsonNode node = JSON.readTree(m);
            ((ObjectNode) node.get("media")).put("timestamp", Long.toString(timestampMs));
            socket.sendText(JSON.writeValueAsString(node));
        }
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
