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
        return of(behaviours(behaviours), tone(tone));
    }

    /** The agent's behaviours by kind ({@link BehaviourKind#ordinal()}). */
    private static long[] behaviours(List<Behaviour> behaviours) {
        long[] agent = new long[BehaviourKind.values().length];
        for (Behaviour b : behaviours) {
            if (b.by() == Role.AGENT) {
                agent[b.kind().ordinal()]++;
            }
        }
        return agent;
    }

    /** The agent's raised voice, monotone and fast speech, the customer's raised voice and agitation. */
    private static long[] tone(List<ToneEvent> tone) {
        long[] counts = new long[5];
        for (ToneEvent e : tone) {
            boolean byAgent = e.by() == Role.AGENT;
            switch (e.kind()) {
                case RAISED_VOICE -> counts[byAgent ? 0 : 3]++;
                case MONOTONE -> counts[1] += byAgent ? 1 : 0;
                case FAST_SPEECH -> counts[2] += byAgent ? 1 : 0;
                case AGITATION -> counts[4] += byAgent ? 0 : 1;
            }
        }
        return counts;
    }

    private static ListeningCounts of(long[] agent, long[] tone) {
        return new ListeningCounts(agent[BehaviourKind.PARAPHRASE.ordinal()], agent[BehaviourKind.SUMMARY.ordinal()],
                agent[BehaviourKind.EMPATHY.ordinal()], agent[BehaviourKind.APOLOGY.ordinal()],
                agent[BehaviourKind.OPEN_QUESTION.ordinal()], agent[BehaviourKind.CLARIFYING_QUESTION.ordinal()],
                agent[BehaviourKind.CLOSED_QUESTION.ordinal()], agent[BehaviourKind.FOLLOW_UP.ordinal()],
                tone[0], tone[1], tone[2], tone[3], tone[4]);
    }

    /**
     * One call's counts kept with the lists they were counted from: a call's summaries hand on
     * the same list objects while nothing new is found in them, so a later summary with the same
     * lists counts nothing again, and a new list is counted whole. Not thread-safe: one per call.
     */
    static final class Kept {
        private List<Behaviour> behavioursOf;
        private long[] behaviours;
        private List<ToneEvent> toneOf;
        private long[] tone;
        private ListeningCounts counts;

        ListeningCounts of(List<Behaviour> behaviours, List<ToneEvent> tone) {
            if (behaviours == behavioursOf && tone == toneOf) {
                return counts;
            }
            if (behaviours != behavioursOf) {
                this.behaviours = behaviours(behaviours);
                behavioursOf = behaviours;
            }
            if (tone != toneOf) {
                this.tone = tone(tone);
                toneOf = tone;
            }
            counts = ListeningCounts.of(this.behaviours, this.tone);
            return counts;
        }
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
