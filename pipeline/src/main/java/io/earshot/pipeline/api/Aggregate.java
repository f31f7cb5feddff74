package io.earshot.pipeline.api;

import io.earshot.analysis.windows.WindowMetrics;
import io.earshot.analysis.listening.ListeningCounts;
import io.earshot.analysis.listening.ListeningScorer;
import io.earshot.analysis.metrics.ListeningTotals;
import java.time.Instant;

/**
 * An agent's or a team's calls over a range, summed, with the rates re-divided from the sums
 * (never averaged from per-call rates, so a long call weighs as much as its minutes):
 * talk share = agent talk / (agent + customer talk), interruptions per 10 min = agent
 * interruptions / call time, pause respect = respected / transfers, mean response gap = gap
 * sum / transfers. A rate is null when its denominator is zero.
 *
 * <p>The listening score is likewise the score of the summed totals and behaviour counts
 * ({@link ListeningScorer}), never a mean of the calls' scores: ten short calls with one empathy
 * each and one long call without are scored on their minutes together.
 *
 * @param scope          AGENT or TEAM
 * @param key            the agent id or team
 * @param from           the range's start (inclusive, null: unbounded)
 * @param to             the range's end (exclusive, null: unbounded)
 * @param listening      the agent behaviour and tone counts of the calls, summed
 * @param listeningScore the score of all the sums, with its components and thresholds
 */
public record Aggregate(String scope, String key, Instant from, Instant to, long calls, long callTimeMs,
        long agentTalkMs, long customerTalkMs, long overlapMs, long silenceMs, long agentInterruptions,
        long customerInterruptions, long agentBackchannels, long customerBackchannels, long transfers,
        long respectedTransfers, long responseGapSumMs, long pauseIntrusions, long deadAirCount,
        long deadAirMs, Double agentTalkShare, Double agentInterruptionsPer10Min, Double pauseRespectRate,
        Double meanResponseGapMs, ListeningCounts listening, ListeningScoreView listeningScore) {

    /**
     * The aggregate of these sums ({@code totals.callsEnded()} is the number of calls), with its
     * rates divided out and its listening score computed under {@code scoring}.
     */
    static Aggregate of(String scope, String key, Instant from, Instant to, ListeningTotals totals,
            long deadAirCount, long deadAirMs, WindowMetrics.Scoring scoring) {
        ListeningTotals t = totals;
        return new Aggregate(scope, key, from, to, t.callsEnded(), t.callTimeMs(), t.agentTalkMs(),
                t.customerTalkMs(), t.overlapMs(), t.silenceMs(), t.agentInterruptions(), t.customerInterruptions(),
                t.agentBackchannels(), t.customerBackchannels(), t.transfers(), t.respectedTransfers(),
                t.responseGapSumMs(), t.pauseIntrusions(), deadAirCount, deadAirMs,
                ListeningScoreView.orNull(t.agentTalkShare()), ListeningScoreView.orNull(t.agentInterruptionsPer10Min()),
                ListeningScoreView.orNull(t.pauseRespectRate()), ListeningScoreView.orNull(t.meanResponseGapMs()),
                t.listening(), ListeningScoreView.of(score(t, scoring)));
    }

    /** The listening score of summed totals: the one formula of calls, windows, aggregates and rankings. */
    static io.earshot.analysis.listening.ListeningScore score(ListeningTotals totals, WindowMetrics.Scoring scoring) {
        return ListeningScorer.score(totals, scoring.talkShareLow(), scoring.talkShareHigh(), scoring.score());
    }
}
