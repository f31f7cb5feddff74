package io.earshot.pipeline.supervise;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one long-lived loop (a Kafka consumer's) on a daemon thread of its own and starts it
 * again when it ends for any reason other than {@link #close()}: each attempt calls the
 * {@link Body} afresh, which builds its own consumer, so nothing of a broken attempt is reused.
 *
 * <p>Failure policy. A {@link RuntimeException} or an {@link Error} escaping the body (a poll
 * or commit that fails, a broker that cannot be reached, a bug outside a single record's
 * handling), and a body that returns without being closed, count as a restart: the state
 * becomes {@link ComponentStatus.State#RESTARTING}, the failure is logged in full, and the
 * body runs again after a pause that starts at {@link Backoff#first()} and doubles up to
 * {@link Backoff#max()}; it falls back to the first pause once an attempt has handled a
 * record. A {@link VirtualMachineError} ({@code OutOfMemoryError}, {@code StackOverflowError},
 * {@code InternalError}) is different: the JVM itself may be unusable, so the component is
 * marked {@link ComponentStatus.State#FAILED}, not restarted, and the error is rethrown to the
 * thread's uncaught-exception handler; the status endpoint then answers 503 so whatever runs
 * the process can restart it.
 *
 * <p>Every change of state is one log line ({@code supervisor: raw-audio RESTARTING ...}), so
 * a process without a web port is observable from its log alone.
 */
public final class Supervisor implements AutoCloseable {

    /** The loop of one attempt: runs until the component is closed (then returns) or fails (then throws). */
    @FunctionalInterface
    public interface Body {
        void run(Heartbeat heartbeat) throws Exception;
    }

    /** What a body reports while it works. */
    public interface Heartbeat {
        /** A record was handled (stored, applied, dead-lettered or skipped). */
        void recordHandled();
    }

    /** Pauses between restarts. */
    public record Backoff(Duration first, Duration max) {
        /** One second, doubling to a minute: a broker or database outage costs little, a bug does not spin. */
        public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));

        public Backoff {
            if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
                throw new IllegalArgumentException("backoff: first pause > 0 and max >= first required");
            }
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);

    private final String name;
    private final Backoff backoff;
    private final Clock clock;
    private final Body body;
    private final Runnable wakeup;
    private final Thread thread;
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile boolean closed;

    private ComponentStatus.State state = ComponentStatus.State.RUNNING;
    private long restarts;
    private String lastError;
    private Instant lastErrorAt;
    private volatile Instant lastRecordAt;
    private boolean handledThisAttempt;
    private Instant since;

    /**
     * @param wakeup makes a running body's loop notice that the component is closing (clears its
     *               running flag, wakes its consumer up); called by {@link #close()} after
     *               {@link #closing()} became true, so a body that returns then is not restarted
     */
    public Supervisor(String name, Backoff backoff, Clock clock, Body body, Runnable wakeup) {
        this.name = Objects.requireNonNull(name, "name");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.body = Objects.requireNonNull(body, "body");
        this.wakeup = Objects.requireNonNull(wakeup, "wakeup");
        this.since = clock.instant();
        this.thread = new Thread(this::supervise, name);
        this.thread.setDaemon(true);
    }

    /** Starts the first attempt. */
    public Supervisor start() {
        thread.start();
        return this;
    }

    /** The component's status now. */
    public synchronized ComponentStatus status() {
        return new ComponentStatus(name, state, restarts, lastError, lastErrorAt, lastRecordAt, since);
    }

    /** Whether {@link #close()} was called: a body's loop runs while this is false. */
    public boolean closing() {
        return closed;
    }

    /** Marks the component closed, wakes its loop up and waits for the running attempt to return. */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        closing.countDown();
        wakeup.run();
        if (thread.isAlive() && thread != Thread.currentThread()) {
            thread.join();
        }
        set(ComponentStatus.State.STOPPED, null);
    }

    /**
     * As {@link #close()}, for an owner whose own close does not throw: an interrupt while waiting
     * for the attempt to return stays set on the calling thread.
     */
    public void stop() {
        try {
            close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void supervise() {
        Duration pause = backoff.first();
        while (!closed) {
            synchronized (this) {
                handledThisAttempt = false;
            }
            Throwable failure;
            try {
                body.run(this::handled);
                if (closed) {
                    break;
                }
                failure = new IllegalStateException("the loop ended on its own");
            } catch (VirtualMachineError e) {
                LOG.error("supervisor: {} FAILED and is not restarted: the JVM may be unusable", name, e);
                set(ComponentStatus.State.FAILED, e);
                throw e;
            } catch (InterruptedException e) {
                if (closed) {
                    break;
                }
                failure = e;
            } catch (Exception | Error e) {
                if (closed) {
                    break;
                }
                failure = e;
            }
            synchronized (this) {
                if (handledThisAttempt) {
                    pause = backoff.first();
                }
                restarts++;
            }
            set(ComponentStatus.State.RESTARTING, failure);
            LOG.warn("supervisor: {} RESTARTING in {} ms (restart {}) after {}", name, pause.toMillis(),
                    status().restarts(), failure.getClass().getSimpleName(), failure);
            try {
                if (closing.await(pause.toMillis(), TimeUnit.MILLISECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                break;
            }
            pause = pause.multipliedBy(2).compareTo(backoff.max()) > 0 ? backoff.max() : pause.multipliedBy(2);
            set(ComponentStatus.State.RUNNING, null);
            LOG.info("supervisor: {} RUNNING again", name);
        }
        set(ComponentStatus.State.STOPPED, null);
    }

    private void handled() {
        lastRecordAt = clock.instant();
        synchronized (this) {
            handledThisAttempt = true;
        }
    }

    private synchronized void set(ComponentStatus.State next, Throwable failure) {
        if (state == ComponentStatus.State.FAILED) {
            return;
        }
        if (state != next) {
            state = next;
            since = clock.instant();
        }
        if (failure != null) {
            lastError = failure.getClass().getSimpleName();
            lastErrorAt = clock.instant();
        }
    }
}
