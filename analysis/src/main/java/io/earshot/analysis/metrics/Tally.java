package io.earshot.analysis.metrics;

import io.earshot.analysis.metrics.ConversationEvents.Backchannel;
import io.earshot.analysis.metrics.ConversationEvents.Interruption;
import io.earshot.analysis.metrics.ConversationEvents.ResponseGap;
import io.earshot.analysis.metrics.ConversationEvents.Turn;
import io.earshot.schemas.Role;

/**
 * Sums over a call's events that its listening totals and coaching take: counted over the
 * events ({@link #of(CallMetrics)}), or kept with the parts of the call as its turn-taking is
 * computed ({@link ConversationAnalysis.Memo#tally()}), so a running value of a long call does
 * not count the whole call again.
 *
 * @param longestAgentTurn the agent's longest turn, the first of equally long ones; null if none
 */
public record Tally(long agentInterruptions, long agentInterruptionOverlapMs, long agentBackchannels,
        long respectedGaps, long gapSumMs, Turn longestAgentTurn) {

    /** The sums over the events of {@code m}. */
    public static Tally of(CallMetrics m) {
        long agentInterruptions = 0;
        long agentOverlap = 0;
        for (Interruption i : m.interruptions()) {
            if (i.by() == Role.AGENT) {
                agentInterruptions++;
                agentOverlap += i.overlapMs();
            }
        }
        long agentBackchannels = 0;
        for (Backchannel b : m.backchannels()) {
            agentBackchannels += b.by() == Role.AGENT ? 1 : 0;
        }
        long respected = 0;
        long gapSum = 0;
        for (ResponseGap g : m.responseGaps()) {
            respected += g.respected() ? 1 : 0;
            gapSum += g.gapMs();
        }
        Turn longest = null;
        for (Turn t : m.turns()) {
            if (t.role() == Role.AGENT && (longest == null || t.durationMs() > longest.durationMs())) {
                longest = t;
            }
        }
        return new Tally(agentInterruptions, agentOverlap, agentBackchannels, respected, gapSum, longest);
    }
}
