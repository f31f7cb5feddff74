package io.earshot.ingest.protocol;

import java.util.function.LongSupplier;

/**
 * A token bucket over one connection's messages: {@code perSecond} tokens a second, at most
 * {@code burst} saved up. Time comes from an injected nanosecond source so tests need no
 * sleeps. Not thread-safe: one per connection, used under its lock.
 */
public final class MessageRate {

    /** One message's worth of credit: credit is counted in messages times 10^9. */
    private static final long MESSAGE = 1_000_000_000L;

    private final long perSecond;
    private final long maxCredit;
    private final LongSupplier nanoTime;
    private long credit;
    private long lastNanos;

    public MessageRate(int perSecond, int burst, LongSupplier nanoTime) {
        if (perSecond < 1 || burst < 1) {
            throw new IllegalArgumentException("perSecond and burst must be at least 1");
        }
        this.perSecond = perSecond;
        this.maxCredit = burst * MESSAGE;
        this.nanoTime = nanoTime;
        this.credit = maxCredit;
        this.lastNanos = nanoTime.getAsLong();
    }

    /** Takes a token for one message; false when the connection is over its rate. */
    public boolean tryAcquire() {
        long now = nanoTime.getAsLong();
        // integer arithmetic, so a steady rate is exact; the elapsed time is capped before it is
        // multiplied, so a long idle cannot overflow
        long elapsed = Math.min(Math.max(0, now - lastNanos), maxCredit / perSecond + 1);
        credit = Math.min(maxCredit, credit + elapsed * perSecond);
        lastNanos = now;
        if (credit >= MESSAGE) {
            credit -= MESSAGE;
            return true;
        }
        return false;
    }
}
