package io.earshot.analysis.metrics;

import io.earshot.schemas.Role;

/** A talk spurt of one party: {@code [startMs, endMs)} in media time. */
public record Spurt(Role role, long startMs, long endMs) {

    public Spurt {
        if (endMs < startMs) {
            throw new IllegalArgumentException("spurt ends before it starts: " + startMs + " > " + endMs);
        }
    }

    public long durationMs() {
        return endMs - startMs;
    }

    /** Whether the spurt covers media time {@code t}. */
    public boolean covers(long t) {
        return t >= startMs && t < endMs;
    }
}
