package io.earshot.ingest.protocol;

import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * What every protocol endpoint needs from its WebSocket glue: one single-threaded protocol
 * session per socket, called from the socket's callbacks and from one periodic task (idle
 * check, lag poll) one caller at a time; and nothing thrown ever escaping a callback. If the
 * glue, the listener or the session fails, the failure is logged, the session is dropped and
 * the socket closed with 1011. Subclasses say how to make the session and what each callback
 * means for it.
 *
 * <p>The periodic task runs on a timer thread shared by every connection, so it never waits for
 * a connection's lock: when the socket's thread holds it (a long frame, a slow listener), that
 * tick is skipped and the next one tries again. Messages beyond the connection's
 * {@link MessageRate} are dropped before they reach the session; the first of a run of dropped
 * messages is reported through {@link #onRateExceeded}, so the caller gets its protocol's error.
 *
 * @param <S> the protocol session type
 */
public abstract class SerialEndpoint<S> implements Session.Listener.AutoDemanding {

    /** Close code when the session or the glue itself fails (RFC 6455: internal error). */
    public static final int CLOSE_INTERNAL_ERROR = 1011;

    private final System.Logger log;
    private final ScheduledExecutorService scheduler;
    private final ReentrantLock lock = new ReentrantLock();
    private final MessageRate rate;
    private Session socket;
    private S session;
    private ScheduledFuture<?> task;
    private boolean overRate;
    /** The server's set of open connections, which this one is in from open to close; null for none. */
    private volatile Set<SerialEndpoint<?>> openSet;

    protected SerialEndpoint(System.Logger log, ScheduledExecutorService scheduler) {
        this(log, scheduler, null);
    }

    /** @param rate the connection's message rate bound, or null for none */
    protected SerialEndpoint(System.Logger log, ScheduledExecutorService scheduler, MessageRate rate) {
        this.log = log;
        this.scheduler = scheduler;
        this.rate = rate;
    }

    /** Creates the session for a freshly opened socket (and its listener); may throw. */
    protected abstract S open(Session socket);

    /** Period of {@link #onTask}, in milliseconds. */
    protected abstract long taskPeriodMs();

    /** The periodic task; {@link #stopTask()} ends it. */
    protected abstract void onTask(S session, Session socket);

    protected abstract void onText(S session, String text);

    protected abstract void onBinary(S session, Session socket, byte[] frame);

    /** The socket closed, by either side; the session is dropped afterwards. */
    protected abstract void onClosed(S session, int statusCode, String reason);

    /** Names the connection in log messages. */
    protected abstract String describe();

    /**
     * The server is going away: ask the client to end the stream the way its protocol allows
     * and end the call with what it has. By default the socket is closed with 1001 (going away).
     */
    protected void onAskToEnd(S session, Session socket, String reason) {
        socket.close(1001, "Going away", Callback.NOOP);
    }

    /**
     * Asks the client to end the stream ({@link #onAskToEnd}), serialised with the socket's
     * callbacks; nothing happens when the session has already gone.
     */
    public final void askToEnd(String reason) {
        guarded("ask to end", s -> onAskToEnd(s, socket, reason));
    }

    /** Keeps this connection in {@code open} from its socket's open to its close. */
    final void trackIn(Set<SerialEndpoint<?>> open) {
        openSet = open;
    }

    /**
     * The connection sent messages faster than its rate allows; they are dropped. By default
     * the socket is closed with 1008 (policy violation); protocols answer with their own error.
     */
    protected void onRateExceeded(S session, Session socket) {
        socket.close(1008, "Message rate exceeded", Callback.NOOP);
    }

    @Override
    public final void onWebSocketOpen(Session socket) {
        lock.lock();
        try {
            this.socket = socket;
            if (openSet != null) {
                openSet.add(this);
            }
            try {
                session = open(socket);
                long period = taskPeriodMs();
                task = scheduler.scheduleAtFixedRate(this::tick, period, period, TimeUnit.MILLISECONDS);
            } catch (RuntimeException e) {
                internalError("open", e);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public final void onWebSocketText(String text) {
        guarded("text frame", s -> {
            if (withinRate(s)) {
                onText(s, text);
            }
        });
    }

    @Override
    public final void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        byte[] frame = new byte[payload.remaining()];
        payload.get(frame);
        callback.succeed();
        guarded("binary frame", s -> {
            if (withinRate(s)) {
                onBinary(s, socket, frame);
            }
        });
    }

    @Override
    public final void onWebSocketError(Throwable cause) {
        log.log(System.Logger.Level.DEBUG, describe() + ": socket error", cause);
    }

    @Override
    public final void onWebSocketClose(int statusCode, String reason, Callback callback) {
        try {
            lock.lock();
            try {
                stopTask();
                if (session != null) {
                    try {
                        onClosed(session, statusCode, reason);
                    } catch (RuntimeException e) {
                        log.log(System.Logger.Level.WARNING, describe() + ": failed on socket close", e);
                    }
                    session = null;
                }
            } finally {
                lock.unlock();
            }
        } finally {
            if (openSet != null) {
                openSet.remove(this);
            }
            callback.succeed();
        }
    }

    /** Ends the periodic task (also done when the socket closes). */
    protected final void stopTask() {
        if (task != null) {
            task.cancel(false);
        }
    }

    /** The periodic task: skipped, not waited for, while the connection is busy. */
    private void tick() {
        if (!lock.tryLock()) {
            return;
        }
        try {
            runOnSession("periodic task", s -> onTask(s, socket));
        } finally {
            lock.unlock();
        }
    }

    private boolean withinRate(S s) {
        if (rate == null || rate.tryAcquire()) {
            overRate = false;
            return true;
        }
        if (!overRate) {
            overRate = true;
            log.log(System.Logger.Level.INFO, "{0}: message rate exceeded", describe());
            onRateExceeded(s, socket);
        }
        return false;
    }

    private void guarded(String where, java.util.function.Consumer<S> call) {
        lock.lock();
        try {
            runOnSession(where, call);
        } finally {
            lock.unlock();
        }
    }

    private void runOnSession(String where, java.util.function.Consumer<S> call) {
        if (session == null) {
            return;
        }
        try {
            call.accept(session);
        } catch (RuntimeException e) {
            internalError(where, e);
        }
    }

    private void internalError(String where, RuntimeException e) {
        log.log(System.Logger.Level.ERROR, describe() + " failed in " + where, e);
        session = null;
        stopTask();
        try {
            socket.close(CLOSE_INTERNAL_ERROR, "Internal server error", Callback.NOOP);
        } catch (RuntimeException ignored) {
            // the socket is already unusable; the close frame is best effort
        }
    }
}
