package io.earshot.ingest.protocol.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.earshot.ingest.audio.G711;
import io.earshot.ingest.protocol.IngestServer;
import io.earshot.ingest.protocol.TestSocket;
import io.earshot.ingest.protocol.twilio.Messages.Connected;
import io.earshot.ingest.protocol.twilio.Messages.Media;
import io.earshot.ingest.protocol.twilio.Messages.MediaFormat;
import io.earshot.ingest.protocol.twilio.Messages.Start;
import io.earshot.ingest.protocol.twilio.Messages.Stop;
import io.earshot.ingest.protocol.twilio.Messages.Track;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real Jetty server on an ephemeral loopback port and the JDK WebSocket client: a whole media
 * stream delivered aligned, a sequence violation closing only its own connection with 1002, and
 * an oversized frame closed with 1009; upgrades without a valid {@code X-Twilio-Signature} (or the
 * shared token) refused with 401 while a signed stream is served.
 */
class TwilioEndpointIT {

    private static final int CHUNK = 160; // 20 ms at 8 kHz
    private static final int MAX_MESSAGE_CHARS = 4096;

    private final TwilioCodec codec = new TwilioCodec();
    private final List<RecordingListener> listeners = new CopyOnWriteArrayList<>();
    private final HttpClient client = HttpClient.newHttpClient();
    private IngestServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = startServer(TwilioAuth.none());
    }

    private IngestServer startServer(TwilioAuth auth) throws Exception {
        TwilioSessionConfig config = new TwilioSessionConfig(Track.OUTBOUND, TwilioSessionConfig.DEFAULT_MAX_LAG_MS,
                TwilioSessionConfig.DEFAULT_MAX_GAP_MS, MAX_MESSAGE_CHARS);
        TwilioEndpoint.Settings settings = new TwilioEndpoint.Settings(config, TwilioEndpoint.DEFAULT_POLL_INTERVAL,
                auth, Clock.systemUTC(), remote -> {
                    RecordingListener listener = new RecordingListener();
                    listeners.add(listener);
                    return listener;
                });
        return new IngestServer(new IngestServer.Config("127.0.0.1", 0), null, settings).start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void shouldDeliverBothTracksAlignedFromConnectedToStop() throws Exception {
        Stream stream = new Stream("MZ00000000000000000000000000000001", 3);
        try (TestSocket socket = connect()) {
            stream.sendAll(socket);
            TestSocket.await("stop", () -> stopped(stream));
        }

        RecordingListener listener = listenerOf(stream);
        assertThat(listener.events).containsExactly("start CA-" + stream.sid, "stop");
        stream.assertDelivered(listener);
    }

    @Test
    void shouldCloseOnlyTheConnectionWithAnOutOfOrderSequenceNumber() throws Exception {
        Stream good = new Stream("MZ00000000000000000000000000000002", 4);
        String badSid = "MZ00000000000000000000000000000003";
        try (TestSocket bad = connect(); TestSocket socket = connect()) {
            good.sendPrologue(socket);
            send(bad, new Connected("Call", "1.0.0"));
            send(bad, new Start(1, badSid, "AC1", "CA-" + badSid, List.of(Track.INBOUND, Track.OUTBOUND),
                    Map.of(), MediaFormat.MULAW_8K_MONO));
            good.sendChunk(socket, 0);
            send(bad, new Media(2, badSid, Track.INBOUND, 1, 0, ulaw(new short[CHUNK])));
            send(bad, new Media(4, badSid, Track.OUTBOUND, 1, 0, ulaw(new short[CHUNK])));

            assertThat(bad.awaitServerClose()).isEqualTo(TwilioSession.CLOSE_PROTOCOL_ERROR);
            assertThat(bad.serverCloseReason()).isEqualTo("bad request");

            for (int i = 1; i < good.chunks; i++) {
                good.sendChunk(socket, i);
            }
            good.sendStop(socket);
            TestSocket.await("stop", () -> stopped(good));
        }

        assertThat(listenerOf(badSid).events).containsExactly("start CA-" + badSid,
                "error media has sequenceNumber 4, expected 3");
        assertThat(listenerOf(good).events).containsExactly("start CA-" + good.sid, "stop");
        good.assertDelivered(listenerOf(good));
    }

    @Test
    void shouldCloseWithMessageTooBigOnAnOversizedFrame() throws Exception {
        try (TestSocket socket = connect()) {
            send(socket, new Connected("Call", "1.0.0"));
            String padded = "{\"event\":\"connected\",\"padding\":\"" + "x".repeat(MAX_MESSAGE_CHARS) + "\"}";
            socket.sendText(padded);

            assertThat(socket.awaitServerClose()).isEqualTo(TwilioSession.CLOSE_MESSAGE_TOO_BIG);
            assertThat(socket.serverCloseReason()).isEqualTo("message too big");
            TestSocket.await("error", () -> !listeners.isEmpty() && !listeners.get(0).events.isEmpty());
            assertThat(listeners.get(0).events).singleElement().asString()
                    .isEqualTo("error message of " + padded.length() + " chars exceeds " + MAX_MESSAGE_CHARS);
        }
    }

    /**
     * Beyond twice the limit the container refuses the frame before buffering it and drops the
     * connection; the client may see the close or a reset while it is still writing, but the call
     * ends with the error either way.
     */
    @Test
    void shouldEndTheCallWhenAFrameExceedsTheContainersLimit() throws Exception {
        TestSocket socket = connect();
        send(socket, new Connected("Call", "1.0.0"));
        try {
            socket.sendText("{\"event\":\"connected\",\"padding\":\"" + "x".repeat(3 * MAX_MESSAGE_CHARS) + "\"}");
        } catch (CompletionException e) {
            // the connection was dropped while the frame was being written
        }
        TestSocket.await("error", () -> !listeners.isEmpty() && !listeners.get(0).events.isEmpty());
        assertThat(listeners.get(0).events).singleElement().asString().startsWith("error").contains("1009");
        socket.abort();
    }

    @Test
    void shouldCloseWithUnsupportedDataOnABinaryFrame() throws Exception {
        try (TestSocket socket = connect()) {
            send(socket, new Connected("Call", "1.0.0"));
            socket.sendBinary(new byte[] {1, 2, 3});

            assertThat(socket.awaitServerClose()).isEqualTo(TwilioSession.CLOSE_UNSUPPORTED_DATA);
        }
    }

    @Test
    void shouldRequireTheConfiguredSharedTokenBeforeTheUpgrade() throws Exception {
        try (IngestServer guarded = startServer(TwilioAuth.token("shared-token-1"))) {
            URI uri = guarded.uri(IngestServer.TWILIO_PATH);

            Throwable refused = catchThrowable(() -> TestSocket.connect(client, uri, Map.of()).join());
            Throwable wrong = catchThrowable(() -> TestSocket.connect(client, uri,
                    Map.of(TwilioEndpoint.TOKEN_HEADER, "guess")).join());
            assertThat(handshakeStatus(refused)).isEqualTo(401);
            assertThat(handshakeStatus(wrong)).isEqualTo(401);
            assertThat(listeners).isEmpty();

            Stream stream = new Stream("MZ00000000000000000000000000000004", 1);
            try (TestSocket socket = TestSocket.connect(client, uri,
                    Map.of(TwilioEndpoint.TOKEN_HEADER, "shared-token-1")).join()) {
                stream.sendAll(socket);
                TestSocket.await("stop", () -> listeners.size() == 1 && listeners.get(0).events.contains("stop"));
            }
            try (TestSocket socket = TestSocket.connect(client,
                    URI.create(uri + "?" + TwilioEndpoint.TOKEN_PARAMETER + "=shared-token-1"), Map.of()).join()) {
                socket.sendText(codec.encode(new Connected("Call", "1.0.0")));
            }
            assertThat(listeners).hasSize(2);
        }
    }

    @Test
    void shouldRefuseUnsignedAndBadlySignedUpgradesWhileASignedStreamCompletes() throws Exception {
        String authToken = "12345678901234567890123456789012";
        try (IngestServer guarded = startServer(TwilioAuth.signature(Map.of(TwilioAuth.ANY_ACCOUNT, authToken), null))) {
            URI uri = guarded.uri(IngestServer.TWILIO_PATH);
            Stream stream = new Stream("MZ00000000000000000000000000000005", 3);
            try (TestSocket socket = TestSocket.connect(client, uri,
                    Map.of(TwilioAuth.SIGNATURE_HEADER, hmacSha1Base64(authToken, uri.toString()))).join()) {
                stream.sendPrologue(socket);
                stream.sendChunk(socket, 0);

                Throwable unsigned = catchThrowable(() -> TestSocket.connect(client, uri, Map.of()).join());
                Throwable wrongToken = catchThrowable(() -> TestSocket.connect(client, uri,
                        Map.of(TwilioAuth.SIGNATURE_HEADER, hmacSha1Base64("another-token", uri.toString()))).join());
                Throwable otherUrl = catchThrowable(() -> TestSocket.connect(client, URI.create(uri + "?agentId=a-1"),
                        Map.of(TwilioAuth.SIGNATURE_HEADER, hmacSha1Base64(authToken, uri.toString()))).join());
                Throwable sharedTokenInstead = catchThrowable(() -> TestSocket.connect(client, uri,
                        Map.of(TwilioEndpoint.TOKEN_HEADER, authToken)).join());
                assertThat(handshakeStatus(unsigned)).isEqualTo(401);
                assertThat(handshakeStatus(wrongToken)).isEqualTo(401);
                assertThat(handshakeStatus(otherUrl)).isEqualTo(401);
                assertThat(handshakeStatus(sharedTokenInstead)).isEqualTo(401);

                for (int i = 1; i < stream.chunks; i++) {
                    stream.sendChunk(socket, i);
                }
                stream.sendStop(socket);
                TestSocket.await("stop", () -> stopped(stream));
            }
            assertThat(listeners).hasSize(1);
            assertThat(listenerOf(stream).events).containsExactly("start CA-" + stream.sid, "stop");
            stream.assertDelivered(listenerOf(stream));
        }
    }

    @Test
    void shouldCheckTheSignatureOverThePublicUrlTwilioConnectsTo() throws Exception {
        String authToken = "public-url-token";
        URI publicBase = URI.create("wss://ingest.example.com/earshot");
        try (IngestServer proxied = startServer(TwilioAuth.signature(Map.of(TwilioAuth.ANY_ACCOUNT, authToken),
                publicBase))) {
            URI local = proxied.uri(IngestServer.TWILIO_PATH);
            Throwable signedForLocal = catchThrowable(() -> TestSocket.connect(client, local,
                    Map.of(TwilioAuth.SIGNATURE_HEADER, hmacSha1Base64(authToken, local.toString()))).join());
            assertThat(handshakeStatus(signedForLocal)).isEqualTo(401);

            Stream stream = new Stream("MZ00000000000000000000000000000006", 1);
            try (TestSocket socket = TestSocket.connect(client, local, Map.of(TwilioAuth.SIGNATURE_HEADER,
                    hmacSha1Base64(authToken, "wss://ingest.example.com/earshot/twilio"))).join()) {
                stream.sendAll(socket);
                TestSocket.await("stop", () -> stopped(stream));
            }
            assertThat(listenerOf(stream).events).containsExactly("start CA-" + stream.sid, "stop");
        }
    }

    @Test
    void shouldRefuseAStreamOfAnotherAccountThanTheOneThatSigned() throws Exception {
        String account = "AC" + "0".repeat(31) + "7";
        try (IngestServer guarded = startServer(TwilioAuth.signature(Map.of(account, "token-of-7"), null))) {
            URI uri = guarded.uri(IngestServer.TWILIO_PATH);
            String sid = "MZ00000000000000000000000000000008";
            try (TestSocket socket = TestSocket.connect(client, uri,
                    Map.of(TwilioAuth.SIGNATURE_HEADER, hmacSha1Base64("token-of-7", uri.toString()))).join()) {
                send(socket, new Connected("Call", "1.0.0"));
                send(socket, new Start(1, sid, "AC1", "CA-" + sid, List.of(Track.INBOUND, Track.OUTBOUND),
                        Map.of(), MediaFormat.MULAW_8K_MONO));

                assertThat(socket.awaitServerClose()).isEqualTo(TwilioSession.CLOSE_POLICY_VIOLATION);
                assertThat(socket.serverCloseReason()).isEqualTo("call refused");
            }
            TestSocket.await("error", () -> !listeners.isEmpty() && !listeners.get(0).events.isEmpty());
            assertThat(listeners.get(0).events).singleElement().asString().startsWith("error start for account");
        }
    }

    /** Twilio's signature of a GET, computed here independently of {@link TwilioAuth}. */
    private static String hmacSha1Base64(String key, String url) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
        mac.init(new javax.crypto.spec.SecretKeySpec(key.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(url.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private static int handshakeStatus(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof WebSocketHandshakeException handshake) {
                return handshake.getResponse().statusCode();
            }
        }
        throw new AssertionError("not a refused handshake", t);
    }

    // ---- client side ------------------------------------------------------------------------

    /** One scripted stream: {@code chunks} 20 ms chunks per track of two distinct tones. */
    private final class Stream {
        final String sid;
        final int chunks;
        final short[] caller;
        final short[] agent;
        long seq;

        Stream(String sid, int chunks) {
            this.sid = sid;
            this.chunks = chunks;
            this.caller = tone(chunks * CHUNK, 440, 8000);
            this.agent = tone(chunks * CHUNK, 1000, 3000);
        }

        void sendAll(TestSocket socket) {
            sendPrologue(socket);
            for (int i = 0; i < chunks; i++) {
                sendChunk(socket, i);
            }
            sendStop(socket);
        }

        void sendPrologue(TestSocket socket) {
            send(socket, new Connected("Call", "1.0.0"));
            send(socket, new Start(++seq, sid, "AC1", "CA-" + sid, List.of(Track.INBOUND, Track.OUTBOUND),
                    Map.of(), MediaFormat.MULAW_8K_MONO));
        }

        void sendChunk(TestSocket socket, int i) {
            send(socket, new Media(++seq, sid, Track.INBOUND, i + 1, 20L * i, ulaw(slice(caller, i))));
            send(socket, new Media(++seq, sid, Track.OUTBOUND, i + 1, 20L * i, ulaw(slice(agent, i))));
        }

        void sendStop(TestSocket socket) {
            send(socket, new Stop(++seq, sid, "AC1", "CA-" + sid));
        }

        void assertDelivered(RecordingListener listener) {
            List<RecordingListener.Block> blocks = new ArrayList<>(listener.blocks);
            long expected = 0;
            for (RecordingListener.Block b : blocks) {
                assertThat(b.position()).isEqualTo(expected);
                assertThat(b.agent()).hasSameSizeAs(b.customer());
                expected += b.agent().length;
            }
            assertThat(concat(blocks, true)).containsExactly(mulawRoundTrip(agent));
            assertThat(concat(blocks, false)).containsExactly(mulawRoundTrip(caller));
        }
    }

    private TestSocket connect() {
        return TestSocket.connect(client, server.uri(IngestServer.TWILIO_PATH), Map.of()).join();
    }

    private void send(TestSocket socket, Messages message) {
        socket.sendText(codec.encode(message));
    }

    private RecordingListener listenerOf(Stream stream) {
        return listenerOf(stream.sid);
    }

    private RecordingListener listenerOf(String streamSid) {
        return started(streamSid).orElseThrow(() -> new AssertionError("no stream " + streamSid + " started"));
    }

    private Optional<RecordingListener> started(String streamSid) {
        return listeners.stream().filter(l -> streamSid.equals(l.streamSid)).findFirst();
    }

    private boolean stopped(Stream stream) {
        return started(stream.sid).map(l -> l.events.contains("stop")).orElse(false);
    }

    private static short[] tone(int length, double hz, double amplitude) {
        short[] s = new short[length];
        for (int i = 0; i < length; i++) {
            s[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * hz * i / 8000));
        }
        return s;
    }

    private static short[] slice(short[] samples, int chunkIndex) {
        short[] out = new short[CHUNK];
        System.arraycopy(samples, chunkIndex * CHUNK, out, 0, CHUNK);
        return out;
    }

    private static String ulaw(short[] samples) {
        byte[] codes = new byte[samples.length];
        for (int i = 0; i < samples.length; i++) {
            codes[i] = G711.linearToUlaw(samples[i]);
        }
        return Base64.getEncoder().encodeToString(codes);
    }

    private static short[] mulawRoundTrip(short[] samples) {
        short[] out = new short[samples.length];
        for (int i = 0; i < samples.length; i++) {
            out[i] = G711.ulawToLinear(G711.linearToUlaw(samples[i]));
        }
        return out;
    }

    private static short[] concat(List<RecordingListener.Block> blocks, boolean agent) {
        short[] out = new short[blocks.stream().mapToInt(b -> b.agent().length).sum()];
        int at = 0;
        for (RecordingListener.Block b : blocks) {
            short[] part = agent ? b.agent() : b.customer();
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }

    /** Records what one connection's session reported; written on Jetty threads, read by the test. */
    private static final class RecordingListener implements TwilioListener {
        record Block(short[] agent, short[] customer, long position) {
        }

        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        final List<Block> blocks = Collections.synchronizedList(new ArrayList<>());
        volatile String streamSid;

        @Override
        public void onStart(String callSid, String streamSid, Map<String, String> customParameters) {
            this.streamSid = streamSid;
            events.add("start " + callSid);
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
    }
}
