package io.earshot.ingest.protocol.audiohook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.earshot.ingest.audio.G711;
import io.earshot.ingest.protocol.IngestLimits;
import io.earshot.ingest.protocol.IngestServer;
import io.earshot.ingest.protocol.TestSocket;
import io.earshot.ingest.protocol.audiohook.Messages.MediaFormat;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real Jetty server on an ephemeral loopback port and the JDK WebSocket client: signed upgrade,
 * the open/audio/ping/close exchange, a refused signature, and a protocol violation on one
 * connection that leaves a concurrent one untouched.
 */
class AudioHookEndpointIT {

    private static final String API_KEY = "earshot-test-key";
    private static final String SECRET = Base64.getEncoder().encodeToString("it-client-secret-0123456789".getBytes());
    private static final String ORG = "d7934305-0972-4844-938e-9060eef73d05";
    private static final String COMPONENTS = "(\"@request-target\" \"@authority\" \"audiohook-organization-id\" "
            + "\"audiohook-session-id\" \"audiohook-correlation-id\" \"x-api-key\")";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FRAME_SAMPLES = 160; // 20 ms at 8 kHz
    /** The listener factory fails for this session id, as a pipeline without capacity would. */
    private static final String UNSERVED_SESSION = "00000000-0000-0000-0000-00000000dead";
    /** This session's listener blocks on its first audio until {@link #release} opens. */
    private static final String BUSY_SESSION = "00000000-0000-0000-0000-00000000b5b5";

    private final CountDownLatch release = new CountDownLatch(1);

    private final Map<String, RecordingListener> listeners = new ConcurrentHashMap<>();
    private final HttpClient client = HttpClient.newHttpClient();
    private IngestServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = startServer(AudioHookEndpoint.DEFAULT_IDLE_TIMEOUT);
    }

    private IngestServer startServer(Duration idleTimeout) throws Exception {
        return startServer(idleTimeout, IngestLimits.defaults());
    }

    private IngestServer startServer(Duration idleTimeout, IngestLimits limits) throws Exception {
        AudioHookAuth auth = new AudioHookAuth(AudioHookAuth.Config.of(Map.of(API_KEY, SECRET)), Clock.systemUTC());
        AudioHookEndpoint.Settings settings = new AudioHookEndpoint.Settings(auth, AudioHookSession.Limits.defaults(),
                idleTimeout, Clock.systemUTC(), (sessionId, remote) -> {
                    if (sessionId.equals(UNSERVED_SESSION)) {
                        throw new IllegalStateException("no pipeline for " + sessionId);
                    }
                    RecordingListener listener = sessionId.equals(BUSY_SESSION) ? new RecordingListener() {
                        @Override
                        public void onAudio(AudioBlock block) {
                            try {
                                release.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                    } : new RecordingListener();
                    listeners.put(sessionId, listener);
                    return listener;
                });
        return new IngestServer(new IngestServer.Config("127.0.0.1", 0, limits), settings, null).start();
    }

    @AfterEach
    void stopServer() {
        release.countDown();
        server.close();
    }

    @Test
    void shouldOpenStreamAudioAnswerPingAndCloseOverASignedConnection() throws Exception {
        String id = UUID.randomUUID().toString();
        short[] customer = tone(2 * FRAME_SAMPLES, 440, 8000);
        short[] agent = tone(2 * FRAME_SAMPLES, 1000, 3000);
        try (TestSocket socket = connect(signed(id, SECRET))) {
            socket.sendText(open(id));
            JsonNode opened = JSON.readTree(socket.nextText());
            assertThat(opened.get("type").asText()).isEqualTo("opened");
            assertThat(opened.get("clientseq").asLong()).isEqualTo(1);
            assertThat(opened.at("/parameters/media/0/format").asText()).isEqualTo("PCMU");
            assertThat(opened.at("/parameters/media/0/channels").toString()).isEqualTo("[\"external\",\"internal\"]");

            socket.sendBinary(stereoPcmu(customer, agent, 0));
            socket.sendBinary(stereoPcmu(customer, agent, 1));

            socket.sendText(client("ping", id, 2, 1));
            JsonNode pong = JSON.readTree(socket.nextText());
            assertThat(pong.get("type").asText()).isEqualTo("pong");
            assertThat(pong.get("clientseq").asLong()).isEqualTo(2);

            socket.sendText(client("close", id, 3, 2));
            JsonNode closed = JSON.readTree(socket.nextText());
            assertThat(closed.get("type").asText()).isEqualTo("closed");
            assertThat(closed.get("clientseq").asLong()).isEqualTo(3);
        }

        RecordingListener listener = listeners.get(id);
        assertThat(listener.events).containsExactly("open 090eaa2f-72fa-480a-83e0-8667ff89c0ec PCMU", "closed end");
        assertThat(listener.blocks).extracting(AudioBlock::startSample).containsExactly(0L, (long) FRAME_SAMPLES);
        assertThat(listener.blocks).allSatisfy(b -> assertThat(b.rate()).isEqualTo(8000));
        assertThat(concat(listener.blocks, true)).containsExactly(mulawRoundTrip(customer));
        assertThat(concat(listener.blocks, false)).containsExactly(mulawRoundTrip(agent));
    }

    @Test
    void shouldRefuseTheUpgradeWithoutCreatingASessionWhenTheSignatureIsWrong() {
        String id = UUID.randomUUID().toString();
        String wrongSecret = Base64.getEncoder().encodeToString("not-the-secret".getBytes());

        Throwable failure = catchThrowable(() -> connect(signed(id, wrongSecret)));

        WebSocketHandshakeException refused = handshakeFailure(failure);
        assertThat(refused.getResponse().statusCode()).isEqualTo(401);
        assertThat(listeners).isEmpty();
    }

    @Test
    void shouldAnswerTheRefusalWithoutNamingTheFailedCheckAndNoUpgrade() throws Exception {
        try (Socket raw = new Socket("127.0.0.1", server.port())) {
            raw.setSoTimeout((int) TestSocket.TIMEOUT.toMillis());
            raw.getOutputStream().write(("GET " + IngestServer.AUDIOHOOK_PATH + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1:" + server.port() + "\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade, close\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String response = new String(raw.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            // the caller learns the status only: which check failed stays in the server's log
            assertThat(response).startsWith("HTTP/1.1 401 ").contains("Unauthorized")
                    .doesNotContain("MISSING_API_KEY").doesNotContainIgnoringCase("Upgrade: websocket");
        }
        assertThat(listeners).isEmpty();
    }

    @Test
    void shouldCloseAConnectionThatStaysSilentLongerThanTheIdleTimeout() throws Exception {
        String id = UUID.randomUUID().toString();
        try (IngestServer idleServer = startServer(Duration.ofMillis(500))) {
            TestSocket socket = TestSocket.connect(client, idleServer.uri(IngestServer.AUDIOHOOK_PATH),
                    signed(idleServer, id, SECRET)).join();
            socket.sendText(open(id));
            assertThat(JSON.readTree(socket.nextText()).get("type").asText()).isEqualTo("opened");

            assertThat(socket.awaitServerClose()).isEqualTo(AudioHookSession.CLOSE_POLICY_VIOLATION);
        }
        TestSocket.await("listener told", () -> listeners.get(id).events.size() == 2);
        assertThat(listeners.get(id).events).last().asString().startsWith("error -1 socket closed (1008");
    }

    @Test
    void shouldCloseAnIdleConnectionWhileAnotherConnectionIsBusyInItsListener() throws Exception {
        String id = UUID.randomUUID().toString();
        try (IngestServer idleServer = startServer(Duration.ofMillis(400))) {
            TestSocket busy = TestSocket.connect(client, idleServer.uri(IngestServer.AUDIOHOOK_PATH),
                    signed(idleServer, BUSY_SESSION, SECRET)).join();
            busy.sendText(open(BUSY_SESSION));
            assertThat(JSON.readTree(busy.nextText()).get("type").asText()).isEqualTo("opened");
            short[] samples = tone(FRAME_SAMPLES, 300, 5000);
            busy.sendBinary(stereoPcmu(samples, samples, 0)); // its listener now holds the connection

            TestSocket idle = TestSocket.connect(client, idleServer.uri(IngestServer.AUDIOHOOK_PATH),
                    signed(idleServer, id, SECRET)).join();
            idle.sendText(open(id));
            assertThat(JSON.readTree(idle.nextText()).get("type").asText()).isEqualTo("opened");

            // the shared timer thread is not stuck behind the busy connection's lock
            assertThat(idle.awaitServerClose()).isEqualTo(AudioHookSession.CLOSE_POLICY_VIOLATION);
            release.countDown();
        }
    }

    @Test
    void shouldDisconnectAConnectionOverItsMessageRateWhileAnotherCarriesOn() throws Exception {
        IngestLimits d = IngestLimits.defaults();
        IngestLimits slow = new IngestLimits(d.maxCallDuration(), d.maxGap(), true, d.mediaAheadGrace(),
                d.maxMediaAhead(), 5, 10);
        String floodId = UUID.randomUUID().toString();
        String goodId = UUID.randomUUID().toString();
        try (IngestServer limited = startServer(AudioHookEndpoint.DEFAULT_IDLE_TIMEOUT, slow);
             TestSocket flood = TestSocket.connect(client, limited.uri(IngestServer.AUDIOHOOK_PATH),
                     signed(limited, floodId, SECRET)).join();
             TestSocket good = TestSocket.connect(client, limited.uri(IngestServer.AUDIOHOOK_PATH),
                     signed(limited, goodId, SECRET)).join()) {
            flood.sendText(open(floodId));
            good.sendText(open(goodId));
            assertThat(JSON.readTree(flood.nextText()).get("type").asText()).isEqualTo("opened");
            assertThat(JSON.readTree(good.nextText()).get("type").asText()).isEqualTo("opened");

            short[] samples = tone(FRAME_SAMPLES, 300, 5000);
            for (int i = 0; i < 100; i++) {
                flood.sendBinary(stereoPcmu(samples, samples, 0));
            }
            JsonNode disconnect = JSON.readTree(flood.nextText());
            assertThat(disconnect.get("type").asText()).isEqualTo("disconnect");
            assertThat(disconnect.at("/parameters/reason").asText()).isEqualTo("error");
            assertThat(disconnect.at("/parameters/info").asText()).contains("Message rate above 5 per second");

            good.sendBinary(stereoPcmu(samples, samples, 0));
            good.sendText(client("ping", goodId, 2, 1));
            assertThat(JSON.readTree(good.nextText()).get("type").asText()).isEqualTo("pong");
            good.sendText(client("close", goodId, 3, 2));
            assertThat(JSON.readTree(good.nextText()).get("type").asText()).isEqualTo("closed");
        }
        assertThat(listeners.get(floodId).blocks).as("frames past the rate are dropped").hasSizeLessThan(100);
        assertThat(listeners.get(goodId).events).containsExactly("open 090eaa2f-72fa-480a-83e0-8667ff89c0ec PCMU",
                "closed end");
    }

    @Test
    void shouldCloseWithInternalErrorWhenTheListenerCannotBeCreated() {
        TestSocket socket = connect(signed(UNSERVED_SESSION, SECRET));

        assertThat(socket.awaitServerClose()).isEqualTo(AudioHookEndpoint.CLOSE_INTERNAL_ERROR);
        assertThat(listeners).isEmpty();
    }

    @Test
    void shouldDisconnectOnWrongSequenceNumberWhileAConcurrentConnectionCarriesOn() throws Exception {
        String badId = UUID.randomUUID().toString();
        String goodId = UUID.randomUUID().toString();
        try (TestSocket bad = connect(signed(badId, SECRET)); TestSocket good = connect(signed(goodId, SECRET))) {
            bad.sendText(open(badId));
            good.sendText(open(goodId));
            assertThat(JSON.readTree(bad.nextText()).get("type").asText()).isEqualTo("opened");
            assertThat(JSON.readTree(good.nextText()).get("type").asText()).isEqualTo("opened");

            bad.sendText(client("ping", badId, 5, 1));
            JsonNode disconnect = JSON.readTree(bad.nextText());
            assertThat(disconnect.get("type").asText()).isEqualTo("disconnect");
            assertThat(disconnect.at("/parameters/reason").asText()).isEqualTo("error");
            assertThat(disconnect.at("/parameters/info").asText()).contains("Invalid seq value 5 (expected 2)");

            short[] samples = tone(FRAME_SAMPLES, 300, 5000);
            good.sendBinary(stereoPcmu(samples, samples, 0));
            good.sendText(client("ping", goodId, 2, 1));
            assertThat(JSON.readTree(good.nextText()).get("type").asText()).isEqualTo("pong");
            good.sendText(client("close", goodId, 3, 2));
            assertThat(JSON.readTree(good.nextText()).get("type").asText()).isEqualTo("closed");

            // the faulty client still runs its close transaction after the disconnect
            bad.sendText(client("close", badId, 6, 2));
            assertThat(JSON.readTree(bad.nextText()).get("type").asText()).isEqualTo("closed");
        }

        assertThat(listeners.get(badId).events).contains("error -1 Invalid seq value 5 (expected 2)").endsWith("closed end");
        assertThat(listeners.get(goodId).events).containsExactly("open 090eaa2f-72fa-480a-83e0-8667ff89c0ec PCMU", "closed end");
        assertThat(listeners.get(goodId).blocks).extracting(AudioBlock::startSample).containsExactly(0L);
    }

    // ---- client side ------------------------------------------------------------------------

    private TestSocket connect(Map<String, String> headers) {
        return TestSocket.connect(client, server.uri(IngestServer.AUDIOHOOK_PATH), headers).join();
    }

    /** Headers as Genesys sends them, signed as the AudioHook specification describes. */
    private Map<String, String> signed(String sessionId, String secret) {
        return signed(server, sessionId, secret);
    }

    private static Map<String, String> signed(IngestServer server, String sessionId, String secret) {
        URI uri = server.uri(IngestServer.AUDIOHOOK_PATH);
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Audiohook-Organization-Id", ORG);
        h.put("Audiohook-Correlation-Id", UUID.randomUUID().toString());
        h.put("Audiohook-Session-Id", sessionId);
        h.put("X-API-KEY", API_KEY);
        String params = COMPONENTS + ";keyid=\"" + API_KEY + "\";nonce=\"" + UUID.randomUUID()
                + "\";alg=\"hmac-sha256\";created=" + Clock.systemUTC().instant().getEpochSecond();
        Map<String, String> signedHeaders = new LinkedHashMap<>(h);
        signedHeaders.put("Host", uri.getAuthority()); // the JDK client sends this Host itself
        String base = AudioHookAuth.signatureBase(List.of("@request-target", "@authority",
                "audiohook-organization-id", "audiohook-session-id", "audiohook-correlation-id", "x-api-key"),
                params, "GET", uri.getRawPath(), signedHeaders);
        byte[] mac = AudioHookAuth.hmacSha256(Base64.getDecoder().decode(secret), base);
        h.put("Signature-Input", "sig1=" + params);
        h.put("Signature", "sig1=:" + Base64.getEncoder().encodeToString(mac) + ":");
        return h;
    }

    private static String open(String id) {
        return """
            {"version":"2","type":"open","seq":1,"serverseq":0,"id":"%s","position":"PT0S",
             "parameters":{"organizationId":"%s","conversationId":"090eaa2f-72fa-480a-83e0-8667ff89c0ec",
              "participant":{"id":"883efee8-3d6c-4537-b500-6d7ca4b92fa0","ani":"+1-555-555-1234","aniName":"John Doe","dnis":"+1-800-555-6789"},
              "media":[{"type":"audio","format":"PCMU","channels":["external","internal"],"rate":8000}],
              "language":"en-US"}}
            """.formatted(id, ORG);
    }

    private static String client(String type, String id, long seq, long serverseq) {
        String parameters = type.equals("close") ? "{\"reason\":\"end\"}" : "{}";
        return "{\"version\":\"2\",\"type\":\"" + type + "\",\"seq\":" + seq + ",\"serverseq\":" + serverseq
                + ",\"id\":\"" + id + "\",\"position\":\"PT1S\",\"parameters\":" + parameters + "}";
    }

    /** One 20 ms frame of interleaved stereo PCMU, external (customer) first as negotiated. */
    private static byte[] stereoPcmu(short[] external, short[] internal, int frameIndex) {
        byte[] frame = new byte[2 * FRAME_SAMPLES];
        for (int i = 0; i < FRAME_SAMPLES; i++) {
            frame[2 * i] = G711.linearToUlaw(external[frameIndex * FRAME_SAMPLES + i]);
            frame[2 * i + 1] = G711.linearToUlaw(internal[frameIndex * FRAME_SAMPLES + i]);
        }
        return frame;
    }

    private static short[] tone(int length, double hz, double amplitude) {
        short[] s = new short[length];
        for (int i = 0; i < length; i++) {
            s[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * hz * i / 8000));
        }
        return s;
    }

    private static short[] mulawRoundTrip(short[] samples) {
        short[] out = new short[samples.length];
        for (int i = 0; i < samples.length; i++) {
            out[i] = G711.ulawToLinear(G711.linearToUlaw(samples[i]));
        }
        return out;
    }

    private static short[] concat(List<AudioBlock> blocks, boolean external) {
        short[] out = new short[blocks.stream().mapToInt(AudioBlock::sampleCount).sum()];
        int at = 0;
        for (AudioBlock b : blocks) {
            short[] part = external ? b.external() : b.internal();
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }

    private static WebSocketHandshakeException handshakeFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof WebSocketHandshakeException handshake) {
                return handshake;
            }
        }
        throw new AssertionError("not a refused handshake", t);
    }

    /** Records what one connection's session reported; written on Jetty threads, read by the test. */
    private static class RecordingListener implements AudioHookListener {
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        final List<AudioBlock> blocks = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void onOpen(Messages.Open open, MediaFormat media) {
            events.add("open " + open.conversationId() + " " + media.format());
        }

        @Override
        public void onAudio(AudioBlock block) {
            blocks.add(block);
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
    }
}
