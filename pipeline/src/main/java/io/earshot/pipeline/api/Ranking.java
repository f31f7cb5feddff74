package io.earshot.pipeline.api;

import io.earshot.analysis.listening.ListeningCounts;
import java.time.Instant;
import java.util.List;

/**
 * Agents or teams ranked by the listening score of their windows summed over a range, best
 * first, those without a score last ({@code GET /api/ranking}).
 *
 * @param scope   AGENT or TEAM
 * @param window  the window length summed: HOURLY or DAILY
 * @param from    windows starting at or after this (null: unbounded)
 * @param to      windows starting before this (null: unbounded)
 * @param team    the team the ranking was limited to, or null
 * @param ranking the entries, best first
 */
public record Ranking(String scope, String window, Instant from, Instant to, String team, List<Entry> ranking) {

    public Ranking {
        ranking = List.copyOf(ranking);
    }

    /**
     * One agent or team.
     *
     * @param key            the agent id or team
     * @param team           for an agent, the team of its latest call (within the teams asked for); null for a team
     * @param listeningScore the score of the summed windows (its {@code score} null when nothing could be judged)
     * @param calls          calls that ended in those windows
     * @param callTimeMs     media time of the calls in those windows
     * @param listening      the summed behaviour and tone counts
     */
    public record Entry(String key, String team, ListeningScoreView listeningScore, long calls, long callTimeMs,
            ListeningCounts listening) {
    }
}
