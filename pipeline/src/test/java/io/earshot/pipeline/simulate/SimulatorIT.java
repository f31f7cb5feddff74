package io.earshot.pipeline.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.ingest.audio.AgentChannel;
import io.earshot.ingest.protocol.IngestLimits;
import io.earshot.ingest.protocol.IngestServer;
import io.earshot.ingest.protocol.audiohook.AudioBlock;
import io.earshot.ingest.protocol.audiohook.AudioHookAuth;
import io.earshot.ingest.protocol.audiohook.AudioHookEndpoint;
import io.earshot.ingest.protocol.audiohook.AudioHookListener;
import io.earshot.ingest.protocol.audiohook.Messages;
import io.earshot.ingest.protocol.twilio.TwilioAuth;
import io.earshot.ingest.protocol.twilio.TwilioEndpoint;
import io.earshot.ingest.protocol.twilio.TwilioListener;
import io.earshot.pipeline.cli.EarshotCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The simulator against a real {@link IngestServer} on an ephemeral port, with AudioHook
 * authentication (key and secret) and Twilio: three fixture calls at once over each protocol,
 * unpaced, must arrive sample for sample on the right side (agent vs customer), carry their
 * metadata and close cleanly; a wrong client secret must show up as a refused (401) call and, on
 * the command line, as exit code 2.
 */
class SimulatorIT {

    private static final String API_KEY = "sim-it-key";
    private static final String SECRET = Base64.getEncoder().encodeToString("sim-it-client-secret-42".getBytes());
    private static final String TWILIO_AUTH_TOKEN = "sim-it-twilio-auth-token";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final Map<String, ReceivedCall> received = new ConcurrentHashMap<>();
    /** When positive, the server's listeners throw on that audio block, as a broken pipeline would. */
    private volatile int failAudioAfterBlocks;
    /** When set, the server's Twilio listener throws on the stream's stop. */
    private volatile boolean failOnStop;
    private final HttpClient http = HttpClient.newHttpClient();
    private IngestServer server;
    private List<String> specs;
    private List<SimulatedCall.Recording> recordings;

    @BeforeEach
    void start() throws Exception {
        AudioHookAuth auth = new AudioHookAuth(AudioHookAuth.Config.of(Map.of(API_KEY, SECRET)), Clock.systemUTC());
        // the simulator streams faster than real time here on purpose
        server = new IngestServer(new IngestServer.Config("127.0.0.1", 0, IngestLimits.forTrustedReplay()),
                AudioHookEndpoint.Settings.of(auth, (sessionId, remote) -> new AudioHookRecorder()),
                TwilioEndpoint.Settings.of(TwilioAuth.signature(Map.of(TwilioAuth.ANY_ACCOUNT, TWILIO_AUTH_TOKEN), null),
                        remote -> new TwilioRecorder())).start();
        Path fixtures = Path.of(System.getProperty("earshot.fixtures"));
        // the three shapes of input: stereo mu-law, an agent/customer pair, stereo PCM16
        Path pair = fixtures.resolve("call03-password-reset");
        specs = List.of(
                fixtures.resolve("call01-billing/call.wav").toString(),
                pair.resolve("agent.wav") + "," + pair.resolve("customer.wav"),
                fixtures.resolve("call04-car-service/call.wav").toString());
        recordings = new ArrayList<>();
        for (String spec : specs) {
            recordings.add(SimulatedCall.Recording.load(spec, AgentChannel.LEFT));
        }
        assertThat(recordings).allSatisfy(r -> assertThat(r.samples()).isGreaterThan(8000));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void shouldDeliverEverySampleOfThreeConcurrentAudioHookCallsAndCloseThemCleanly() throws Exception {
        AudioHookClient client = new AudioHookClient(AudioHookClient.Config.of(
                server.uri(IngestServer.AUDIOHOOK_PATH), API_KEY, SECRET, 0), http, Clock.systemUTC());
        List<String> framesSeen = Collections.synchronizedList(new ArrayList<>());

        SimulationReport report = new Simulator(client, (callId, ms, wall) -> framesSeen.add(callId + "@" + ms))
                .run(recordings, 3, CallMetadata.DEFAULTS, Duration.ZERO);

        assertThat(report.failed()).as(report.calls().toString()).isZero();
        assertThat(report.ok()).isEqualTo(3);
        assertThat(report.openedLatencyNanos(100)).isPositive();
        for (CallResult c : report.calls()) {
            assertThat(c.openedLatencyNanos()).isPositive();
            assertThat(c.closeCode()).isEqualTo(1000);
        }
        assertDeliveredExactly(report, "closed end");
        // one frame-sent callback per 100 ms frame, in media order
        SimulatedCall.Recording first = recordings.get(0);
        long frames = (first.samples() + 799) / 800;
        assertThat(framesSeen).filteredOn(f -> f.startsWith("call-1@")).hasSize((int) frames)
                .startsWith("call-1@0", "call-1@100", "call-1@200");
        assertThat(report.calls().get(0).framesSent()).isEqualTo(frames);
    }

    @Test
    void shouldDeliverEverySampleOfThreeConcurrentTwilioCallsAndCloseThemCleanly() throws Exception {
        TwilioClient client = new TwilioClient(TwilioClient.Config.of(server.uri(IngestServer.TWILIO_PATH), 0)
                .withAuthToken(TWILIO_AUTH_TOKEN),
                http, Clock.systemUTC());

        SimulationReport report = new Simulator(client, FrameListener.NONE)
                .run(recordings, 3, CallMetadata.DEFAULTS, Duration.ofMillis(5));

        assertThat(report.failed()).as(report.calls().toString()).isZero();
        assertThat(report.calls()).allSatisfy(c -> assertThat(c.closeCode()).isEqualTo(1000));
        assertThat(report.calls().get(1).framesSent())
                .isEqualTo((recordings.get(1).samples() + 159) / 160);
        assertDeliveredExactly(report, "stop");
    }

    @Test
    void shouldAnswerPingsEveryFrameAndStillDeliverEverySample() throws Exception {
        AudioHookClient client = new AudioHookClient(new AudioHookClient.Config(
                server.uri(IngestServer.AUDIOHOOK_PATH), API_KEY, SECRET, AudioHookClient.DEFAULT_ORGANIZATION_ID,
                AudioHookClient.DEFAULT_FRAME_MS, 0, Duration.ZERO, AudioHookClient.DEFAULT_TIMEOUT),
                http, Clock.systemUTC());

        SimulationReport report = new Simulator(client, FrameListener.NONE)
                .run(recordings, 3, CallMetadata.DEFAULTS, Duration.ZERO);

        assertThat(report.failed()).as(report.calls().toString()).isZero();
        assertDeliveredExactly(report, "closed end");
    }

    @Test
    void shouldReportTheServersDisconnectReasonWhenTheServerFailsMidCall() throws Exception {
        failAudioAfterBlocks = 3;
        // paced (4x), so the disconnect arrives long before the client would have sent all audio
        // and closed with "end" on its own: as fast as possible, the two race
        AudioHookClient client = new AudioHookClient(AudioHookClient.Config.of(
                server.uri(IngestServer.AUDIOHOOK_PATH), API_KEY, SECRET, 4), http, Clock.systemUTC());

        SimulationReport report = new Simulator(client, FrameListener.NONE)
                .run(recordings.subList(0, 1), 1, CallMetadata.DEFAULTS, Duration.ZERO);

        CallResult call = report.calls().get(0);
        assertThat(call.closedCleanly()).isFalse();
        assertThat(call.failure()).isEqualTo("server disconnected: error (Server error)");
        assertThat(call.serverErrors()).containsExactly(call.failure());
        // the client ran the close transaction as Genesys does after a disconnect
        ReceivedCall server = received.get(call.callId());
        assertThat(server.ended.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(server.events).containsExactly("closed disconnect");
    }

    @Test
    void shouldReportTheTwilioServersErrorCloseWhenItFailsMidCall() throws Exception {
        failAudioAfterBlocks = 3;
        // paced, as in the AudioHook case: as fast as possible, the client could send stop first
        CallResult call = twilioCall(4);
        assertThat(call.closedCleanly()).isFalse();
        // The server closes with 1011 while the client may still be writing media: Twilio's
        // protocol has no message before the close, and a write that meets the closed connection
        // (broken pipe) can end the socket before the client has read the close frame, about one
        // stream in twenty on a loaded machine. The client then reports the dropped connection.
        assertThat(call.closeCode()).as(call.failure()).isIn(1011, 1006);
        assertThat(call.failure()).startsWith(call.closeCode() == 1011
                ? "server closed the stream: 1011 internal error" : "server closed the stream: 1006 connection failed");
        assertThat(call.serverErrors()).containsExactly(call.failure());
    }

    /** Failing once the client has sent everything, the server's 1011 always reaches it. */
    @Test
    void shouldReportTheTwilioServersErrorCloseWhenItFailsAtTheStop() throws Exception {
        failOnStop = true;
        CallResult call = twilioCall(0);
        assertThat(call.closedCleanly()).isFalse();
        assertThat(call.closeCode()).as(call.failure()).isEqualTo(1011);
        assertThat(call.failure()).startsWith("server closed the stream: 1011 internal error");
        assertThat(call.serverErrors()).containsExactly(call.failure());
    }

    /** The first recording streamed once over Twilio, signed, at {@code speed} (0: as fast as possible). */
    private CallResult twilioCall(double speed) throws Exception {
        TwilioClient client = new TwilioClient(TwilioClient.Config.of(server.uri(IngestServer.TWILIO_PATH), speed)
                .withAuthToken(TWILIO_AUTH_TOKEN),
                http, Clock.systemUTC());
        return new Simulator(client, FrameListener.NONE)
                .run(recordings.subList(0, 1), 1, CallMetadata.DEFAULTS, Duration.ZERO).calls().get(0);
    }

    @Test
    void shouldReportTheRefusalWhenTheClientSecretIsWrong() throws Exception {
        String wrong = Base64.getEncoder().encodeToString("not-the-secret".getBytes());
        AudioHookClient client = new AudioHookClient(AudioHookClient.Config.of(
                server.uri(IngestServer.AUDIOHOOK_PATH), API_KEY, wrong, 0), http, Clock.systemUTC());

        SimulationReport report = new Simulator(client, FrameListener.NONE)
                .run(recordings.subList(0, 1), 1, CallMetadata.DEFAULTS, Duration.ZERO);

        assertThat(report.failed()).isEqualTo(1);
        CallResult call = report.calls().get(0);
        assertThat(call.closedCleanly()).isFalse();
        assertThat(call.failure()).contains("HTTP 401");
        assertThat(call.serverErrors()).containsExactly(call.failure());
        assertThat(call.framesSent()).isZero();
        assertThat(received).isEmpty();
    }

    @Test
    void shouldExitWithTwoAndNameTheRefusalOnTheCommandLineWhenTheSecretIsWrong() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int exit = EarshotCli.run(new String[] {"simulate", "--protocol", "audiohook",
                "--url", server.uri(IngestServer.AUDIOHOOK_PATH).toString(), "--speed", "max",
                "--api-key", API_KEY, "--client-secret", Base64.getEncoder().encodeToString("wrong".getBytes()),
                specs.get(0)}, new PrintWriter(out), new PrintWriter(err));

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString().lines()).containsExactly("FAILED call-1: upgrade refused: HTTP 401");
        assertThat(out.toString()).contains("calls: 0 ok, 1 failed");
    }

    @Test
    void shouldExitWithZeroOnTheCommandLineWhenEveryCallClosedCleanly() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int exit = EarshotCli.run(new String[] {"simulate", "--protocol", "twilio",
                "--url", server.uri(IngestServer.TWILIO_PATH).toString(), "--speed", "max", "--calls", "2",
                "--agent-id", "cli-agent-{i}", "--auth-token", TWILIO_AUTH_TOKEN, specs.get(1)},
                new PrintWriter(out), new PrintWriter(err));

        assertThat(exit).as(err.toString()).isZero();
        assertThat(err.toString()).isEmpty();
        assertThat(out.toString()).contains("calls: 2 ok, 0 failed").contains("agent-1").contains("agent-2");
        assertThat(received.keySet()).containsExactlyInAnyOrder("agent-1", "agent-2");
        assertThat(received.get("agent-2").metadata).containsEntry("agentId", "cli-agent-2");
    }

    @Test
    void shouldBeRefusedWithoutTheTwilioAuthToken() throws Exception {
        TwilioClient unsigned = new TwilioClient(TwilioClient.Config.of(server.uri(IngestServer.TWILIO_PATH), 0),
                http, Clock.systemUTC());
        TwilioClient wrong = new TwilioClient(TwilioClient.Config.of(server.uri(IngestServer.TWILIO_PATH), 0)
                .withAuthToken("not-the-token"), http, Clock.systemUTC());

        SimulationReport refused = new Simulator(unsigned, FrameListener.NONE)
                .run(recordings.subList(0, 1), 1, CallMetadata.DEFAULTS, Duration.ZERO);
        SimulationReport forged = new Simulator(wrong, FrameListener.NONE)
                .run(recordings.subList(0, 1), 1, CallMetadata.DEFAULTS, Duration.ZERO);

        assertThat(refused.calls()).singleElement().satisfies(c -> assertThat(c.failure()).contains("HTTP 401"));
        assertThat(forged.calls()).singleElement().satisfies(c -> assertThat(c.failure()).contains("HTTP 401"));
        assertThat(received).isEmpty();
    }

    /** Every call's agent and customer channel arrived complete, on the right side, with its metadata. */
    private void assertDeliveredExactly(SimulationReport report, String endEvent) throws InterruptedException {
        assertThat(report.calls()).hasSize(3);
        for (int i = 0; i < 3; i++) {
            CallResult result = report.calls().get(i);
            SimulatedCall.Recording recording = recordings.get(i);
            ReceivedCall call = received.get(result.callId());
            assertThat(call).as("server saw " + result.callId()).isNotNull();
            assertThat(call.ended.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("end of " + result.callId()).isTrue();
            assertThat(call.events).containsExactly(endEvent);
            assertThat(call.metadata).containsEntry("agentId", "agent-" + (i + 1))
                    .containsEntry("team", CallMetadata.DEFAULTS.team())
                    .containsEntry("queue", CallMetadata.DEFAULTS.queue());
            assertThat(result.samplesSent()).isEqualTo(recording.samples());
            assertThat(call.agent.toByteArray()).as("agent of " + result.callId())
                    .isEqualTo(bytes(TwilioFramesTest.roundTrip(recording.agent())));
            assertThat(call.customer.toByteArray()).as("customer of " + result.callId())
                    .isEqualTo(bytes(TwilioFramesTest.roundTrip(recording.customer())));
        }
    }

    private static byte[] bytes(short[] samples) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        append(out, samples);
        return out.toByteArray();
    }

    private static void append(ByteArrayOutputStream out, short[] samples) {
        for (short s : samples) {
            out.write(s >> 8);
            out.write(s);
        }
    }

    /** What the server handed its listener for one call (keyed by the call id the client sent). */
    private static final class ReceivedCall {
        final Map<String, String> metadata;
        final ByteArrayOutputStream agent = new ByteArrayOutputStream();
        final ByteArrayOutputStream customer = new ByteArrayOutputStream();
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch ended = new CountDownLatch(1);

        ReceivedCall(Map<String, String> metadata) {
            this.metadata = metadata;
        }

        private int blocks;

        synchronized void audio(short[] agentSamples, short[] customerSamples, int failAfter) {
            if (failAfter > 0 && ++blocks >= failAfter) {
                throw new IllegalStateException("pipeline broke");
            }
            append(agent, agentSamples);
            append(customer, customerSamples);
        }

        void end(String event) {
            events.add(event);
            ended.countDown();
        }
    }

    private final class AudioHookRecorder implements AudioHookListener {
        private ReceivedCall call;

        @Override
        public void onOpen(Messages.Open open, Messages.MediaFormat media) {
            Map<String, String> metadata = new java.util.HashMap<>();
            open.customConfig().properties().forEach(e -> metadata.put(e.getKey(), e.getValue().asText()));
            call = new ReceivedCall(metadata);
            received.put(metadata.get("callId"), call);
        }

        @Override
        public void onAudio(AudioBlock block) {
            call.audio(block.internal(), block.external(), failAudioAfterBlocks);
        }

        @Override
        public void onPaused() {
            call.events.add("paused");
        }

        @Override
        public void onResumed(Duration discarded) {
            call.events.add("resumed");
        }

        @Override
        public void onClosed(String reason) {
            call.end("closed " + reason);
        }

        @Override
        public void onError(int code, String message) {
            if (call != null) {
                call.end("error " + code + " " + message);
            }
        }
    }

    private final class TwilioRecorder implements TwilioListener {
        private ReceivedCall call;

        @Override
        public void onStart(String callSid, String streamSid, Map<String, String> customParameters) {
            call = new ReceivedCall(customParameters);
            received.put(customParameters.get("callId"), call);
        }

        @Override
        public void onAudio(short[] agent, short[] customer, long positionSamples) {
            call.audio(agent, customer, failAudioAfterBlocks);
        }

        @Override
        public void onMark(String name) {
        }

        @Override
        public void onDtmf(String digit) {
        }

        @Override
        public void onStop() {
            if (failOnStop) {
                throw new IllegalStateException("pipeline broke at the end");
            }
            call.end("stop");
        }

        @Override
        public void onError(String reason) {
            if (call != null) {
                call.end("error " + reason);
            }
        }
    }
}
