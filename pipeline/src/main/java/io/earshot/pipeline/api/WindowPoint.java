package io.earshot.pipeline.api;

import java.time.Instant;

/**
 * One HOURLY or DAILY window of an agent or team ({@code agent_windows}), for charts: the
 * summed counts and durations, and the rates the metric job derived from them.
 */
public record WindowPoint(Instant windowStart, Instant windowEnd, long callTimeMs, long agentTalkMs,
        long customerTalkMs, long overlapMs, long silenceMs, long agentInterruptions,
        long agentInterruptionOverlapMs, long customerInterruptions, long agentBackchannels,
        long customerBackchannels, long transfers, long respectedTransfers, long responseGapSumMs,
        long pauseIntrusions, long callsEnded, Double agentTalkShare, Double agentInterruptionsPer10Min,
        Double pauseRespectRate, Long meanResponseGapMs) {

    /** The window lengths the store keeps for analysts (LIVE windows are the floor's). */
    public enum Kind { HOURLY, DAILY }

    /** Whose windows: {@code agent_windows.scope}. */
    public enum Scope { AGENT, TEAM, QUEUE }
}
