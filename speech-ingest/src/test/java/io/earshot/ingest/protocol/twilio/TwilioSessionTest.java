package io.earshot.ingest.protocol.twilio;

import io.earshot.ingest.protocol.CallRejectedException;
import io.earshot.ingest.protocol.IngestLimits;
import io.earshot.ingest.protocol.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.ingest.audio.G711;
import io.earshot.ingest.protocol.twilio.Messages.Connected;
import io.earshot.ingest.protocol.twilio.Messages.Dtmf;
import io.earshot.ingest.protocol.twilio.Messages.Mark;
import io.earshot.ingest.protocol.twilio.Messages.Media;
import io.earshot.ingest.protocol.twilio.Messages.MediaFormat;
import io.earshot.ingest.protocol.twilio.Messages.Start;
import io.earshot.ingest.protocol.twilio.Messages.Stop;
import io.earshot.ingest.protocol.twilio.Messages.Track;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Replays Twilio message sequences into a session with a fake channel, listener and clock. */
class TwilioSessionTest {

    private static final String STREAM = "MZ00000000000000000000000000000001";
    private static final String CALL = "CA00000000000000000000000000000001";
    private static final int CHUNK = 160; // 20 ms at 8 kHz

    private final TwilioCodec codec = new TwilioCodec();
    private final FakeChannel channel = new FakeChannel();
    private final RecordingListener listener = new RecordingListener();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private TwilioSession session = new TwilioSession(channel, listener, clock, TwilioSessionConfig.defaults());
    private long seq;
    private final long[] chunks = new long[2];

    // ---- start ----

    @Test
    void shouldReportStartWithCallSidStreamSidAndCustomParameters() {
        send(new Connected("Call", "1.0.0"));
        send(new Start(1, STREAM, "AC1", CALL, List.of(Track.INBOUND, Track.OUTBOUND),
                Map.of("queue", "billing", "agentId", "a-17"), MediaFormat.MULAW_8K_MONO));

        assertThat(listener.events).containsExactly("start " + CALL + " " + STREAM);
        assertThat(listener.customParameters).isEqualTo(Map.of("queue", "billing", "agentId", "a-17"));
        assertThat(session.state()).isEqualTo(TwilioSession.State.STREAMING);
        assertThat(channel.closes).isEmpty();
    }

    // ---- alignment ----

    @Test
    void shouldReleaseBothTracksInLockstepWithExactSamplesAndPositions() {
        start();
        short[] caller = tone(2 * CHUNK, 440, 8000);
        short[] agent = tone(2 * CHUNK, 1000, 3000);

        media(Track.INBOUND, 0, slice(caller, 0));
        assertThat(listener.blocks).as("inbound alone waits for outbound").isEmpty();
        media(Track.OUTBOUND, 0, slice(agent, 0));
        media(Track.INBOUND, 20, slice(caller, 1));
        media(Track.OUTBOUND, 20, slice(agent, 1));

        assertThat(listener.blocks).extracting(b -> b.position).containsExactly(0L, (long) CHUNK);
        assertThat(listener.blocks).allSatisfy(b -> assertThat(b.agent).hasSameSizeAs(b.customer));
        assertThat(listener.agentAudio()).containsExactly(decoded(agent));
        assertThat(listener.customerAudio()).containsExactly(decoded(caller));
        assertThat(channel.closes).isEmpty();
    }

    @Test
    void shouldFillMissingOutboundChunkWithSilenceAndStayAligned() {
        start();
        short[] caller = tone(3 * CHUNK, 440, 8000);
        short[] agent = tone(3 * CHUNK, 1000, 3000);

        media(Track.INBOUND, 0, slice(caller, 0));
        media(Track.OUTBOUND, 0, slice(agent, 0));
        media(Track.INBOUND, 20, slice(caller, 1));
        chunks[Track.OUTBOUND.ordinal()]++; // outbound chunk 2 (20..40 ms) is lost
        media(Track.INBOUND, 40, slice(caller, 2));
        media(Track.OUTBOUND, 40, slice(agent, 2));

        short[] expectedAgent = decoded(agent);
        Arrays.fill(expectedAgent, CHUNK, 2 * CHUNK, (short) 0);
        assertThat(listener.agentAudio()).containsExactly(expectedAgent);
        assertThat(listener.customerAudio()).containsExactly(decoded(caller));
        assertThat(listener.positionsAreContiguous()).isTrue();
    }

    @Test
    void shouldReleaseLeadingTrackWithSilenceWhenOtherLagsBeyondBound() {
        start();
        int n = 31; // 620 ms of inbound, no outbound at all
        short[] caller = tone(n * CHUNK, 300, 6000);
        for (int i = 0; i < n; i++) {
            media(Track.INBOUND, 20L * i, slice(caller, i));
        }

        int lagSamples = TwilioSessionConfig.DEFAULT_MAX_LAG_MS * 8;
        int released = n * CHUNK - lagSamples;
        assertThat(listener.customerAudio()).containsExactly(Arrays.copyOf(decoded(caller), released));
        assertThat(listener.agentAudio()).containsOnly((short) 0).hasSize(released);

        send(new Stop(++seq, STREAM, "AC1", CALL));
        assertThat(listener.customerAudio()).containsExactly(decoded(caller));
        assertThat(listener.agentAudio()).hasSize(n * CHUNK);
        assertThat(listener.positionsAreContiguous()).isTrue();
        assertThat(listener.events).endsWith("stop");
    }

    @Test
    void shouldDropLateSamplesOfLaggingTrackWithoutRevisingReleasedAudio() {
        start();
        int n = 31;
        short[] caller = tone(n * CHUNK, 300, 6000);
        for (int i = 0; i < n; i++) {
            media(Track.INBOUND, 20L * i, slice(caller, i));
        }
        int released = listener.customerAudio().length; // 120 ms, given up on outbound
        short[] agent = tone(2 * CHUNK, 1000, 3000);
        media(Track.OUTBOUND, 100, slice(agent, 0)); // 100..120 ms: already released, dropped
        media(Track.OUTBOUND, 120, slice(agent, 1)); // 120..140 ms: still buffered, kept
        send(new Stop(++seq, STREAM, "AC1", CALL));

        short[] expectedAgent = new short[n * CHUNK];
        System.arraycopy(decoded(agent), CHUNK, expectedAgent, released, CHUNK);
        assertThat(released).isEqualTo(960);
        assertThat(listener.agentAudio()).containsExactly(expectedAgent);
        assertThat(listener.customerAudio()).containsExactly(decoded(caller));
        assertThat(listener.positionsAreContiguous()).isTrue();
    }

    @Test
    void shouldDeliverBufferedAudioAndReportErrorWhenSocketClosesBeforeStop() {
        start();
        short[] caller = tone(CHUNK, 440, 8000);
        media(Track.INBOUND, 0, caller);
        session.onTransportClosed(1006, "abnormal");

        assertThat(listener.customerAudio()).containsExactly(decoded(caller));
        assertThat(listener.events).last().isEqualTo("error socket closed before stop: 1006 abnormal");
        assertThat(session.state()).isEqualTo(TwilioSession.State.CLOSED);
    }

    @Test
    void shouldReleaseHeldAudioWithSilenceOnceWallClockBoundPasses() {
        start();
        short[] caller = tone(CHUNK, 440, 8000);
        media(Track.INBOUND, 0, caller);

        clock.advanceMillis(TwilioSessionConfig.DEFAULT_MAX_LAG_MS - 1);
        session.poll();
        assertThat(listener.blocks).isEmpty();

        clock.advanceMillis(1);
        session.poll();
        assertThat(listener.customerAudio()).containsExactly(decoded(caller));
        assertThat(listener.agentAudio()).containsOnly((short) 0).hasSize(CHUNK);
    }

    @Test
    void shouldMapInboundToAgentWhenConfigured() {
        session = new TwilioSession(channel, listener, clock,
                new TwilioSessionConfig(Track.INBOUND, 500, 10_000, 65_536));
        start();
        short[] in = tone(CHUNK, 440, 8000);
        short[] out = tone(CHUNK, 1000, 3000);
        media(Track.INBOUND, 0, in);
        media(Track.OUTBOUND, 0, out);

        assertThat(listener.agentAudio()).containsExactly(decoded(in));
        assertThat(listener.customerAudio()).containsExactly(decoded(out));
    }

    @Test
    void shouldTreatMillisecondJitterInTimestampsAsContiguous() {
        start();
        short[] caller = tone(2 * CHUNK, 440, 8000);
        short[] agent = tone(2 * CHUNK, 1000, 3000);
        media(Track.INBOUND, 0, slice(caller, 0));
        media(Track.OUTBOUND, 1, slice(agent, 0));
        media(Track.INBOUND, 21, slice(caller, 1));
        media(Track.OUTBOUND, 19, slice(agent, 1));

        send(new Stop(++seq, STREAM, "AC1", CALL));

        // outbound's first timestamp puts it 1 ms (8 samples) late; later chunks are off by a
        // millisecond either way and are appended where the track ended, so nothing is lost or doubled
        short[] expectedCustomer = Arrays.copyOf(decoded(caller), 2 * CHUNK + 8);
        short[] expectedAgent = new short[2 * CHUNK + 8];
        System.arraycopy(decoded(agent), 0, expectedAgent, 8, 2 * CHUNK);
        assertThat(listener.customerAudio()).containsExactly(expectedCustomer);
        assertThat(listener.agentAudio()).containsExactly(expectedAgent);
        assertThat(listener.positionsAreContiguous()).isTrue();
    }

    // ---- events ----

    @Test
    void shouldDeliverMarkAndDtmf() {
        start();
        send(new Mark(++seq, STREAM, "prompt-end"));
        send(new Dtmf(++seq, STREAM, "inbound_track", "5"));

        assertThat(listener.events).containsExactly("start " + CALL + " " + STREAM, "mark prompt-end", "dtmf 5");
        assertThat(channel.closes).isEmpty();
    }

    @Test
    void shouldFlushAndReportStopThenCloseOnLaterMessages() {
        start();
        short[] caller = tone(CHUNK, 440, 8000);
        media(Track.INBOUND, 0, caller);
        send(new Stop(++seq, STREAM, "AC1", CALL));

        assertThat(listener.customerAudio()).containsExactly(decoded(caller));
        assertThat(listener.events).last().isEqualTo("stop");
        assertThat(session.state()).isEqualTo(TwilioSession.State.STOPPED);

        media(Track.INBOUND, 20, caller);
        send(new Mark(++seq, STREAM, "late"));
        assertThat(listener.events).last().isEqualTo("stop");
        assertThat(listener.customerAudio()).hasSize(CHUNK);
        assertThat(channel.closes).containsExactly("1002 bad request");
    }

    // ---- violations ----

    @Test
    void shouldCloseWith1002OnOutOfOrderSequenceNumber() {
        start();
        send(new Mark(seq + 2, STREAM, "skipped-one"));

        assertClosed(1002, "mark has sequenceNumber 3, expected 2");
        assertThat(listener.events).containsExactly("start " + CALL + " " + STREAM,
                "error mark has sequenceNumber 3, expected 2");
        assertClosedForGood();
    }

    @Test
    void shouldCloseWhenMediaArrivesBeforeStart() {
        send(new Connected("Call", "1.0.0"));
        send(new Media(1, STREAM, Track.INBOUND, 1, 0, ulaw(tone(CHUNK, 440, 8000))));

        assertClosed(1002, "media before start");
        assertThat(listener.blocks).isEmpty();
        assertThat(session.state()).isEqualTo(TwilioSession.State.CLOSED);
    }

    @Test
    void shouldCloseWhenFirstMessageIsNotConnected() {
        send(new Start(1, STREAM, "AC1", CALL, List.of(Track.INBOUND), Map.of(), MediaFormat.MULAW_8K_MONO));

        assertClosedStartingWith(1002, "unexpected start");
        assertThat(listener.events).noneMatch(e -> e.startsWith("start"));
    }

    @Test
    void shouldCloseWhenStreamSidDiffers() {
        start();
        send(new Dtmf(++seq, "MZ-someone-else", "inbound_track", "1"));

        assertClosedStartingWith(1002, "dtmf for streamSid MZ-someone-else");
        assertThat(listener.events).noneMatch(e -> e.startsWith("dtmf"));
        assertClosedForGood();
    }

    @Test
    void shouldCloseOnUnknownEvent() {
        start();
        session.onText("{\"event\":\"transcript\",\"sequenceNumber\":\"2\",\"streamSid\":\"" + STREAM + "\"}");

        assertClosed(1002, "unknown event 'transcript'");
        assertClosedForGood();
    }

    @Test
    void shouldCloseWith1003OnBadBase64() {
        start();
        send(new Media(++seq, STREAM, Track.INBOUND, 1, 0, "not*base64!"));

        assertClosed(1003, "inbound chunk 1: payload is not base64");
        assertThat(listener.blocks).isEmpty();
        assertClosedForGood();
    }

    @Test
    void shouldCloseWith1003OnNonMulawFormat() {
        send(new Connected("Call", "1.0.0"));
        send(new Start(1, STREAM, "AC1", CALL, List.of(Track.INBOUND),
                Map.of(), new MediaFormat("audio/l16", 16000, 1)));

        assertClosedStartingWith(1003, "unsupported mediaFormat");
        assertThat(listener.events).noneMatch(e -> e.startsWith("start"));
    }

    @Test
    void shouldCloseWith1009OnOversizedMessage() {
        start();
        String big = ulaw(new short[60_000]); // 80 000 base64 characters
        send(new Media(++seq, STREAM, Track.INBOUND, 1, 0, big));

        assertClosedStartingWith(1009, "message of ");
        assertThat(listener.blocks).isEmpty();
        assertClosedForGood();
    }

    @Test
    void shouldCloseWhenChunkNumberDoesNotIncrease() {
        start();
        short[] tone = tone(CHUNK, 440, 8000);
        send(new Media(++seq, STREAM, Track.INBOUND, 5, 0, ulaw(tone)));
        send(new Media(++seq, STREAM, Track.INBOUND, 5, 20, ulaw(tone)));

        assertClosed(1002, "inbound chunk 5 does not follow chunk 5");
    }

    @Test
    void shouldCloseWhenMediaUsesTrackNotAnnouncedInStart() {
        send(new Connected("Call", "1.0.0"));
        send(new Start(++seq, STREAM, "AC1", CALL, List.of(Track.INBOUND), Map.of(), MediaFormat.MULAW_8K_MONO));
        media(Track.OUTBOUND, 0, tone(CHUNK, 440, 8000));

        assertClosed(1002, "media on track outbound not announced in start");
    }

    @Test
    void shouldCloseWhenTimestampJumpsBeyondGapBound() {
        start();
        media(Track.INBOUND, TwilioSessionConfig.DEFAULT_MAX_GAP_MS + 1, tone(CHUNK, 440, 8000));

        assertClosedStartingWith(1002, "chunk at 10001 ms");
        assertThat(listener.blocks).isEmpty();
    }

    @Test
    void shouldCloseWith1011InsteadOfThrowingWhenListenerFails() {
        TwilioListener failing = new RecordingListener() {
            @Override
            public void onMark(String name) {
                throw new IllegalStateException("listener broke");
            }
        };
        session = new TwilioSession(channel, failing, clock, TwilioSessionConfig.defaults());
        start();
        send(new Mark(++seq, STREAM, "boom"));

        assertThat(channel.closes).containsExactly("1011 internal error");
        assertThat(session.state()).isEqualTo(TwilioSession.State.CLOSED);
    }

    @Test
    void shouldCloseWithPolicyViolationAndAGenericReasonWhenTheListenerRejectsTheCall() {
        TwilioListener rejecting = new RecordingListener() {
            @Override
            public void onStart(String callSid, String streamSid, java.util.Map<String, String> customParameters) {
                throw new CallRejectedException("unknown agent 'a-9'");
            }
        };
        session = new TwilioSession(channel, rejecting, clock, TwilioSessionConfig.defaults());
        start();

        assertThat(channel.closes).containsExactly("1008 call refused");
        assertThat(session.state()).isEqualTo(TwilioSession.State.CLOSED);
    }

    // ---- media bounds ----

    @Test
    void shouldCloseWithPolicyViolationWhenTimestampsFastForwardAheadOfTheWallClock() {
        start();
        // each 5 s jump stays under the gap bound, but media races ahead of the wall clock
        for (int i = 0; i < 10 && session.state() == TwilioSession.State.STREAMING; i++) {
            media(Track.INBOUND, 5_000L * i, tone(CHUNK, 440, 8000));
        }

        assertThat(channel.closes).hasSize(1);
        // the caller is told the generic reason, the listener (and the log) the detail
        assertThat(channel.closes).containsExactly("1008 call refused");
        assertThat(listener.events).last().asString().startsWith("error media runs ahead of real time");
        assertThat(session.state()).isEqualTo(TwilioSession.State.CLOSED);
        // nothing past the wall-clock bound was buffered or delivered
        assertThat(listener.customerAudio().length).isLessThanOrEqualTo(20 * 8000);
    }

    @Test
    void shouldStreamAMinuteThatKeepsPaceWithTheWallClock() {
        start();
        for (int i = 0; i < 3000; i++) {
            media(Track.INBOUND, 20L * i, tone(CHUNK, 440, 8000));
            media(Track.OUTBOUND, 20L * i, tone(CHUNK, 1000, 3000));
            clock.advanceMillis(20);
        }

        assertThat(channel.closes).isEmpty();
        assertThat(listener.agentAudio()).hasSize(3000 * CHUNK);
    }

    @Test
    void shouldDeliverWhatIsBufferedEndTheCallAndCloseGoingAwayWhenTheServerEndsTheStream() {
        start();
        for (int i = 0; i < 10; i++) {
            media(Track.INBOUND, 20L * i, tone(CHUNK, 440, 8000));
            media(Track.OUTBOUND, 20L * i, tone(CHUNK, 1000, 3000));
        }
        media(Track.INBOUND, 200, tone(CHUNK, 440, 8000)); // one track ahead: buffered until ended

        session.endByServer("server shutting down");

        assertThat(channel.closes).containsExactly("1001 going away");
        assertThat(listener.events).last().isEqualTo("ended server shutting down");
        assertThat(listener.agentAudio()).hasSameSizeAs(listener.customerAudio()).hasSize(11 * CHUNK);
        assertThat(session.state()).isEqualTo(TwilioSession.State.CLOSED);
        int events = listener.events.size();
        session.endByServer("again");
        session.onTransportClosed(1001, "going away");
        assertThat(listener.events).hasSize(events);
        assertThat(channel.closes).hasSize(1);
    }

    @Test
    void shouldDeliverUpToTheMaximumCallDurationAndCloseNormally() {
        IngestLimits oneSecond = new IngestLimits(Duration.ofSeconds(1), IngestLimits.DEFAULT_MAX_GAP, true,
                IngestLimits.DEFAULT_MEDIA_AHEAD_GRACE, IngestLimits.DEFAULT_MAX_MEDIA_AHEAD, 200, 1000);
        session = new TwilioSession(channel, listener, clock, TwilioSessionConfig.defaults(), oneSecond);
        start();
        for (int i = 0; i < 60 && session.state() == TwilioSession.State.STREAMING; i++) {
            media(Track.INBOUND, 20L * i, tone(CHUNK, 440, 8000));
            media(Track.OUTBOUND, 20L * i, tone(CHUNK, 1000, 3000));
            clock.advanceMillis(20);
        }

        assertThat(channel.closes).containsExactly("1000 maximum call duration of 1 s reached");
        assertThat(listener.events).last().isEqualTo("ended maximum call duration of 1 s reached");
        assertThat(listener.agentAudio()).hasSize(8000);
        assertThat(listener.customerAudio()).hasSize(8000);
        assertThat(listener.positionsAreContiguous()).isTrue();
        assertThat(session.state()).isEqualTo(TwilioSession.State.CLOSED);
        int events = listener.events.size();
        media(Track.INBOUND, 1200, tone(CHUNK, 440, 8000));
        assertThat(listener.events).hasSize(events);
        assertThat(listener.agentAudio()).hasSize(8000);
    }

    @Test
    void shouldCloseWithPolicyViolationWhenTheConnectionExceedsItsMessageRate() {
        start();
        session.rateExceeded("message rate above 200 per second (burst 1000)");

        assertThat(channel.closes).containsExactly("1008 call refused");
        assertThat(listener.events).last().isEqualTo("error message rate above 200 per second (burst 1000)");
    }

    @Test
    void shouldRefuseAStartOfAnotherAccountThanTheOneThatSignedTheUpgrade() {
        session = new TwilioSession(channel, listener, clock, TwilioSessionConfig.defaults(), "AC2");
        start();

        assertThat(channel.closes).containsExactly("1008 call refused");
        assertThat(listener.events).singleElement().asString().startsWith("error start for account \"AC1\"");
    }

    @Test
    void shouldNotEchoCallerTextOrExceptionTextInCloseReasons() {
        start();
        session.onText("{\"event\":\"secret-probe\\r\\nFAKE\",\"sequenceNumber\":\"2\",\"streamSid\":\"" + STREAM + "\"}");

        assertThat(channel.closes).containsExactly("1002 bad request");
        assertThat(listener.events).last().asString().contains("secret-probe");
    }

    // ---- helpers ----

    /** The caller got the code and its fixed reason; the listener got the detail. */
    private void assertClosed(int code, String detail) {
        assertThat(channel.closes).containsExactly(code + " " + TwilioSession.publicReason(code));
        assertThat(listener.events).last().isEqualTo("error " + detail);
    }

    private void assertClosedStartingWith(int code, String detail) {
        assertThat(channel.closes).containsExactly(code + " " + TwilioSession.publicReason(code));
        assertThat(listener.events).last().asString().startsWith("error " + detail);
    }

    private void assertClosedForGood() {
        int events = listener.events.size();
        int closes = channel.closes.size();
        media(Track.INBOUND, 0, tone(CHUNK, 440, 8000));
        send(new Mark(++seq, STREAM, "after-close"));
        assertThat(session.state()).isEqualTo(TwilioSession.State.CLOSED);
        assertThat(listener.events).hasSize(events);
        assertThat(channel.closes).hasSize(closes);
        assertThat(listener.blocks).isEmpty();
    }

    private void start() {
        send(new Connected("Call", "1.0.0"));
        send(new Start(++seq, STREAM, "AC1", CALL, List.of(Track.INBOUND, Track.OUTBOUND), Map.of(),
                MediaFormat.MULAW_8K_MONO));
    }

    private void media(Track track, long timestampMs, short[] samples) {
        long chunk = ++chunks[track.ordinal()];
        send(new Media(++seq, STREAM, track, chunk, timestampMs, ulaw(samples)));
    }

    private void send(Messages message) {
        session.onText(codec.encode(message));
    }

    private static short[] tone(int length, double hz, double amplitude) {
        short[] s = new short[length];
        for (int i = 0; i < length; i++) {
            s[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * hz * i / 8000));
        }
        return s;
    }

    private static short[] slice(short[] samples, int chunkIndex) {
        return Arrays.copyOfRange(samples, chunkIndex * CHUNK, (chunkIndex + 1) * CHUNK);
    }

    private static String ulaw(short[] samples) {
        byte[] codes = new byte[samples.length];
        for (int i = 0; i < samples.length; i++) {
            codes[i] = G711.linearToUlaw(samples[i]);
        }
        return Base64.getEncoder().encodeToString(codes);
    }

    /** What a mu-law round trip makes of the samples: the exact values the session must deliver. */
    private static short[] decoded(short[] samples) {
        short[] out = new short[samples.length];
        for (int i = 0; i < samples.length; i++) {
            out[i] = G711.ulawToLinear(G711.linearToUlaw(samples[i]));
        }
        return out;
    }

    private static final class FakeChannel implements TwilioChannel {
        final List<String> sent = new ArrayList<>();
        final List<String> closes = new ArrayList<>();

        @Override
        public void sendText(String text) {
            sent.add(text);
        }

        @Override
        public void close(int code, String reason) {
            closes.add(code + " " + reason);
        }
    }

    private static class RecordingListener implements TwilioListener {
        record Block(short[] agent, short[] customer, long position) {
        }

        final List<String> events = new ArrayList<>();
        final List<Block> blocks = new ArrayList<>();
        Map<String, String> customParameters;

        @Override
        public void onStart(String callSid, String streamSid, Map<String, String> parameters) {
            events.add("start " + callSid + " " + streamSid);
            customParameters = parameters;
        }

        @Override
        public void onAudio(short[] agent, short[] customer, long positionSamples) {
            blocks.add(new Block(agent.clone(), customer.clone(), positionSamples));
        }

        @Override
        public void onMark(String name) {
            events.add("mark " + name);
        }

        @Override
        public void onDtmf(String digit) {
            events.add("dtmf " + digit);
        }

        @Override
        public void onStop() {
            events.add("stop");
        }

        @Override
        public void onError(String reason) {
            events.add("error " + reason);
        }

        @Override
        public void onEndedByServer(String reason) {
            events.add("ended " + reason);
        }

        short[] agentAudio() {
            return concat(true);
        }

        short[] customerAudio() {
            return concat(false);
        }

        boolean positionsAreContiguous() {
            long next = 0;
            for (Block b : blocks) {
                if (b.position != next || b.agent.length != b.customer.length) {
                    return false;
                }
                next += b.agent.length;
            }
            return true;
        }

        private short[] concat(boolean agent) {
            short[] out = new short[0];
            for (Block b : blocks) {
                short[] part = agent ? b.agent : b.customer;
                int at = out.length;
                out = Arrays.copyOf(out, at + part.length);
                System.arraycopy(part, 0, out, at, part.length);
            }
            return out;
        }
    }
}
