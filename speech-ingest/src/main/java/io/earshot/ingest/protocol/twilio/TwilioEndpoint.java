package io.earshot.ingest.protocol.twilio;

import io.earshot.ingest.protocol.LogSafe;
import java.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import io.earshot.ingest.protocol.IngestLimits;
import io.earshot.ingest.protocol.MessageRate;
import io.earshot.ingest.protocol.SerialEndpoint;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketCreator;

/**
 * Glues one Twilio Media Streams WebSocket (Jetty 12) to one {@link TwilioSession}: the only class
 * of this package that knows the WebSocket library.
 *
 * <p>Text frames go to {@link TwilioSession#onText}; the session closes the socket itself on a
 * protocol violation (1002/1003/1009). Binary frames are not part of the protocol and close the
 * socket with 1003. A text message longer than {@link TwilioSessionConfig#maxMessageChars()} is
 * answered by the session with 1009 after the whole frame is read, so the close is a clean
 * handshake the client sees even while it is still writing. The container's limit (twice that, in
 * bytes) only bounds memory: beyond it the container closes with 1009 before buffering the frame
 * and drops the connection, and a client still writing may see the connection reset instead of
 * the close. A scheduled task calls {@link TwilioSession#poll()} every
 * {@code pollInterval} so buffered audio of a stalled track is released within the lag bound;
 * socket callbacks and polls are serialised on the endpoint because the session is
 * single-threaded. If the glue or the listener factory fails, the failure is logged and the
 * socket is closed with 1011; nothing thrown escapes a socket callback.
 *
 * <p>Authentication: every upgrade is checked by the {@link TwilioAuth} of the settings (Twilio's
 * {@code X-Twilio-Signature}, a shared token, or explicitly none) before a session exists; a
 * refused upgrade gets 401 with no body that says which check failed, and the reason goes to the
 * log. With a signature the session also requires the stream's {@code start.accountSid} to be the
 * account whose auth token signed the upgrade.
 *
 * <p>{@link IngestLimits}: the session bounds media time; each connection's messages are bounded
 * by a {@link MessageRate}, and a connection over it is closed with 1008. Binary frames are
 * limited to the text limit, since any binary frame is refused anyway.
 */
public final class TwilioEndpoint extends SerialEndpoint<TwilioSession> {

    public static final String TOKEN_HEADER = TwilioAuth.TOKEN_HEADER;
    public static final String TOKEN_PARAMETER = TwilioAuth.TOKEN_PARAMETER;
    /** 100 ms: a fifth of the default 500 ms lag bound, so a stalled track costs at most 600 ms. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(100);

    private static final System.Logger LOG = System.getLogger(TwilioEndpoint.class.getName());

    /** Makes the listener for each accepted stream; the caller decides where audio goes. */
    @FunctionalInterface
    public interface ListenerFactory {
        TwilioListener newListener(SocketAddress remote);
    }

    /**
     * Per-server settings shared by all Twilio connections.
     *
     * @param auth how upgrade requests are authenticated (see class comment)
     */
    public record Settings(TwilioSessionConfig sessionConfig, Duration pollInterval, TwilioAuth auth,
                           Clock clock, ListenerFactory listenerFactory) {
        public Settings {
            Objects.requireNonNull(sessionConfig, "sessionConfig");
            Objects.requireNonNull(auth, "auth");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(listenerFactory, "listenerFactory");
            if (pollInterval.isNegative() || pollInterval.isZero()) {
                throw new IllegalArgumentException("pollInterval must be positive");
            }
        }

        public static Settings of(TwilioAuth auth, ListenerFactory listenerFactory) {
            return new Settings(TwilioSessionConfig.defaults(), DEFAULT_POLL_INTERVAL, auth,
                    Clock.systemUTC(), listenerFactory);
        }
    }

    /** The creator the WebSocket container calls for each upgrade request on the Twilio path. */
    public static WebSocketCreator creator(Settings settings, ScheduledExecutorService scheduler) {
        return creator(settings, IngestLimits.defaults(), scheduler);
    }

    /** As {@link #creator(Settings, ScheduledExecutorService)}, with these per-call bounds. */
    public static WebSocketCreator creator(Settings settings, IngestLimits limits, ScheduledExecutorService scheduler) {
        Objects.requireNonNull(settings);
        Objects.requireNonNull(limits);
        Objects.requireNonNull(scheduler);
        return (request, response, callback) -> {
            TwilioAuth.Verdict verdict = settings.auth().verify(new UpgradeRequest(request));
            if (!verdict.accepted()) {
                LOG.log(System.Logger.Level.INFO, "Twilio upgrade from {0} refused: {1}",
                        Request.getRemoteAddr(request), LogSafe.quote(verdict.detail()));
                Response.writeError(request, response, callback, HttpStatus.UNAUTHORIZED_401,
                        HttpStatus.getMessage(HttpStatus.UNAUTHORIZED_401));
                return null;
            }
            return new TwilioEndpoint(settings, limits, scheduler, verdict.accountSid());
        };
    }

    private final Settings settings;
    private final IngestLimits limits;
    private final String accountSid;

    private TwilioEndpoint(Settings settings, IngestLimits limits, ScheduledExecutorService scheduler,
            String accountSid) {
        super(LOG, scheduler, new MessageRate(limits.maxMessagesPerSecond(), limits.messageBurst(), System::nanoTime));
        this.settings = settings;
        this.limits = limits;
        this.accountSid = accountSid;
    }

    @Override
    protected TwilioSession open(Session socket) {
        // The session answers moderately oversized messages with its own 1009 after reading them;
        // the container's limits only bound memory.
        socket.setMaxTextMessageSize(2L * settings.sessionConfig().maxMessageChars());
        socket.setMaxBinaryMessageSize(2L * settings.sessionConfig().maxMessageChars());
        TwilioListener listener = settings.listenerFactory().newListener(socket.getRemoteSocketAddress());
        return new TwilioSession(new SocketChannel(socket), listener, settings.clock(), settings.sessionConfig(), limits,
                accountSid);
    }

    @Override
    protected long taskPeriodMs() {
        return settings.pollInterval().toMillis();
    }

    /** Releases buffered audio of a stalled track within the lag bound. */
    @Override
    protected void onTask(TwilioSession session, Session socket) {
        session.poll();
    }

    @Override
    protected void onText(TwilioSession session, String text) {
        session.onText(text);
    }

    @Override
    protected void onBinary(TwilioSession session, Session socket, byte[] frame) {
        socket.close(TwilioSession.CLOSE_UNSUPPORTED_DATA, TwilioSession.publicReason(TwilioSession.CLOSE_UNSUPPORTED_DATA),
                Callback.NOOP);
    }

    @Override
    protected void onRateExceeded(TwilioSession session, Session socket) {
        session.rateExceeded("message rate above " + limits.maxMessagesPerSecond() + " per second (burst "
                + limits.messageBurst() + ")");
    }

    /** The server is going away: the call ends with what it has and the socket is closed (1001). */
    @Override
    protected void onAskToEnd(TwilioSession session, Session socket, String reason) {
        session.endByServer(reason);
    }

    @Override
    protected void onClosed(TwilioSession session, int statusCode, String reason) {
        session.onTransportClosed(statusCode, reason);
    }

    @Override
    protected String describe() {
        return "Twilio stream";
    }

    /** The Jetty request as {@link TwilioAuth} reads it. */
    private record UpgradeRequest(Request request) implements TwilioAuth.Request {
        @Override
        public String header(String name) {
            return request.getHeaders().get(name);
        }

        @Override
        public String queryParameter(String name) {
            return Request.extractQueryParameters(request).getValue(name);
        }

        @Override
        public boolean secure() {
            return request.isSecure();
        }

        @Override
        public String host() {
            String host = request.getHeaders().get("Host");
            return host != null ? host : request.getHttpURI().getAuthority();
        }

        @Override
        public String pathQuery() {
            return request.getHttpURI().getPathQuery();
        }
    }

    /** Writes what the session emits to the socket; sends are queued by the container. */
    private record SocketChannel(Session socket) implements TwilioChannel {
        @Override
        public void sendText(String text) {
            socket.sendText(text, Callback.NOOP);
        }

        @Override
        public void close(int code, String reason) {
            socket.close(code, reason, Callback.NOOP);
        }
    }
}
