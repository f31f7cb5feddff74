package io.earshot.analysis.listening;

import io.earshot.schemas.Role;
import java.util.List;

/**
 * The additive part of a call's listening behaviours and tone: how many of each the agent
 * showed (and how often the customer's voice rose or grew agitated). Summed over calls for the
 * agent, team and queue windows like the other totals, so a window's listening score is
 * computed from the same counts as a call's.
 */
public record ListeningCounts(
        long agentParaphrases,
        long agentSummaries,
        long agentEmpathy,
        long agentApologies,
        long agentOpenQuestions,
        long agentClarifyingQuestions,
        long agentClosedQuestions,
        long agentFollowUps,
        long agentRaisedVoice,
        long agentMonotone,
        long agentFastSpeech,
        long customerRaisedVoice,
        long customerAgitation) implements java.io.Serializable {

    public static final ListeningCounts ZERO = new ListeningCounts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** The counts of one call's behaviours and tone events. */
    public static ListeningCounts of(List<Behaviour> behaviours, List<ToneEvent> tone) {
        long[] agent = new long[BehaviourKind.values().length];
        for (Behaviour b : behaviours) {
            if (b.by() == Role.AGENT) {
                agent[b.kind().ordinal()]++;
            }
        }
        long agentRaised = 0;
        long agentMonotone = 0;
        long agentFast = 0;
        long customerRaised = 0;
        long customerAgitation = 0;
        for (ToneEvent e : tone) {
            boolean byAgent = e.by() == Role.AGENT;
            switch (e.kind()) {
                case RAISED_VOICE -> {
                    if (byAgent) {
                        agentRaised++;
                    } else {
                        customerRaised++;
                    }
                }
                case MONOTONE -> agentMonotone += byAgent ? 1 : 0;
                case FAST_SPEECH -> agentFast += byAgent ? 1 : 0;
                case AGITATION -> customerAgitation += byAgent ? 0 : 1;
            }
        }
        return new ListeningCounts(agent[BehaviourKind.PARAPHRASE.ordinal()], agent[BehaviourKind.SUMMARY.ordinal()],
                agent[BehaviourKind.EMPATHY.ordinal()], agent[BehaviourKind.APOLOGY.ordinal()],
                agent[BehaviourKind.OPEN_QUESTION.ordinal()], agent[BehaviourKind.CLARIFYING_QUESTION.ordinal()],
                agent[BehaviourKind.CLOSED_QUESTION.ordinal()], agent[BehaviourKind.FOLLOW_UP.ordinal()],
                agentRaised, agentMonotone, agentFast, customerRaised, customerAgitation);
    }

    /** Confirmation behaviours: paraphrases and summaries. */
    public long agentConfirmations() {
        return agentParaphrases + agentSummaries;
    }

    public ListeningCounts plus(ListeningCounts o) {
        return combine(o, 1);
    }

    public ListeningCounts minus(ListeningCounts o) {
        return combine(o, -1);
    }

    private ListeningCounts combine(ListeningCounts o, long sign) {
        return new ListeningCounts(
                agentParaphrases + sign * o.agentParaphrases,
                agentSummaries + sign * o.agentSummaries,
                agentEmpathy + sign * o.agentEmpathy,
                agentApologies + sign * o.agentApologies,
                agentOpenQuestions + sign * o.agentOpenQuestions,
                agentClarifyingQuestions + sign * o.agentClarifyingQuestions,
                agentClosedQuestions + sign * o.agentClosedQuestions,
                agentFollowUps + sign * o.agentFollowUps,
                agentRaisedVoice + sign * o.agentRaisedVoice,
                agentMonotone + sign * o.agentMonotone,
                agentFastSpeech + sign * o.agentFastSpeech,
                customerRaisedVoice + sign * o.customerRaisedVoice,
                customerAgitation + sign * o.customerAgitation);
    }
}
