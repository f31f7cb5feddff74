package io.earshot.pipeline.api;

import java.time.Instant;

/**
 * An agent's or a team's calls over a range, summed, with the rates re-divided from the sums
 * (never averaged from per-call rates, so a long call weighs as much as its minutes):
 * talk share = agent talk / (agent + customer talk), interruptions per 10 min = agent
 * interruptions / call time, pause respect = respected / transfers, mean response gap = gap
 * sum / transfers. A rate is null when its denominator is zero.
 *
 * @param scope AGENT or TEAM
 * @param key   the agent id or team
 * @param from  the range's start (inclusive, null: unbounded)
 * @param to    the range's end (exclusive, null: unbounded)
 */
public record Aggregate(String scope, String key, Instant from, Instant to, long calls, long callTimeMs,
        long agentTalkMs, long customerTalkMs, long overlapMs, long silenceMs, long agentInterruptions,
        long customerInterruptions, long agentBackchannels, long customerBackchannels, long transfers,
        long respectedTransfers, long responseGapSumMs, long pauseIntrusions, long deadAirCount,
        long deadAirMs, Double agentTalkShare, Double agentInterruptionsPer10Min, Double pauseRespectRate,
        Double meanResponseGapMs) {

    /** Ten minutes in milliseconds: the interruption rate's unit. */
    static final double TEN_MINUTES_MS = 600_000.0;

    /** The aggregate of these sums, with its rates divided out. */
    static Aggregate of(String scope, String key, Instant from, Instant to, long calls, long callTimeMs,
            long agentTalkMs, long customerTalkMs, long overlapMs, long silenceMs, long agentInterruptions,
            long customerInterruptions, long agentBackchannels, long customerBackchannels, long transfers,
            long respectedTransfers, long responseGapSumMs, long pauseIntrusions, long deadAirCount,
            long deadAirMs) {
        return new Aggregate(scope, key, from, to, calls, callTimeMs, agentTalkMs, customerTalkMs, overlapMs,
                silenceMs, agentInterruptions, customerInterruptions, agentBackchannels, customerBackchannels,
                transfers, respectedTransfers, responseGapSumMs, pauseIntrusions, deadAirCount, deadAirMs,
                ratio(agentTalkMs, agentTalkMs + customerTalkMs),
                callTimeMs == 0 ? null : agentInterruptions * TEN_MINUTES_MS / callTimeMs,
                ratio(respectedTransfers, transfers),
                ratio(responseGapSumMs, transfers));
    }

    private static Double ratio(long numerator, long denominator) {
        return denominator == 0 ? null : (double) numerator / denominator;
    }
}
