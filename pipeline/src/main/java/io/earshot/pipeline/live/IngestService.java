package io.earshot.pipeline.live;

import io.earshot.ingest.protocol.IngestServer;
import io.earshot.ingest.protocol.audiohook.AudioHookListener;
import io.earshot.ingest.protocol.audiohook.AudioHookAuth;
import io.earshot.ingest.protocol.audiohook.AudioHookEndpoint;
import io.earshot.ingest.protocol.twilio.Messages.Track;
import io.earshot.ingest.protocol.twilio.TwilioAuth;
import io.earshot.ingest.protocol.twilio.TwilioEndpoint;
import io.earshot.ingest.protocol.twilio.TwilioSessionConfig;
import java.net.SocketAddress;
import java.net.URI;
import java.time.Duration;

/**
 * The telephony-facing side of live ingest: one WebSocket server with the AudioHook and Twilio
 * paths, each accepted connection becoming a call of the {@link CallRegistry}. Closing it stops
 * accepting, closes the sockets (their calls end with what they have) and waits for every call
 * to publish its end.
 */
public final class IngestService implements AutoCloseable {

    /**
     * @param audioHookAuth null to leave the AudioHook path unserved
     * @param twilioAuth    how Twilio upgrades are authenticated (required when the path is served)
     * @param twilioAgentTrack which Twilio track is the agent; null to leave the Twilio path unserved
     */
    public record Settings(IngestServer.Config server, AudioHookAuth.Config audioHookAuth,
                           TwilioAuth twilioAuth, Track twilioAgentTrack) {
        public Settings {
            if (twilioAgentTrack != null && twilioAuth == null) {
                throw new IllegalArgumentException("the Twilio path needs its authentication (TwilioAuth.none() to"
                        + " accept every upgrade)");
            }
        }
    }

    private final CallRegistry calls;
    private final IngestServer server;

    private IngestService(CallRegistry calls, IngestServer server) {
        this.calls = calls;
        this.server = server;
    }

    public static IngestService start(Settings settings, CallRegistry calls) throws Exception {
        return start(settings, calls, java.util.List.of());
    }

    /** As {@link #start(Settings, CallRegistry)}, serving plain HTTP {@code extra} handlers (health, metrics) too. */
    public static IngestService start(Settings settings, CallRegistry calls,
            java.util.List<org.eclipse.jetty.server.Handler> extra) throws Exception {
        AudioHookEndpoint.Settings audioHook = null;
        if (settings.audioHookAuth() != null) {
            AudioHookAuth auth = new AudioHookAuth(settings.audioHookAuth(), calls.clock());
            audioHook = AudioHookEndpoint.Settings.of(auth, new AudioHookEndpoint.ListenerFactory() {
                @Override
                public AudioHookListener newListener(String sessionId, SocketAddress remote) {
                    return new AudioHookCallListener(calls);
                }

                @Override
                public AudioHookListener newListener(String sessionId, String apiKey, SocketAddress remote) {
                    return new AudioHookCallListener(calls, apiKey);
                }
            });
        }
        TwilioEndpoint.Settings twilio = null;
        if (settings.twilioAgentTrack() != null) {
            TwilioSessionConfig defaults = TwilioSessionConfig.defaults();
            // one gap bound for every protocol
            int maxGapMs = (int) Math.min(Integer.MAX_VALUE, settings.server().limits().maxGap().toMillis());
            TwilioSessionConfig session = new TwilioSessionConfig(settings.twilioAgentTrack(), defaults.maxLagMs(),
                    Math.max(defaults.maxLagMs(), maxGapMs), defaults.maxMessageChars());
            twilio = new TwilioEndpoint.Settings(session, TwilioEndpoint.DEFAULT_POLL_INTERVAL,
                    settings.twilioAuth(), calls.clock(),
                    remote -> new TwilioCallListener(calls, settings.twilioAgentTrack()));
        }
        IngestServer server = new IngestServer(settings.server(), audioHook, twilio, extra).start();
        return new IngestService(calls, server);
    }

    public CallRegistry calls() {
        return calls;
    }

    public URI audioHookUri() {
        return server.uri(IngestServer.AUDIOHOOK_PATH);
    }

    public URI twilioUri() {
        return server.uri(IngestServer.TWILIO_PATH);
    }

    public int port() {
        return server.port();
    }

    /** The server behind this service: draining, open connections. */
    public IngestServer server() {
        return server;
    }

    @Override
    public void close() {
        server.close();
        calls.shutdown(Duration.ofSeconds(60));
    }
}
