package io.earshot.analysis.metrics;

import io.earshot.analysis.metrics.ConversationEvents.Interruption;
import io.earshot.analysis.metrics.ConversationEvents.ResponseGap;
import io.earshot.analysis.metrics.ConversationEvents.Turn;

/**
 * Sums over a call's events that its listening totals and coaching take: counted over the
 * events ({@link #of(CallMetrics)}), or kept with the parts of the call as its turn-taking is
 * computed ({@link ConversationAnalysis.Memo#tally()}), so a running value of a long call does
 * not count the whole call again.
 *
 * @param longestAgentTurn         the agent's longest turn, the first of equally long ones; null if none
 * @param worstAgentInterruption   the agent's interruption with the longest overlap, the earliest of
 *                                 equal ones; null if none
 * @param quickestGap              the shortest response gap, the earliest answer of equal ones; null if none
 */
public record Tally(long agentInterruptions, long agentInterruptionOverlapMs, long agentBackchannels,
        long respectedGaps, long gapSumMs, Turn longestAgentTurn, Interruption worstAgentInterruption,
        ResponseGap quickestGap) {

    /** The sums over the events of {@code m}. */
    public static Tally of(CallMetrics m) {
        return ConversationAnalysis.Totals.of(m).tally(m.turns());
    }
}
