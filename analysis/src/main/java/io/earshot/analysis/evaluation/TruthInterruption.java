package io.earshot.analysis.evaluation;

import io.earshot.schemas.Role;
import java.util.Objects;

/**
 * A labelled interruption: {@code by} started at {@code startMs} inside {@code of}'s turn;
 * {@code successful} when {@code of} gave up the floor.
 */
public record TruthInterruption(Role by, Role of, long startMs, boolean successful) {

    public TruthInterruption {
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(of, "of");
        if (by == of) {
            throw new IllegalArgumentException("an interruption needs two parties, not " + by + " of " + of);
        }
        if (startMs < 0) {
            throw new IllegalArgumentException("interruption starts before the call: " + startMs);
        }
    }
}
