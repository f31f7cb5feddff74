package io.earshot.analysis.evaluation;

import io.earshot.schemas.Role;
import java.util.Objects;

/** A stretch {@code [startMs, endMs)} in which a labeller heard {@code role} speak. */
public record TruthSegment(Role role, long startMs, long endMs) {

    public TruthSegment {
        Objects.requireNonNull(role, "role");
        if (startMs < 0 || endMs < startMs) {
            throw new IllegalArgumentException("speech segment [" + startMs + ", " + endMs + ") is not a time span");
        }
    }

    public long durationMs() {
        return endMs - startMs;
    }
}
