package io.earshot.ingest.protocol;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test clock that moves only when told to; shared by the protocol session and live ingest
 * tests. Safe to read from worker threads while the test thread advances it.
 */
public final class MutableClock extends Clock {

    private final AtomicLong millis;

    public MutableClock(Instant start) {
        this.millis = new AtomicLong(start.toEpochMilli());
    }

    /** A clock at {@code epochMillis}. */
    public static MutableClock atMillis(long epochMillis) {
        return new MutableClock(Instant.ofEpochMilli(epochMillis));
    }

    public void advance(Duration d) {
        millis.addAndGet(d.toMillis());
    }

    public void advanceMillis(long ms) {
        millis.addAndGet(ms);
    }

    @Override
    public long millis() {
        return millis.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis.get());
    }
}
