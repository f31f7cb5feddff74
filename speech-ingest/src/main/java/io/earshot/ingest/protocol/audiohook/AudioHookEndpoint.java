package io.earshot.ingest.protocol.audiohook;

import io.earshot.ingest.protocol.LogSafe;
import java.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import io.earshot.ingest.protocol.IngestLimits;
import io.earshot.ingest.protocol.MessageRate;
import io.earshot.ingest.protocol.SerialEndpoint;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketCreator;

/**
 * Glues one AudioHook WebSocket (Jetty 12) to one {@link AudioHookSession}: the only class of this
 * package that knows the WebSocket library.
 *
 * <p>The HTTP upgrade request is checked by {@link AudioHookAuth} over its method, target
 * (path and query) and headers; a refused request gets the auth's HTTP status (401 or 403) with
 * the outcome as the reason and is never upgraded. After the upgrade, text frames go to
 * {@link AudioHookSession#onText}, binary frames to {@link AudioHookSession#onBinary}, and what
 * the session emits is written to the socket. The session answers protocol violations itself
 * (a {@code disconnect} message); if the glue or the listener factory fails, the failure is
 * logged and the socket is closed with 1011, so nothing thrown escapes a socket callback. A
 * socket that closes before the close transaction completed (client gone, idle, 1011) is
 * reported to the listener as {@link AudioHookListener#onError} with code -1, so the caller can
 * end the call.
 *
 * <p>Idle: the session tracks client activity (Genesys pings every few seconds); a scheduled
 * check closes the socket with 1008 once {@link AudioHookSession#isIdleFor} the configured
 * timeout. Session calls from the socket and from that check are serialised on the endpoint, so
 * the single-threaded session sees one caller at a time. Each connection has its own endpoint,
 * session and listener; nothing is shared between connections except the thread-safe auth.
 *
 * <p>{@link IngestLimits}: the session bounds media time; each connection's messages (text and
 * binary) are bounded by a {@link MessageRate}, and a connection over it gets {@code disconnect}
 * reason {@code error}. The listener factory learns the authenticated API key, so the caller can
 * bound calls per key.
 */
public final class AudioHookEndpoint extends SerialEndpoint<AudioHookSession> {

    /** 60 s without any message: several missed Genesys pings, the client is gone. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

    private static final System.Logger LOG = System.getLogger(AudioHookEndpoint.class.getName());

    /** Makes the listener for each accepted connection; the caller decides where audio goes. */
    @FunctionalInterface
    public interface ListenerFactory {
        /**
         * @param sessionId the {@code Audiohook-Session-Id} header, or null if absent
         * @param remote    the client's address
         */
        AudioHookListener newListener(String sessionId, SocketAddress remote);

        /**
         * As {@link #newListener(String, SocketAddress)}, told the API key the upgrade was
         * authenticated with; factories that bound calls per key override this one.
         */
        default AudioHookListener newListener(String sessionId, String apiKey, SocketAddress remote) {
            return newListener(sessionId, remote);
        }
    }

    /** Per-server settings shared by all AudioHook connections. */
    public record Settings(AudioHookAuth auth, AudioHookSession.Limits limits, Duration idleTimeout,
                           Clock clock, ListenerFactory listenerFactory) {
        public Settings {
            Objects.requireNonNull(auth, "auth");
            Objects.requireNonNull(limits, "limits");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(listenerFactory, "listenerFactory");
            if (idleTimeout.isNegative() || idleTimeout.isZero()) {
                throw new IllegalArgumentException("idleTimeout must be positive");
            }
        }

        public static Settings of(AudioHookAuth auth, ListenerFactory listenerFactory) {
            return new Settings(auth, AudioHookSession.Limits.defaults(), DEFAULT_IDLE_TIMEOUT,
                    Clock.systemUTC(), listenerFactory);
        }
    }

    /**
     * The creator the WebSocket container calls for each upgrade request on the AudioHook path:
     * authenticates, then either writes the refusal (no upgrade) or returns a new endpoint.
     */
    public static WebSocketCreator creator(Settings settings, ScheduledExecutorService scheduler) {
        return creator(settings, IngestLimits.defaults(), scheduler);
    }

    /** As {@link #creator(Settings, ScheduledExecutorService)}, with these per-call bounds. */
    public static WebSocketCreator creator(Settings settings, IngestLimits limits, ScheduledExecutorService scheduler) {
        Objects.requireNonNull(settings);
        Objects.requireNonNull(limits);
        Objects.requireNonNull(scheduler);
        return (request, response, callback) -> {
            Map<String, String> headers = new LinkedHashMap<>();
            for (HttpField field : request.getHeaders()) {
                headers.merge(field.getName(), field.getValue(), (a, b) -> a + ", " + b);
            }
            if (headers.keySet().stream().noneMatch("host"::equalsIgnoreCase)
                    && request.getHttpURI().getAuthority() != null) {
                headers.put("Host", request.getHttpURI().getAuthority());
            }
            AudioHookAuth.Result result = settings.auth().verify(request.getMethod(),
                    request.getHttpURI().getPathQuery(), headers);
            if (!result.accepted()) {
                LOG.log(System.Logger.Level.INFO, "AudioHook upgrade refused: {0} ({1})",
                        result.outcome(), LogSafe.quote(result.detail()));
                // The log names the failed check; the caller gets only the status, so it cannot tell
                // an unknown API key from a bad signature.
                Response.writeError(request, response, callback, result.httpStatus(),
                        org.eclipse.jetty.http.HttpStatus.getMessage(result.httpStatus()));
                return null;
            }
            String sessionId = headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase("audiohook-session-id"))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
            String apiKey = headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase("x-api-key"))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
            return new AudioHookEndpoint(settings, limits, scheduler, sessionId, apiKey);
        };
    }

    private final Settings settings;
    private final IngestLimits limits;
    private final String sessionId;
    private final String apiKey;
    private AudioHookListener listener;

    private AudioHookEndpoint(Settings settings, IngestLimits limits, ScheduledExecutorService scheduler,
            String sessionId, String apiKey) {
        super(LOG, scheduler, new MessageRate(limits.maxMessagesPerSecond(), limits.messageBurst(), System::nanoTime));
        this.settings = settings;
        this.limits = limits;
        this.sessionId = sessionId;
        this.apiKey = apiKey;
    }

    @Override
    protected AudioHookSession open(Session socket) {
        // Let the session answer moderately oversized frames with its own disconnect;
        // the container's limits only bound memory.
        socket.setMaxBinaryMessageSize(2L * settings.limits().maxFrameBytes());
        socket.setMaxTextMessageSize(3L * settings.limits().maxTextChars());
        socket.setIdleTimeout(settings.idleTimeout().multipliedBy(2));
        listener = settings.listenerFactory().newListener(sessionId, apiKey, socket.getRemoteSocketAddress());
        return new AudioHookSession(sessionId, settings.limits(), limits, new SocketChannel(socket), listener,
                settings.clock());
    }

    @Override
    protected long taskPeriodMs() {
        return Math.max(10, settings.idleTimeout().toMillis() / 4);
    }

    /** The idle check. */
    @Override
    protected void onTask(AudioHookSession session, Session socket) {
        if (socket.isOpen() && session.isIdleFor(settings.idleTimeout())) {
            LOG.log(System.Logger.Level.INFO, "AudioHook session {0} idle, closing", LogSafe.quote(sessionId));
            socket.close(AudioHookSession.CLOSE_POLICY_VIOLATION, "Idle timeout", Callback.NOOP);
            stopTask();
        }
    }

    @Override
    protected void onText(AudioHookSession session, String text) {
        session.onText(text);
    }

    @Override
    protected void onBinary(AudioHookSession session, Session socket, byte[] frame) {
        session.onBinary(frame);
    }

    @Override
    protected void onRateExceeded(AudioHookSession session, Session socket) {
        session.rateExceeded("Message rate above " + limits.maxMessagesPerSecond() + " per second (burst "
                + limits.messageBurst() + ")");
    }

    /** The server is going away: the call ends with what it has, the client is told to close. */
    @Override
    protected void onAskToEnd(AudioHookSession session, Session socket, String reason) {
        session.endByServer(reason);
    }

    @Override
    protected void onClosed(AudioHookSession session, int statusCode, String reason) {
        AudioHookSession.State state = session.state();
        if (state != AudioHookSession.State.CLOSED) {
            listener.onError(-1, "socket closed (" + statusCode + " " + reason + ") in state " + state);
        }
    }

    @Override
    protected String describe() {
        return "AudioHook session " + sessionId;
    }

    /** Writes what the session emits to the socket; sends are queued by the container. */
    private record SocketChannel(Session socket) implements AudioHookChannel {
        @Override
        public void sendText(String json) {
            socket.sendText(json, Callback.NOOP);
        }

        @Override
        public void sendClose(int code, String reason) {
            socket.close(code, reason, Callback.NOOP);
        }
    }
}
