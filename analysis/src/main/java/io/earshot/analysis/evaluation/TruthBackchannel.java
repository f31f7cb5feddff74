package io.earshot.analysis.evaluation;

import io.earshot.schemas.Role;
import java.util.Objects;

/** A labelled backchannel: a listener response of {@code by} over {@code [startMs, endMs)}. */
public record TruthBackchannel(Role by, long startMs, long endMs) {

    public TruthBackchannel {
        Objects.requireNonNull(by, "by");
        if (startMs < 0 || endMs < startMs) {
            throw new IllegalArgumentException("backchannel [" + startMs + ", " + endMs + ") is not a time span");
        }
    }
}
