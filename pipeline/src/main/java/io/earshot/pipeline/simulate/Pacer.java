package io.earshot.pipeline.simulate;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Real-time pacing: audio at media time {@code t} is due {@code t / speed} after the stream
 * started. Speed 1 is a live call, 10 is ten times faster, 0 means as fast as the socket takes it.
 * Due times are computed from the start rather than from the previous frame, so sleeping late
 * once does not delay every later frame.
 */
final class Pacer {

    private final double speed;
    private final LongSupplier nanoTime;
    private long startNanos;

    Pacer(double speed, LongSupplier nanoTime) {
        if (!(speed >= 0) || Double.isInfinite(speed)) {
            throw new IllegalArgumentException("speed must be a finite number >= 0, not " + speed);
        }
        this.speed = speed;
        this.nanoTime = nanoTime;
    }

    /** Marks media time 0 as now. */
    void start() {
        startNanos = nanoTime.getAsLong();
    }

    /** Nanoseconds after {@link #start()} at which media time {@code mediaMs} is due; 0 when unpaced. */
    long dueOffsetNanos(long mediaMs) {
        return speed == 0 ? 0 : Math.round(mediaMs * 1_000_000L / speed);
    }

    /** Blocks until media time {@code mediaMs} is due. */
    void awaitMedia(long mediaMs) throws InterruptedException {
        long due = startNanos + dueOffsetNanos(mediaMs);
        for (long left = due - nanoTime.getAsLong(); left > 0; left = due - nanoTime.getAsLong()) {
            LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }
}
