package io.earshot.analysis.metrics;

import io.earshot.schemas.Role;

/** The events docs/metrics.md defines between the two parties of a call. */
public final class ConversationEvents {

    private ConversationEvents() {
    }

    /** A short listener response that does not claim the floor. */
    public record Backchannel(Role by, long startMs, long endMs, String text) {
    }

    /**
     * {@code by} started speaking while {@code of} was in the middle of a spurt.
     *
     * @param overlapMs  how long both spoke from the onset
     * @param successful the interrupted party stopped within the configured time while the
     *                   interrupter carried on
     * @param byWords    the interrupter's words over the overlap
     * @param ofWords    the interrupted party's words over the overlap
     */
    public record Interruption(Role by, Role of, long startMs, long overlapMs, boolean successful,
            String byWords, String ofWords) {
    }

    /** A customer-to-agent floor transfer: {@code gapMs = agentStartMs - customerEndMs}. */
    public record ResponseGap(long customerEndMs, long agentStartMs, long gapMs, boolean respected) {
    }

    /** The agent took the floor in a customer pause and the customer resumed soon after. */
    public record PauseIntrusion(long customerPauseStartMs, long agentStartMs, long customerResumeMs) {
    }

    /** One party holding the floor: from the spurt that took it to the last before it passed. */
    public record Turn(Role role, long startMs, long endMs) {
        public long durationMs() {
            return endMs - startMs;
        }
    }

    /** A stretch where neither party speaks. */
    public record Silence(long startMs, long endMs) {
        public long durationMs() {
            return endMs - startMs;
        }
    }
}
