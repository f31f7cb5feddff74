package io.earshot.pipeline.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.ingest.dsp.VadConfig;
import io.earshot.ingest.emit.EventSink;
import io.earshot.ingest.protocol.IngestServer;
import io.earshot.ingest.protocol.TestSocket;
import io.earshot.ingest.protocol.twilio.Messages.Track;
import io.earshot.ingest.protocol.twilio.TwilioAuth;
import io.earshot.pipeline.simulate.SimulatedCall;
import io.earshot.pipeline.simulate.TwilioFrames;
import io.earshot.schemas.CallEnded;
import io.earshot.schemas.CallStarted;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Who a Twilio call is attributed to, over a real socket on the ingest server with a roster:
 * the roster decides team and queue, an agent it does not have is refused with a reason that
 * names nothing, a call id that is live or has ended cannot be taken over, and the ids the
 * caller chose reach the log escaped. Events go to an in-memory sink: what is not published
 * there never reaches the floor or the store.
 */
class IngestIdentityIT {

    private static final String AUTH_TOKEN = "identity-it-auth-token";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final SimulatedCall.Recording AUDIO = new SimulatedCall.Recording("tone", new short[1600],
            new short[1600]);

    private final List<Published> published = new CopyOnWriteArrayList<>();
    private CallRegistry calls;
    private IngestService ingest;
    private URI uri;

    private record Published(String callId, SpecificRecord event) {
    }

    @BeforeEach
    void start() throws Exception {
        EventSink sink = (callId, eventTimeMs, event) -> published.add(new Published(callId, event));
        AgentDirectory roster = new AgentDirectory(
                Map.of("agent-7", new AgentDirectory.Agent("agent-7", "billing", "billing-en")), null);
        calls = new CallRegistry(VadConfig.DEFAULTS, null, sink, roster, Clock.systemUTC());
        ingest = IngestService.start(new IngestService.Settings(new IngestServer.Config("127.0.0.1", 0), null,
                TwilioAuth.signature(Map.of(TwilioAuth.ANY_ACCOUNT, AUTH_TOKEN), null), Track.OUTBOUND), calls);
        uri = ingest.twilioUri();
    }

    @AfterEach
    void stop() {
        ingest.close();
    }

    @Test
    void shouldTakeTeamAndQueueFromTheRosterAndIgnoreTheCallers() throws Exception {
        Stream call = new Stream(new SimulatedCall("id-1", "agent-7", "sales", "vip-queue", AUDIO));
        call.startAndStream();
        call.stop();
        awaitEnded("id-1");

        CallStarted started = startedOf("id-1");
        assertThat(started.getAgentId().toString()).isEqualTo("agent-7");
        assertThat(started.getTeam().toString()).isEqualTo("billing");
        assertThat(started.getQueue().toString()).isEqualTo("billing-en");
    }

    @Test
    void shouldRefuseAnAgentNotOnTheRosterWithAGenericReasonAndPublishNothingForIt() throws Exception {
        Stream call = new Stream(new SimulatedCall("id-2", "agent-99", "billing", "billing-en", AUDIO));
        call.start();

        assertThat(call.socket.awaitServerClose()).isEqualTo(1008);
        assertThat(call.socket.serverCloseReason()).isEqualTo("call refused");
        assertThat(calls.refusedCalls()).isEqualTo(1);
        assertThat(published).noneMatch(p -> p.callId().equals("id-2"));
    }

    @Test
    void shouldRefuseACallIdThatIsLiveWhileTheLiveCallCarriesOn() throws Exception {
        Stream owner = new Stream(new SimulatedCall("id-3", "agent-7", "t", "q", AUDIO));
        owner.startAndStream();
        awaitStarted("id-3");

        Stream intruder = new Stream(new SimulatedCall("id-3", "agent-7", "t", "q", AUDIO));
        intruder.start();
        assertThat(intruder.socket.awaitServerClose()).isEqualTo(1008);
        assertThat(intruder.socket.serverCloseReason()).isEqualTo("call refused");

        owner.stream(); // the owner's socket is still open and streaming
        owner.stop();
        CallEnded ended = awaitEnded("id-3");
        assertThat(ended.getReason().toString()).isEqualTo("stop");
        assertThat(published.stream().filter(p -> p.callId().equals("id-3") && p.event() instanceof CallStarted))
                .hasSize(1);
    }

    @Test
    void shouldRefuseTheIdOfACallThatHasEnded() throws Exception {
        Stream first = new Stream(new SimulatedCall("id-4", "agent-7", "t", "q", AUDIO));
        first.startAndStream();
        first.stop();
        awaitEnded("id-4");
        int events = published.size();

        Stream again = new Stream(new SimulatedCall("id-4", "agent-7", "t", "q", AUDIO));
        again.start();

        assertThat(again.socket.awaitServerClose()).isEqualTo(1008);
        assertThat(again.socket.serverCloseReason()).isEqualTo("call refused");
        assertThat(published).hasSize(events);
    }

    @Test
    void shouldEscapeCallerChosenIdsInTheLog() throws Exception {
        String forged = "id-5\r\nINFO io.earshot.pipeline.live.CallRegistry - call \"x\" started: agent \"boss\"";
        try (LogCapture log = new LogCapture()) {
            Stream call = new Stream(new SimulatedCall(forged, "agent-7", "t", "q", AUDIO));
            call.startAndStream();
            call.stop();
            awaitEnded(forged);
            Stream refused = new Stream(new SimulatedCall("id-6", "agent-\u001b[31m99\n", "t", "q", AUDIO));
            refused.start();
            refused.socket.awaitServerClose();
            awaitLogged(log, "unknown agent");

            String text = log.text();
            assertThat(text).contains("call \"id-5\\r\\nINFO io.earshot.pipeline.live.CallRegistry - call \\\"x\\\"");
            assertThat(text.lines()).noneMatch(line -> line.startsWith("INFO io.earshot.pipeline.live.CallRegistry - call \"x\""));
            assertThat(text).contains("agent-\\u001b[31m99").doesNotContain("\u001b");
        }
    }

    // ---- helpers ----

    /** One scripted Twilio stream on its own signed socket. */
    private final class Stream {
        final SimulatedCall call;
        final TwilioFrames frames;
        final TestSocket socket;

        Stream(SimulatedCall call) {
            this.call = call;
            this.frames = new TwilioFrames(call.callId());
            this.socket = TestSocket.connect(HTTP, uri,
                    Map.of(TwilioAuth.SIGNATURE_HEADER, TwilioAuth.sign(AUTH_TOKEN, uri.toString()))).join();
        }

        void start() {
            socket.sendText(frames.connected());
            socket.sendText(frames.start(call));
        }

        void startAndStream() {
            start();
            stream();
        }

        void stream() {
            for (int at = 0; at < 800; at += 160) {
                for (String m : frames.media(AUDIO.customer(), AUDIO.agent(), at, at + 160)) {
                    socket.sendText(m);
                }
            }
        }

        void stop() {
            socket.sendText(frames.stop());
        }
    }

    private CallStarted startedOf(String callId) {
        return published.stream().filter(p -> p.callId().equals(callId) && p.event() instanceof CallStarted)
                .map(p -> (CallStarted) p.event()).findFirst().orElseThrow();
    }

    private void awaitStarted(String callId) throws InterruptedException {
        await("CallStarted of " + callId, () -> published.stream()
                .anyMatch(p -> p.callId().equals(callId) && p.event() instanceof CallStarted));
    }

    private CallEnded awaitEnded(String callId) throws InterruptedException {
        await("CallEnded of " + callId, () -> published.stream()
                .anyMatch(p -> p.callId().equals(callId) && p.event() instanceof CallEnded));
        return published.stream().filter(p -> p.callId().equals(callId) && p.event() instanceof CallEnded)
                .map(p -> (CallEnded) p.event()).findFirst().orElseThrow();
    }

    private static void awaitLogged(LogCapture log, String text) throws InterruptedException {
        await("a log line with " + text, () -> log.text().contains(text));
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within 20 s");
            }
            Thread.sleep(10);
        }
    }
}
