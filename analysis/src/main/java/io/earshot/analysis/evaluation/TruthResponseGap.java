package io.earshot.analysis.evaluation;

/**
 * A labelled customer-to-agent floor transfer: the customer's turn ended at
 * {@code customerEndMs}, the agent's next turn started at {@code agentStartMs}. The gap is
 * negative when the agent started before the customer finished.
 */
public record TruthResponseGap(long customerEndMs, long agentStartMs) {

    public long gapMs() {
        return agentStartMs - customerEndMs;
    }
}
