package io.earshot.pipeline.simulate;

import io.earshot.ingest.protocol.twilio.TwilioAuth;
import io.earshot.ingest.protocol.twilio.TwilioEndpoint;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Streams calls as Twilio Media Streams do ({@code <Stream track="both_tracks">}): {@code connected},
 * {@code start} with the call's metadata as custom parameters, one {@code media} message per track
 * every frame (20 ms by default, as Twilio sends), paced in real time divided by the speed, then
 * {@code stop} and a normal close of the socket. With an auth token the upgrade carries
 * {@code X-Twilio-Signature} computed over the URL as Twilio computes it, so a server that checks
 * signatures accepts it.
 *
 * <p>Twilio's protocol has no acknowledgements: the server signals a problem only by closing the
 * socket with an error code. A call therefore closed cleanly when the socket was still open after
 * {@code stop} and the server answered the client's close with 1000. There is no opened latency to
 * measure (reported as -1).
 */
public final class TwilioClient implements CallClient {

    /** Twilio sends 20 ms of audio per media message. */
    public static final int DEFAULT_FRAME_MS = 20;

    /**
     * @param url   the server's Twilio endpoint ({@code ws://host:port/twilio})
     * @param token     sent as {@code X-Earshot-Token} when not empty (the server's {@code twilio.auth: token})
     * @param speed     real-time multiple; 0 = as fast as possible
     * @param authToken the Twilio auth token that signs the upgrade over {@code url} when not empty
     *                  (the server's {@code twilio.auth: signature})
     */
    public record Config(URI url, String token, int frameMs, double speed, Duration timeout, String authToken) {
        public Config {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(timeout, "timeout");
            Objects.requireNonNull(authToken, "authToken");
            if (frameMs <= 0) {
                throw new IllegalArgumentException("frame length must be positive, not " + frameMs + " ms");
            }
            new Pacer(speed, System::nanoTime); // validates the speed
        }

        /** Unauthenticated: only for a server with {@code twilio.auth: none}. */
        public static Config of(URI url, double speed) {
            return new Config(url, "", DEFAULT_FRAME_MS, speed, AudioHookClient.DEFAULT_TIMEOUT, "");
        }

        /** Signed with this auth token, as Twilio signs. */
        public Config withAuthToken(String twilioAuthToken) {
            return new Config(url, token, frameMs, speed, timeout, twilioAuthToken);
        }

        /** Carrying this shared token. */
        public Config withToken(String sharedToken) {
            return new Config(url, sharedToken, frameMs, speed, timeout, authToken);
        }
    }

    private final Config config;
    private final HttpClient http;
    private final Clock clock;

    public TwilioClient(Config config, HttpClient http, Clock clock) {
        this.config = Objects.requireNonNull(config);
        this.http = Objects.requireNonNull(http);
        this.clock = Objects.requireNonNull(clock);
    }

    @Override
    public CallResult stream(SimulatedCall call, FrameListener frames) throws InterruptedException {
        Map<String, String> headers = new LinkedHashMap<>();
        if (!config.token().isEmpty()) {
            headers.put(TwilioEndpoint.TOKEN_HEADER, config.token());
        }
        if (!config.authToken().isEmpty()) {
            headers.put(TwilioAuth.SIGNATURE_HEADER, TwilioAuth.sign(config.authToken(), config.url().toString()));
        }
        List<String> serverErrors = new ArrayList<>();
        SimSocket socket;
        try {
            socket = SimSocket.connect(http, config.url(), headers, config.timeout());
        } catch (SimSocket.ConnectFailure e) {
            serverErrors.add(e.getMessage());
            return new CallResult(call.callId(), -1, 0, 0, false, -1, e.getMessage(), serverErrors);
        }
        TwilioFrames messages = new TwilioFrames(call.callId());
        short[] agent = call.audio().agent();
        short[] customer = call.audio().customer();
        int frameSamples = config.frameMs() * SimulatedCall.SAMPLE_RATE / 1000;
        long framesSent = 0;
        long samplesSent = 0;
        String failure = null;
        try {
            socket.sendText(messages.connected());
            socket.sendText(messages.start(call));
            Pacer pacer = new Pacer(config.speed(), System::nanoTime);
            pacer.start();
            for (int from = 0; from < agent.length; from += frameSamples) {
                long mediaMs = from * 1000L / SimulatedCall.SAMPLE_RATE;
                pacer.awaitMedia(mediaMs);
                if (socket.serverClose() != null) {
                    break;
                }
                int to = Math.min(agent.length, from + frameSamples);
                for (String media : messages.media(customer, agent, from, to)) {
                    socket.sendText(media);
                }
                frames.onFrameSent(call.callId(), mediaMs, epochNanos());
                framesSent++;
                samplesSent = to;
            }
            if (socket.serverClose() == null) {
                socket.sendText(messages.stop());
            }
        } catch (SimSocket.SendFailure e) {
            failure = e.getMessage();
        } catch (InterruptedException e) {
            socket.abort();
            throw e;
        }
        SimSocket.ServerClose early = socket.serverClose();
        SimSocket.ServerClose close = early != null ? early : socket.closeNormally();
        boolean clean = failure == null && early == null && close != null && close.code() == 1000;
        if (early != null) {
            failure = "server closed the stream: " + early.code() + " " + early.reason();
        } else if (close == null) {
            failure = failure != null ? failure : "server did not answer the close within " + config.timeout();
        } else if (close.code() != 1000) {
            failure = "server closed the stream: " + close.code() + " " + close.reason();
        }
        if (!clean && failure != null) {
            serverErrors.add(failure);
        }
        return new CallResult(call.callId(), -1, framesSent, samplesSent, clean, close == null ? -1 : close.code(),
                clean ? null : failure, serverErrors);
    }

    private long epochNanos() {
        var now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
