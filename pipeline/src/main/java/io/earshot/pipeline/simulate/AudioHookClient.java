package io.earshot.pipeline.simulate;

import io.earshot.ingest.protocol.audiohook.AudioHookCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Streams calls as Genesys Cloud's AudioHook client does: a signed upgrade request, {@code open}
 * at PT0S offering stereo PCMU 8 kHz with the call's metadata in {@code customConfig}, binary
 * audio frames paced in real time divided by the speed, a {@code ping} (with the last round trip)
 * every few seconds, then {@code close} reason "end" and the wait for {@code closed}, after which
 * the client closes the socket.
 *
 * <p>Server requests are honoured as a Genesys client would: {@code pause} is answered with
 * {@code paused} and audio is held until {@code resume} (then {@code resumed}, nothing discarded);
 * {@code disconnect} and {@code reconnect} end the stream with {@code close} reason "disconnect" /
 * "reconnect". A call closed cleanly only when {@code closed} arrived and the server never
 * disconnected it.
 */
public final class AudioHookClient implements CallClient {

    /** Genesys sends about 100 ms of audio per frame. */
    public static final int DEFAULT_FRAME_MS = 100;
    /** Genesys pings every few seconds; the server's idle timeout is far longer. */
    public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(5);
    /** How long to wait for any answer of the server (opened, closed, a send to complete). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** The organization id sent when none is configured. */
    public static final String DEFAULT_ORGANIZATION_ID = "5b1d8a0e-0000-4000-8000-0000ea75407a";

    /**
     * @param url          the server's AudioHook endpoint ({@code ws://host:port/audiohook})
     * @param apiKey       sent as {@code X-API-KEY} and as the signature's {@code keyid}
     * @param clientSecret base64 client secret that signs the upgrade; empty for none
     * @param speed        real-time multiple; 0 = as fast as possible
     */
    public record Config(URI url, String apiKey, String clientSecret, String organizationId, int frameMs,
                         double speed, Duration pingInterval, Duration timeout) {
        public Config {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(apiKey, "apiKey");
            Objects.requireNonNull(clientSecret, "clientSecret");
            Objects.requireNonNull(organizationId, "organizationId");
            if (frameMs <= 0) {
                throw new IllegalArgumentException("frame length must be positive, not " + frameMs + " ms");
            }
            new Pacer(speed, System::nanoTime); // validates the speed
        }

        public static Config of(URI url, String apiKey, String clientSecret, double speed) {
            return new Config(url, apiKey, clientSecret, DEFAULT_ORGANIZATION_ID, DEFAULT_FRAME_MS, speed,
                    DEFAULT_PING_INTERVAL, DEFAULT_TIMEOUT);
        }
    }

    private final Config config;
    private final HttpClient http;
    private final Clock clock;

    public AudioHookClient(Config config, HttpClient http, Clock clock) {
        this.config = Objects.requireNonNull(config);
        this.http = Objects.requireNonNull(http);
        this.clock = Objects.requireNonNull(clock);
    }

    @Override
    public CallResult stream(SimulatedCall call, FrameListener frames) throws InterruptedException {
        return new Run(call, frames).execute();
    }

    /** The state of one call's stream; confined to the calling thread. */
    private final class Run {
        private final SimulatedCall call;
        private final FrameListener frames;
        private final String sessionId = UUID.randomUUID().toString();
        private final List<String> serverErrors = new ArrayList<>();
        private SimSocket socket;
        private long seq;
        private long serverSeq;
        private long samplesSent;
        private long framesSent;
        private long openedLatency = -1;
        private long pingSentAt = -1;
        private Duration rtt;
        private String failure;
        /** Set when the server asked to end the stream: the close reason to send. */
        private String endReason;
        private boolean closing;

        Run(SimulatedCall call, FrameListener frames) {
            this.call = call;
            this.frames = frames;
        }

        CallResult execute() throws InterruptedException {
            Map<String, String> headers = AudioHookFrames.upgradeHeaders(config.url(), config.organizationId(),
                    sessionId, UUID.randomUUID().toString(), config.apiKey(), config.clientSecret(), clock.instant(),
                    UUID.randomUUID().toString());
            try {
                socket = SimSocket.connect(http, config.url(), headers, config.timeout());
            } catch (SimSocket.ConnectFailure e) {
                return result(false, -1, e.getMessage());
            }
            try {
                boolean closed = converse();
                SimSocket.ServerClose close = socket.closeNormally();
                int code = close == null ? -1 : close.code();
                return result(closed && endReason == null && failure == null, code, failure);
            } catch (SimSocket.SendFailure e) {
                socket.abort();
                SimSocket.ServerClose close = socket.serverClose();
                fail(e.getMessage() + (close == null ? "" : " (server closed " + close.code() + " " + close.reason() + ")"));
                return result(false, close == null ? -1 : close.code(), failure);
            } catch (InterruptedException e) {
                socket.abort();
                throw e;
            }
        }

        /** open, audio, close; true when the server answered the close with closed. */
        private boolean converse() throws InterruptedException, SimSocket.SendFailure {
            long openSent = System.nanoTime();
            socket.sendText(AudioHookFrames.open(sessionId, config.organizationId(), call));
            seq = 1;
            if (!awaitType("opened")) {
                return endStream();
            }
            openedLatency = System.nanoTime() - openSent;
            short[] agent = call.audio().agent();
            short[] customer = call.audio().customer();
            int frameSamples = config.frameMs() * SimulatedCall.SAMPLE_RATE / 1000;
            Pacer pacer = new Pacer(config.speed(), System::nanoTime);
            pacer.start();
            long lastPing = System.nanoTime();
            for (int from = 0; from < agent.length && endReason == null; from += frameSamples) {
                long mediaMs = from * 1000L / SimulatedCall.SAMPLE_RATE;
                pacer.awaitMedia(mediaMs);
                if (!drainServer() || endReason != null) {
                    break;
                }
                int to = Math.min(agent.length, from + frameSamples);
                socket.sendBinary(AudioHookFrames.audio(customer, agent, from, to));
                frames.onFrameSent(call.callId(), mediaMs, epochNanos());
                framesSent++;
                samplesSent = to;
                if (System.nanoTime() - lastPing >= config.pingInterval().toNanos()) {
                    pingSentAt = System.nanoTime();
                    socket.sendText(AudioHookFrames.ping(sessionId, ++seq, serverSeq, position(), rtt));
                    lastPing = pingSentAt;
                }
            }
            return endStream();
        }

        /** Sends close (reason "end" unless the server asked otherwise) and waits for closed. */
        private boolean endStream() throws InterruptedException, SimSocket.SendFailure {
            if (socket.serverClose() != null) {
                SimSocket.ServerClose c = socket.serverClose();
                fail("server closed the socket: " + c.code() + " " + c.reason());
                return false;
            }
            closing = true;
            socket.sendText(AudioHookFrames.close(sessionId, ++seq, serverSeq, position(),
                    endReason == null ? "end" : endReason));
            return awaitType("closed");
        }

        /** Handles server messages until one of {@code type} arrives; false on timeout or socket close. */
        private boolean awaitType(String type) throws InterruptedException, SimSocket.SendFailure {
            long deadline = System.nanoTime() + config.timeout().toNanos();
            while (true) {
                long left = deadline - System.nanoTime();
                String text = left > 0 ? socket.nextText(Duration.ofNanos(Math.min(left, 50_000_000L))) : null;
                if (text != null) {
                    if (handle(text).equals(type)) {
                        return true;
                    }
                    if (endReason != null && !type.equals("closed")) {
                        return false; // e.g. a disconnect instead of opened: go straight to close
                    }
                    continue;
                }
                if (socket.serverClose() != null) {
                    SimSocket.ServerClose c = socket.serverClose();
                    fail("server closed the socket before '" + type + "': " + c.code() + " " + c.reason());
                    return false;
                }
                if (left <= 0) {
                    fail("no '" + type + "' from the server within " + config.timeout());
                    return false;
                }
            }
        }

        /** Handles what the server sent meanwhile; false when the server closed the socket. */
        private boolean drainServer() throws InterruptedException, SimSocket.SendFailure {
            for (String text = socket.pollText(); text != null; text = socket.pollText()) {
                handle(text);
            }
            if (socket.serverClose() != null) {
                SimSocket.ServerClose c = socket.serverClose();
                fail("server closed the socket mid-stream: " + c.code() + " " + c.reason());
                return false;
            }
            return true;
        }

        /** Reacts to one server message; returns its type. */
        private String handle(String text) throws InterruptedException, SimSocket.SendFailure {
            AudioHookFrames.ServerMessage m;
            try {
                m = AudioHookFrames.parseServer(text);
            } catch (IllegalArgumentException e) {
                serverErrors.add(e.getMessage());
                fail(e.getMessage());
                endReason = "error";
                return "";
            }
            serverSeq = Math.max(serverSeq, m.seq());
            switch (m.type()) {
                case "pong" -> {
                    if (pingSentAt >= 0) {
                        rtt = Duration.ofNanos(System.nanoTime() - pingSentAt);
                    }
                }
                case "disconnect" -> {
                    String why = "server disconnected: " + m.reason() + (m.info() == null ? "" : " (" + m.info() + ")");
                    serverErrors.add(why);
                    fail(why);
                    endReason = "disconnect";
                }
                case "reconnect" -> {
                    String why = "server asked to reconnect" + (m.info() == null ? "" : " (" + m.info() + ")");
                    serverErrors.add(why);
                    fail(why);
                    endReason = "reconnect";
                }
                case "pause" -> {
                    if (!closing) { // after close the session is ending; there is no stream left to pause
                        holdWhilePaused();
                    }
                }
                default -> {
                    // opened, closed, updated, resume: handled by whoever waits for them
                }
            }
            return m.type();
        }

        private void holdWhilePaused() throws InterruptedException, SimSocket.SendFailure {
            socket.sendText(AudioHookFrames.paused(sessionId, ++seq, serverSeq, position()));
            // A live call keeps running while paused; the simulator holds the audio instead, so the
            // server still receives every sample, and waits as long as the server wants.
            while (endReason == null) {
                String text = socket.nextText(Duration.ofMillis(50));
                if (text != null && handle(text).equals("resume")) {
                    socket.sendText(AudioHookFrames.resumed(sessionId, ++seq, serverSeq, position()));
                    return;
                }
                if (text == null && socket.serverClose() != null) {
                    return;
                }
            }
        }

        private Duration position() {
            return AudioHookCodec.samplesToDuration(samplesSent, SimulatedCall.SAMPLE_RATE);
        }

        private long epochNanos() {
            var now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        }

        private void fail(String reason) {
            if (failure == null) {
                failure = reason;
            }
        }

        private CallResult result(boolean clean, int closeCode, String why) {
            if (why != null && serverErrors.isEmpty()) {
                serverErrors.add(why);
            }
            return new CallResult(call.callId(), openedLatency, framesSent, samplesSent, clean, closeCode,
                    clean ? null : (why == null ? "session did not close cleanly" : why), serverErrors);
        }
    }
}
