package io.earshot.analysis.listening;

import io.earshot.schemas.Role;
import io.earshot.analysis.metrics.SharedList;
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
        countBehaviours(behaviours, 0, 1, agent);
        return agent;
    }

    /** Adds {@code sign} to {@code agent} for each of the agent's behaviours from {@code from} on. */
    private static void countBehaviours(List<Behaviour> behaviours, int from, int sign, long[] agent) {
        for (int i = from; i < behaviours.size(); i++) {
            Behaviour b = behaviours.get(i);
            if (b.by() == Role.AGENT) {
                agent[b.kind().ordinal()] += sign;
            }
        }
    }

    /** The agent's raised voice, monotone and fast speech, the customer's raised voice and agitation. */
    private static long[] tone(List<ToneEvent> tone) {
        long[] counts = new long[5];
        countTone(tone, 0, 1, counts);
        return counts;
    }

    /** Adds {@code sign} to {@code counts} for each tone event from {@code from} on. */
    private static void countTone(List<ToneEvent> tone, int from, int sign, long[] counts) {
        for (int i = from; i < tone.size(); i++) {
            ToneEvent e = tone.get(i);
            boolean byAgent = e.by() == Role.AGENT;
            switch (e.kind()) {
                case RAISED_VOICE -> counts[byAgent ? 0 : 3] += sign;
                case MONOTONE -> counts[1] += byAgent ? sign : 0;
                case FAST_SPEECH -> counts[2] += byAgent ? sign : 0;
                case AGITATION -> counts[4] += byAgent ? 0 : sign;
            }
        }
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
     * lists counts nothing again; a new list shares its leading items with the one before
     * ({@link SharedList#commonPrefix}), so only the items after those are counted, out of the
     * old list and into the new one. Not thread-safe: one per call.
     */
    static final class Kept {
        private List<Behaviour> behavioursOf = List.of();
        private final long[] behaviours = new long[BehaviourKind.values().length];
        private List<ToneEvent> toneOf = List.of();
        private final long[] tone = new long[5];
        private ListeningCounts counts = ZERO;

        ListeningCounts of(List<Behaviour> behaviours, List<ToneEvent> tone) {
            if (behaviours == behavioursOf && tone == toneOf) {
                return counts;
            }
            if (behaviours != behavioursOf) {
                int same = SharedList.commonPrefix(behavioursOf, behaviours);
                countBehaviours(behavioursOf, same, -1, this.behaviours);
                countBehaviours(behaviours, same, 1, this.behaviours);
                behavioursOf = behaviours;
            }
            if (tone != toneOf) {
                int same = SharedList.commonPrefix(toneOf, tone);
                countTone(toneOf, same, -1, this.tone);
                countTone(tone, same, 1, this.tone);
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
