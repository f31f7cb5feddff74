package io.earshot.pipeline.api;

import io.earshot.analysis.listening.ListeningCounts;
import java.time.Instant;

/**
 * One HOURLY or DAILY window of an agent or team ({@code agent_windows}), for charts: the
 * summed counts and durations, and the rates the metric job derived from them.
 *
 * @param listening      the agent behaviour and tone counts of the window
 * @param listeningScore the score of the window's summed totals (0-100), null when nothing could
 *                       be judged or for windows stored before listening scores existed
 */
public record WindowPoint(Instant windowStart, Instant windowEnd, long callTimeMs, long agentTalkMs,
        long customerTalkMs, long overlapMs, long silenceMs, long agentInterruptions,
        long agentInterruptionOverlapMs, long customerInterruptions, long agentBackchannels,
        long customerBackchannels, long transfers, long respectedTransfers, long responseGapSumMs,
        long pauseIntrusions, long callsEnded, Double agentTalkShare, Double agentInterruptionsPer10Min,
        Double pauseRespectRate, Long meanResponseGapMs, ListeningCounts listening, Double listeningScore) {

    /** The window lengths the store keeps for analysts (LIVE windows are the floor's). */
    public enum Kind { HOURLY, DAILY }

    /** Whose windows: {@code agent_windows.scope}. */
    public enum Scope { AGENT, TEAM, QUEUE }
}
