package io.earshot.ingest.protocol;

import java.time.Clock;
import java.util.Objects;

/**
 * The media-time bounds of one call, checked by its protocol session before audio is accepted:
 * forward jumps of the position ({@link IngestLimits#maxGap()}), media running ahead of the wall
 * clock ({@link IngestLimits#realTimeMedia()}) and the call duration
 * ({@link IngestLimits#maxCallDuration()}). Positions are samples at the call's rate. Pure
 * arithmetic over an injected clock; not thread-safe (one per session).
 */
public final class MediaBudget {

    private final IngestLimits limits;
    private final Clock clock;
    private final int rate;
    private long openedAtMs;
    private long originSamples;

    public MediaBudget(IngestLimits limits, Clock clock, int rate) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (rate < 1) {
            throw new IllegalArgumentException("rate must be positive");
        }
        this.rate = rate;
        this.openedAtMs = clock.millis();
    }

    /**
     * Starts the wall clock: media from {@code originSamples} on is compared with the time
     * passed since now.
     */
    public void opened(long originSamples) {
        this.openedAtMs = clock.millis();
        this.originSamples = originSamples;
    }

    /** Why a jump from {@code fromSamples} to {@code toSamples} is refused, or null if it is not. */
    public String refuseJump(long fromSamples, long toSamples) {
        long gapMs = toMs(toSamples - fromSamples);
        if (gapMs > limits.maxGap().toMillis()) {
            return "position jumps " + gapMs + " ms ahead; at most " + limits.maxGap().toMillis()
                    + " ms is taken as silence";
        }
        return null;
    }

    /** Why media up to {@code endSamples} is refused as running ahead of the wall clock, or null. */
    public String refuseAhead(long endSamples) {
        if (!limits.realTimeMedia()) {
            return null;
        }
        long mediaMs = toMs(endSamples - originSamples);
        long elapsedMs = Math.max(0, clock.millis() - openedAtMs);
        long allowedMs = Math.max(elapsedMs, limits.mediaAheadGrace().toMillis()) + limits.maxMediaAhead().toMillis();
        if (mediaMs > allowedMs) {
            return "media runs ahead of real time (" + mediaMs + " ms of media after " + elapsedMs
                    + " ms; at most " + limits.maxMediaAhead().toMillis() + " ms ahead)";
        }
        return null;
    }

    /** The last sample position the call may reach (exclusive): the duration bound in samples. */
    public long endLimitSamples() {
        long ms = limits.maxCallDuration().toMillis();
        return ms > Long.MAX_VALUE / rate ? Long.MAX_VALUE : ms * rate / 1000;
    }

    /** Why the call ends at the duration bound, as the close reason says it. */
    public String durationReason() {
        return "maximum call duration of " + limits.maxCallDuration().toSeconds() + " s reached";
    }

    private long toMs(long samples) {
        return samples * 1000 / rate;
    }
}
