package io.earshot.ingest.protocol.audiohook;

import io.earshot.ingest.protocol.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.earshot.ingest.audio.G711;
import io.earshot.ingest.protocol.CallRejectedException;
import io.earshot.ingest.protocol.IngestLimits;
import io.earshot.ingest.protocol.audiohook.AudioHookSession.Limits;
import io.earshot.ingest.protocol.audiohook.AudioHookSession.State;
import io.earshot.ingest.protocol.audiohook.Messages.MediaFormat;
import io.earshot.ingest.protocol.audiohook.Messages.Open;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replays recorded AudioHook client message sequences (shaped like the examples of the
 * AudioHook protocol specification) into a session with a fake channel and clock, and asserts
 * the exact replies.
 */
class AudioHookSessionTest {

    private static final String ID = "e160e428-53e2-487c-977d-96989bf5c99d";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String OPEN_PCMU = """
        {"version":"2","type":"open","seq":1,"serverseq":0,"id":"e160e428-53e2-487c-977d-96989bf5c99d","position":"PT0S",
         "parameters":{"organizationId":"d7934305-0972-4844-938e-9060eef73d05",
          "conversationId":"090eaa2f-72fa-480a-83e0-8667ff89c0ec",
          "participant":{"id":"883efee8-3d6c-4537-b500-6d7ca4b92fa0","ani":"+1-555-555-1234","aniName":"John Doe","dnis":"+1-800-555-6789"},
          "media":[{"type":"audio","format":"PCMU","channels":["external"],"rate":8000},
                   {"type":"audio","format":"L16","channels":["external","internal"],"rate":8000},
                   {"type":"audio","format":"PCMU","channels":["external","internal"],"rate":8000},
                   {"type":"audio","format":"PCMU","channels":["internal"],"rate":8000}],
          "language":"en-US"}}
        """;

    private static final String OPENED_PCMU = """
        {"version":"2","type":"opened","seq":1,"clientseq":1,"id":"e160e428-53e2-487c-977d-96989bf5c99d",
         "parameters":{"startPaused":false,
          "media":[{"type":"audio","format":"PCMU","channels":["external","internal"],"rate":8000}]}}
        """;

    private final FakeChannel channel = new FakeChannel();
    private final RecordingListener listener = new RecordingListener();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T19:00:00Z"));
    private final AudioHookSession session = new AudioHookSession(ID, Limits.defaults(), channel, listener, clock);

    @Test
    void shouldReplyOpenedWithStereoPcmuWhenOfferedAmongOthers() throws Exception {
        session.onText(OPEN_PCMU);

        assertThat(channel.replies()).containsExactly(JSON.readTree(OPENED_PCMU));
        assertThat(session.state()).isEqualTo(State.ACTIVE);
        assertThat(listener.events).containsExactly(
                "open 090eaa2f-72fa-480a-83e0-8667ff89c0ec +1-555-555-1234 PCMU [external, internal] 8000");
    }

    @Test
    void shouldSelectStereoL16WhenNoStereoPcmuIsOffered() throws Exception {
        session.onText(open("""
            [{"type":"audio","format":"PCMU","channels":["external"],"rate":8000},
             {"type":"audio","format":"L16","channels":["internal","external"],"rate":8000}]"""));

        assertThat(channel.replies().get(0).at("/parameters/media")).isEqualTo(JSON.readTree(
                "[{\"type\":\"audio\",\"format\":\"L16\",\"channels\":[\"internal\",\"external\"],\"rate\":8000}]"));
    }

    @Test
    void shouldDisconnectWithErrorWhenNoOfferedMediaIsAcceptable() throws Exception {
        session.onText(open("""
            [{"type":"audio","format":"PCMU","channels":["external","internal"],"rate":16000},
             {"type":"audio","format":"opus","channels":["external"],"rate":8000}]"""));

        assertThat(channel.replies()).hasSize(1);
        assertDisconnectError(channel.replies().get(0), 1, 1, "No supported media format");
        assertThat(session.state()).isEqualTo(State.ERROR_SIGNALED);
        assertThat(listener.events).noneMatch(e -> e.startsWith("open"));
    }

    @Test
    void shouldAnswerPingWithPongCarryingNextSeqAndClientseq() throws Exception {
        session.onText(OPEN_PCMU);
        session.onText(client("ping", 2, 1, "PT1.2S", "{\"rtt\":\"PT0.025S\"}"));

        assertThat(channel.replies()).element(1).isEqualTo(JSON.readTree(
                "{\"version\":\"2\",\"type\":\"pong\",\"seq\":2,\"clientseq\":2,\"id\":\"" + ID + "\",\"parameters\":{}}"));
    }

    @Test
    void shouldPauseAndResumeWithoutRepliesAndCountDiscardedAudioInPositions() {
        session.onText(OPEN_PCMU);
        session.onBinary(new byte[1600]);                       // 800 stereo frames = 0.1 s
        session.onText(client("paused", 2, 1, "PT0.1S", "{}"));
        assertThat(session.state()).isEqualTo(State.PAUSED);
        session.onText(client("resumed", 3, 1, "PT2.1S", "{\"start\":\"PT0.1S\",\"discarded\":\"PT2S\"}"));
        session.onBinary(new byte[320]);

        assertThat(channel.texts).hasSize(1);                   // only "opened": paused/resumed need no reply
        assertThat(session.state()).isEqualTo(State.ACTIVE);
        assertThat(listener.events).containsExactly(
                "open 090eaa2f-72fa-480a-83e0-8667ff89c0ec +1-555-555-1234 PCMU [external, internal] 8000",
                "audio 0 800", "paused", "resumed PT2S", "audio 16800 160");
        assertThat(session.positionSamples()).isEqualTo(16960);
    }

    @Test
    void shouldAdvancePositionOverAudioTheClientDiscarded() {
        session.onText(OPEN_PCMU);
        session.onBinary(new byte[1600]);
        session.onText(client("discarded", 2, 1, "PT0.6S", "{\"start\":\"PT0.1S\",\"discarded\":\"PT0.5S\"}"));
        session.onBinary(new byte[1600]);

        assertThat(listener.events).endsWith("audio 0 800", "audio 4800 800");
        assertThat(channel.texts).hasSize(1);
    }

    @Test
    void shouldReplyUpdatedToUpdateAndAdoptTheNewLanguage() throws Exception {
        session.onText(OPEN_PCMU);
        session.onText(client("update", 2, 1, "PT3S", "{\"language\":\"es-ES\"}"));

        assertThat(channel.replies()).element(1).isEqualTo(JSON.readTree(
                "{\"version\":\"2\",\"type\":\"updated\",\"seq\":2,\"clientseq\":2,\"id\":\"" + ID + "\",\"parameters\":{}}"));
        assertThat(session.language()).isEqualTo("es-ES");
    }

    @Test
    void shouldReplyClosedToCloseAndThenRefuseFurtherTraffic() throws Exception {
        session.onText(OPEN_PCMU);
        session.onText(client("ping", 2, 1, "PT5S", "{}"));
        session.onText(client("close", 3, 2, "PT9.5S", "{\"reason\":\"end\"}"));

        assertThat(channel.replies()).element(2).isEqualTo(JSON.readTree(
                "{\"version\":\"2\",\"type\":\"closed\",\"seq\":3,\"clientseq\":3,\"id\":\"" + ID + "\",\"parameters\":{}}"));
        assertThat(session.state()).isEqualTo(State.CLOSED);
        assertThat(listener.events).endsWith("closed end");

        session.onBinary(new byte[2]);
        assertThat(channel.closes).containsExactly("1008 Audio after 'closed'");
        assertThat(channel.texts).hasSize(3);
    }

    @Test
    void shouldDisconnectWhenClientSeqSkipsAndStillCompleteTheClientsClose() throws Exception {
        session.onText(OPEN_PCMU);
        session.onText(client("ping", 3, 1, "PT1S", "{}"));

        assertDisconnectError(channel.replies().get(1), 2, 1, "Invalid seq value 3 (expected 2)");
        session.onBinary(new byte[1600]);                       // audio in flight is dropped silently
        session.onText(client("close", 4, 2, "PT1S", "{\"reason\":\"error\"}"));

        assertThat(channel.replies()).hasSize(3);
        assertThat(channel.replies().get(2).get("type").asText()).isEqualTo("closed");
        assertThat(channel.replies().get(2).get("seq").asLong()).isEqualTo(3);
        assertThat(channel.replies().get(2).get("clientseq").asLong()).isEqualTo(4);
        assertThat(listener.events).contains("error -1 Invalid seq value 3 (expected 2)").endsWith("closed error")
                .noneMatch(e -> e.startsWith("audio"));
    }

    @Test
    void shouldDisconnectWhenClientSeqRepeats() throws Exception {
        session.onText(OPEN_PCMU);
        session.onText(client("ping", 1, 1, "PT1S", "{}"));

        assertDisconnectError(channel.replies().get(1), 2, 1, "Invalid seq value 1 (expected 2)");
    }

    @Test
    void shouldDisconnectWhenServerseqIsAheadOfWhatTheServerSent() throws Exception {
        session.onText(OPEN_PCMU);
        session.onText(client("ping", 2, 7, "PT1S", "{}"));

        assertDisconnectError(channel.replies().get(1), 2, 2, "Invalid serverseq value 7");
    }

    @Test
    void shouldDisconnectOnSessionIdMismatch() throws Exception {
        session.onText(OPEN_PCMU.replace(ID, "11111111-2222-3333-4444-555555555555"));

        assertDisconnectError(channel.replies().get(0), 1, 1, "Session identifier mismatch");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dance", "pong", "opened", "pause"})
    void shouldDisconnectOnUnknownOrServerOnlyMessageType(String type) throws Exception {
        session.onText(OPEN_PCMU);
        session.onText(client(type, 2, 1, "PT1S", "{}"));

        assertDisconnectError(channel.replies().get(1), 2, 1, "'" + type + "' is not a supported client message");
    }

    @Test
    void shouldDisconnectOnMalformedJson() throws Exception {
        session.onText("{\"version\":\"2\",\"type\":\"open\",");

        assertThat(channel.replies()).hasSize(1);
        assertDisconnectError(channel.replies().get(0), 1, 0, "Text message not valid JSON");
        assertThat(channel.replies().get(0).get("id").asText()).isEqualTo(ID);
    }

    @Test
    void shouldDisconnectOnAudioBeforeOpen() throws Exception {
        session.onBinary(new byte[160]);

        assertDisconnectError(channel.replies().get(0), 1, 0, "Received audio before the session was opened");
        assertThat(listener.events).noneMatch(e -> e.startsWith("audio"));
    }

    @Test
    void shouldDisconnectOnAudioWhilePaused() throws Exception {
        session.onText(OPEN_PCMU);
        session.onText(client("paused", 2, 1, "PT0S", "{}"));
        session.onBinary(new byte[160]);

        assertDisconnectError(channel.replies().get(1), 2, 2, "Received audio while the stream is paused");
    }

    @Test
    void shouldDisconnectOnOversizedAudioFrame() throws Exception {
        AudioHookSession small = new AudioHookSession(ID, new Limits(3200, 65_535), channel, listener, clock);
        small.onText(OPEN_PCMU);
        small.onBinary(new byte[3200]);
        small.onBinary(new byte[3202]);

        assertDisconnectError(channel.replies().get(1), 2, 1, "Audio frame too large (3202 > 3200 bytes)");
        assertThat(listener.events).containsOnlyOnce("audio 0 1600");
    }

    @Test
    void shouldDisconnectOnAudioFrameThatSplitsASampleFrame() throws Exception {
        session.onText(OPEN_PCMU);
        session.onBinary(new byte[161]);

        assertDisconnectError(channel.replies().get(1), 2, 1, "not a multiple of 2 bytes");
    }

    @Test
    void shouldDisconnectOnUpdateBeforeOpen() throws Exception {
        session.onText(client("update", 1, 0, "PT0S", "{\"language\":\"de-DE\"}"));

        assertDisconnectError(channel.replies().get(0), 1, 1, "Unexpected 'update' in state AWAITING_OPEN");
    }

    @Test
    void shouldDeinterleaveStereoPcmuIntoCustomerAndAgentWithRunningPositions() {
        short[] customer = {1000, -2000, 3000, -4000};
        short[] agent = {-8000, 16000, 120, 0};
        session.onText(OPEN_PCMU);
        session.onBinary(interleaveUlaw(customer, agent, 0, 2));
        session.onBinary(interleaveUlaw(customer, agent, 2, 2));

        assertThat(listener.blocks).hasSize(2);
        assertThat(listener.blocks.get(0).startSample()).isZero();
        assertThat(listener.blocks.get(1).startSample()).isEqualTo(2);
        assertThat(listener.blocks.get(0).external()).containsExactly(roundTrip(1000), roundTrip(-2000));
        assertThat(listener.blocks.get(0).internal()).containsExactly(roundTrip(-8000), roundTrip(16000));
        assertThat(listener.blocks.get(1).external()).containsExactly(roundTrip(3000), roundTrip(-4000));
        assertThat(listener.blocks.get(1).internal()).containsExactly(roundTrip(120), roundTrip(0));
    }

    @Test
    void shouldDecodeLittleEndianL16FourBytesPerStereoFrameInOfferedChannelOrder() {
        session.onText(open("[{\"type\":\"audio\",\"format\":\"L16\",\"channels\":[\"internal\",\"external\"],\"rate\":8000}]"));
        // frame 0: internal=0x0102, external=-2 ; frame 1: internal=300, external=-300
        session.onBinary(new byte[] {0x02, 0x01, (byte) 0xFE, (byte) 0xFF, 0x2C, 0x01, (byte) 0xD4, (byte) 0xFE});

        AudioBlock block = listener.blocks.get(0);
        assertThat(block.internal()).containsExactly((short) 0x0102, (short) 300);
        assertThat(block.external()).containsExactly((short) -2, (short) -300);
        assertThat(session.positionSamples()).isEqualTo(2);
    }

    @Test
    void shouldSendPauseAndResumeRequestsWithTheirOwnSequenceNumbers() throws Exception {
        session.onText(OPEN_PCMU);
        session.requestPause();
        session.onText(client("paused", 2, 2, "PT1S", "{}"));
        session.requestResume();

        assertThat(channel.replies()).extracting(n -> n.get("type").asText() + " " + n.get("seq") + " " + n.get("clientseq"))
                .containsExactly("opened 1 1", "pause 2 1", "resume 3 2");
    }

    @Test
    void shouldReportClientErrorMessagesToTheListenerWithoutReplying() {
        session.onText(OPEN_PCMU);
        session.onText(client("error", 2, 1, "PT1S", "{\"code\":500,\"message\":\"Internal error\"}"));

        assertThat(listener.events).endsWith("error 500 Internal error");
        assertThat(channel.texts).hasSize(1);
        assertThat(session.state()).isEqualTo(State.ACTIVE);
    }

    @Test
    void shouldTurnAListenerFailureIntoAServerErrorDisconnectInsteadOfThrowing() throws Exception {
        AudioHookSession failing = new AudioHookSession(ID, Limits.defaults(), channel, new RecordingListener() {
            @Override
            public void onAudio(AudioBlock block) {
                throw new IllegalStateException("downstream full");
            }
        }, clock);
        failing.onText(OPEN_PCMU);
        failing.onBinary(new byte[160]);

        assertThat(channel.replies().get(1).get("parameters")).isEqualTo(
                JSON.readTree("{\"reason\":\"error\",\"info\":\"Server error\"}"));
        assertThat(failing.state()).isEqualTo(State.ERROR_SIGNALED);
    }

    @Test
    void shouldDisconnectWithAGenericReasonWhenTheListenerRejectsTheCall() throws Exception {
        AudioHookSession rejecting = new AudioHookSession(ID, Limits.defaults(), channel, new RecordingListener() {
            @Override
            public void onOpen(Open open, MediaFormat media) {
                throw new CallRejectedException("unknown agent 'a-9'");
            }
        }, clock);
        rejecting.onText(OPEN_PCMU);

        assertThat(channel.replies()).hasSize(1);
        assertThat(channel.replies().get(0).get("type").asText()).isEqualTo("disconnect");
        assertThat(channel.replies().get(0).get("parameters")).isEqualTo(
                JSON.readTree("{\"reason\":\"error\",\"info\":\"Client Error: call refused\"}"));
        assertThat(rejecting.state()).isEqualTo(State.ERROR_SIGNALED);
    }

    @Test
    void shouldReportIdleOnlyAfterNoClientTrafficForTheTimeout() {
        session.onText(OPEN_PCMU);
        clock.advance(Duration.ofSeconds(20));
        assertThat(session.isIdleFor(Duration.ofSeconds(30))).isFalse();
        session.onText(client("ping", 2, 1, "PT20S", "{}"));
        clock.advance(Duration.ofSeconds(29));
        assertThat(session.isIdleFor(Duration.ofSeconds(30))).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(session.isIdleFor(Duration.ofSeconds(30))).isTrue();
    }

    // ---- media bounds ----------------------------------------------------------------------

    /** One second of stereo PCMU at 8 kHz. */
    private static final int SECOND = 16_000;

    @Test
    void shouldDisconnectWithErrorWhenTheOpenPositionLiesADayAhead() throws Exception {
        session.onText(OPEN_PCMU.replace("\"position\":\"PT0S\"", "\"position\":\"PT24H\""));

        assertThat(channel.replies()).hasSize(1);
        assertDisconnectError(channel.replies().get(0), 1, 1, "open position jumps 86400000 ms ahead");
        assertThat(listener.events).noneMatch(e -> e.startsWith("open"));
        assertThat(session.positionSamples()).isZero();
    }

    @Test
    void shouldDisconnectWithErrorWhenResumedDiscardsADay() throws Exception {
        session.onText(OPEN_PCMU);
        session.onBinary(new byte[1600]);
        session.onText(client("paused", 2, 1, "PT0.1S", "{}"));
        session.onText(client("resumed", 3, 1, "PT24H", "{\"start\":\"PT0.1S\",\"discarded\":\"PT24H\"}"));
        session.onBinary(new byte[1600]);

        assertDisconnectError(channel.replies().get(1), 2, 3, "position jumps");
        assertThat(session.state()).isEqualTo(State.ERROR_SIGNALED);
        assertThat(session.positionSamples()).isEqualTo(800);
        assertThat(listener.blocks).hasSize(1);
    }

    @Test
    void shouldDisconnectWithErrorWhenDiscardedJumpsADay() throws Exception {
        session.onText(OPEN_PCMU);
        session.onText(client("discarded", 2, 1, "PT0S", "{\"start\":\"PT0S\",\"discarded\":\"PT24H\"}"));

        assertDisconnectError(channel.replies().get(1), 2, 2, "position jumps");
        assertThat(session.positionSamples()).isZero();
    }

    @Test
    void shouldDisconnectWithErrorWhenAudioRunsAheadOfTheWallClock() throws Exception {
        session.onText(OPEN_PCMU);
        // grace and lead: 20 s may come at once, the 21st second may not
        for (int i = 0; i < 21; i++) {
            session.onBinary(new byte[SECOND]);
        }

        assertThat(listener.blocks).hasSize(20);
        assertDisconnectError(channel.replies().get(1), 2, 1, "media runs ahead of real time");
        assertThat(session.state()).isEqualTo(State.ERROR_SIGNALED);
    }

    @Test
    void shouldAcceptAudioThatKeepsPaceWithTheWallClockAfterABurst() {
        session.onText(OPEN_PCMU);
        for (int i = 0; i < 20; i++) {
            session.onBinary(new byte[SECOND]);       // a 20 s burst at the start, within grace and lead
        }
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofSeconds(1));     // the grace runs out: no more media for 10 s
        }
        for (int i = 0; i < 120; i++) {
            clock.advance(Duration.ofSeconds(1));
            session.onBinary(new byte[SECOND]);       // then real time, 10 s ahead
        }

        assertThat(listener.blocks).hasSize(140);
        assertThat(session.state()).isEqualTo(State.ACTIVE);
    }

    @Test
    void shouldDisconnectWithErrorWhenDiscardedRunsAheadOfTheWallClock() throws Exception {
        session.onText(OPEN_PCMU);
        session.onText(client("discarded", 2, 1, "PT0S", "{\"start\":\"PT0S\",\"discarded\":\"PT50S\"}"));

        assertDisconnectError(channel.replies().get(1), 2, 2, "media runs ahead of real time");
    }

    @Test
    void shouldCutAudioAndDisconnectCompletedAtTheMaximumCallDuration() throws Exception {
        IngestLimits twoSeconds = new IngestLimits(Duration.ofSeconds(2), IngestLimits.DEFAULT_MAX_GAP, true,
                IngestLimits.DEFAULT_MEDIA_AHEAD_GRACE, IngestLimits.DEFAULT_MAX_MEDIA_AHEAD, 200, 1000);
        AudioHookSession bounded = new AudioHookSession(ID, Limits.defaults(), twoSeconds, channel, listener, clock);
        bounded.onText(OPEN_PCMU);
        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofMillis(1500));
            bounded.onBinary(new byte[SECOND * 3 / 2]);
        }

        assertThat(listener.events).containsExactly(
                "open 090eaa2f-72fa-480a-83e0-8667ff89c0ec +1-555-555-1234 PCMU [external, internal] 8000",
                "audio 0 12000", "audio 12000 4000", "ended maximum call duration of 2 s reached");
        JsonNode disconnect = channel.replies().get(1);
        assertThat(disconnect.get("type").asText()).isEqualTo("disconnect");
        assertThat(disconnect.at("/parameters/reason").asText()).isEqualTo("completed");
        assertThat(disconnect.at("/parameters/info").asText()).isEqualTo("maximum call duration of 2 s reached");
        bounded.onText(client("close", 2, 2, "PT2S", "{\"reason\":\"end\"}"));
        assertThat(bounded.state()).isEqualTo(State.CLOSED);
        assertThat(listener.events).last().isEqualTo("closed end");
    }

    @Test
    void shouldEndTheCallAndDisconnectCompletedWhenTheServerEndsTheSessionThenAcceptTheClientsClose()
            throws Exception {
        session.onText(OPEN_PCMU);
        session.onBinary(new byte[SECOND]);
        session.endByServer("server shutting down");
        session.onBinary(new byte[SECOND]); // in flight before the client read the disconnect: dropped

        assertThat(listener.events).containsExactly(
                "open 090eaa2f-72fa-480a-83e0-8667ff89c0ec +1-555-555-1234 PCMU [external, internal] 8000",
                "audio 0 8000", "ended server shutting down");
        JsonNode disconnect = channel.replies().get(1);
        assertThat(disconnect.get("type").asText()).isEqualTo("disconnect");
        assertThat(disconnect.at("/parameters/reason").asText()).isEqualTo("completed");
        assertThat(disconnect.at("/parameters/info").asText()).isEqualTo("server shutting down");
        session.onText(client("close", 2, 2, "PT1S", "{\"reason\":\"disconnect\"}"));
        assertThat(session.state()).isEqualTo(State.CLOSED);
        assertThat(channel.replies()).last().satisfies(r -> assertThat(r.get("type").asText()).isEqualTo("closed"));
    }

    @Test
    void shouldOnlyDisconnectASessionThatHasNotOpenedWhenTheServerEndsIt() throws Exception {
        session.endByServer("server shutting down");

        assertThat(listener.events).isEmpty();
        assertThat(channel.replies()).singleElement()
                .satisfies(r -> assertThat(r.at("/parameters/reason").asText()).isEqualTo("completed"));
    }

    @Test
    void shouldDisconnectWithErrorWhenTheConnectionExceedsItsMessageRate() throws Exception {
        session.onText(OPEN_PCMU);
        session.rateExceeded("Message rate above 200 per second (burst 1000)");

        assertDisconnectError(channel.replies().get(1), 2, 1, "Message rate above 200 per second");
        assertThat(listener.events).last().isEqualTo("error -1 Message rate above 200 per second (burst 1000)");
    }

    // ---- helpers ---------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"PT9223372036854775807S", "PT1152921504606846S"})
    void shouldRejectAnOpenPositionBeyondAnyStreamAsAClientError(String position) throws Exception {
        session.onText(OPEN_PCMU.replace("\"position\":\"PT0S\"", "\"position\":\"" + position + "\""));

        assertThat(channel.replies()).hasSize(1);
        assertDisconnectError(channel.replies().get(0), 1, 1, "Invalid 'position'");
        assertThat(listener.events).noneMatch(e -> e.startsWith("open"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"discarded", "resumed"})
    void shouldRejectDiscardedAudioReachingBeyondAnyStreamAsAClientError(String type) throws Exception {
        session.onText(OPEN_PCMU);
        int seq = 2;
        if (type.equals("resumed")) {
            session.onText(client("paused", seq++, 1, "PT0S", "{}"));
        }
        session.onText(client(type, seq, 1, "PT0S",
                "{\"start\":\"PT9223372036854775807S\",\"discarded\":\"PT9223372036854775807S\"}"));
        session.onBinary(new byte[160]);

        assertThat(channel.replies()).hasSize(2);
        assertDisconnectError(channel.replies().get(1), 2, seq, "Invalid 'start'");
        assertThat(session.state()).isEqualTo(State.ERROR_SIGNALED);
        assertThat(listener.events).noneMatch(e -> e.startsWith("resumed") || e.startsWith("audio"));
    }

    private static String client(String type, long seq, long serverseq, String position, String parameters) {
        return "{\"version\":\"2\",\"type\":\"" + type + "\",\"seq\":" + seq + ",\"serverseq\":" + serverseq
                + ",\"id\":\"" + ID + "\",\"position\":\"" + position + "\",\"parameters\":" + parameters + "}";
    }

    private static String open(String media) {
        return client("open", 1, 0, "PT0S", "{\"organizationId\":\"d7934305-0972-4844-938e-9060eef73d05\","
                + "\"conversationId\":\"090eaa2f-72fa-480a-83e0-8667ff89c0ec\","
                + "\"participant\":{\"id\":\"883efee8-3d6c-4537-b500-6d7ca4b92fa0\",\"ani\":\"+1-555-555-1234\","
                + "\"aniName\":\"John Doe\",\"dnis\":\"+1-800-555-6789\"},\"media\":" + media + "}");
    }

    private static void assertDisconnectError(JsonNode reply, long seq, long clientseq, String infoPart) {
        assertThat(reply.get("version").asText()).isEqualTo("2");
        assertThat(reply.get("type").asText()).isEqualTo("disconnect");
        assertThat(reply.get("seq").asLong()).isEqualTo(seq);
        assertThat(reply.get("clientseq").asLong()).isEqualTo(clientseq);
        assertThat(reply.at("/parameters/reason").asText()).isEqualTo("error");
        assertThat(reply.at("/parameters/info").asText()).startsWith("Client Error: ").contains(infoPart);
    }

    private static byte[] interleaveUlaw(short[] external, short[] internal, int from, int count) {
        byte[] out = new byte[count * 2];
        for (int i = 0; i < count; i++) {
            out[2 * i] = G711.linearToUlaw(external[from + i]);
            out[2 * i + 1] = G711.linearToUlaw(internal[from + i]);
        }
        return out;
    }

    private static short roundTrip(int sample) {
        return G711.ulawToLinear(G711.linearToUlaw((short) sample));
    }

    private static final class FakeChannel implements AudioHookChannel {
        final List<String> texts = new ArrayList<>();
        final List<String> closes = new ArrayList<>();

        @Override
        public void sendText(String json) {
            texts.add(json);
        }

        @Override
        public void sendClose(int code, String reason) {
            closes.add(code + " " + reason);
        }

        List<JsonNode> replies() throws Exception {
            List<JsonNode> nodes = new ArrayList<>();
            for (String t : texts) {
                nodes.add(JSON.readTree(t));
            }
            return nodes;
        }
    }

    private static class RecordingListener implements AudioHookListener {
        final List<String> events = new ArrayList<>();
        final List<AudioBlock> blocks = new ArrayList<>();

        @Override
        public void onOpen(Open open, MediaFormat media) {
            events.add("open " + open.conversationId() + " " + open.participant().ani() + " " + media.format() + " "
                    + media.channels() + " " + media.rate());
        }

        @Override
        public void onAudio(AudioBlock block) {
            blocks.add(block);
            events.add("audio " + block.startSample() + " " + block.sampleCount());
        }

        @Override
        public void onPaused() {
            events.add("paused");
        }

        @Override
        public void onResumed(Duration discarded) {
            events.add("resumed " + discarded);
        }

        @Override
        public void onClosed(String reason) {
            events.add("closed " + reason);
        }

        @Override
        public void onError(int code, String message) {
            events.add("error " + code + " " + message);
        }

        @Override
        public void onEndedByServer(String reason) {
            events.add("ended " + reason);
        }
    }
}
