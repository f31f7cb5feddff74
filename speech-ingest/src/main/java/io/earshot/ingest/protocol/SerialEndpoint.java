package io.earshot.ingest.protocol;

import java.nio.ByteBuffer;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
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
 * @param <S> the protocol session type
 */
public abstract class SerialEndpoint<S> implements Session.Listener.AutoDemanding {

    /** Close code when the session or the glue itself fails (RFC 6455: internal error). */
    public static final int CLOSE_INTERNAL_ERROR = 1011;

    private final System.Logger log;
    private final ScheduledExecutorService scheduler;
    private final Object lock = new Object();
    private Session socket;
    private S session;
    private ScheduledFuture<?> task;

    protected SerialEndpoint(System.Logger log, ScheduledExecutorService scheduler) {
        this.log = log;
        this.scheduler = scheduler;
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

    @Override
    public final void onWebSocketOpen(Session socket) {
        synchronized (lock) {
            this.socket = socket;
            try {
                session = open(socket);
                long period = taskPeriodMs();
                task = scheduler.scheduleAtFixedRate(() -> guarded("periodic task", s -> onTask(s, socket)),
                        period, period, TimeUnit.MILLISECONDS);
            } catch (RuntimeException e) {
                internalError("open", e);
            }
        }
    }

    @Override
    public final void onWebSocketText(String text) {
        guarded("text frame", s -> onText(s, text));
    }

    @Override
    public final void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        byte[] frame = new byte[payload.remaining()];
        payload.get(frame);
        callback.succeed();
        guarded("binary frame", s -> onBinary(s, socket, frame));
    }

    @Override
    public final void onWebSocketError(Throwable cause) {
        log.log(System.Logger.Level.DEBUG, describe() + ": socket error", cause);
    }

    @Override
    public final void onWebSocketClose(int statusCode, String reason, Callback callback) {
        try {
            synchronized (lock) {
                stopTask();
                if (session != null) {
                    try {
                        onClosed(session, statusCode, reason);
                    } catch (RuntimeException e) {
                        log.log(System.Logger.Level.WARNING, describe() + ": failed on socket close", e);
                    }
                    session = null;
                }
            }
        } finally {
            callback.succeed();
        }
    }

    /** Ends the periodic task (also done when the socket closes). */
    protected final void stopTask() {
        if (task != null) {
            task.cancel(false);
        }
    }

    private void guarded(String where, java.util.function.Consumer<S> call) {
        synchronized (lock) {
            if (session == null) {
                return;
            }
            try {
                call.accept(session);
            } catch (RuntimeException e) {
                internalError(where, e);
            }
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
