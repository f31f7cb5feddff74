package io.earshot.jobs.agents;

import io.earshot.jobs.metrics.ListeningTotals;

/**
 * The listening metrics of one agent, team or queue over one window (the
 * {@code AgentMetricsComputed} of the contracts): the summed counts and durations of every call
 * activity stamped inside {@code [windowStartMs, windowEndMs)}, and the values derived from
 * those sums. {@code totals.callsEnded()} is the number of calls whose final summary fell in the
 * window.
 *
 * <p>The derived values are NaN where their denominator is not positive (no call time, no
 * talk, no transfers), never zero: "no data" must not read as "never interrupts".
 */
public record WindowMetrics(Scope scope, String key, WindowKind window, long windowStartMs, long windowEndMs,
        ListeningTotals totals, double agentTalkShare, double agentInterruptionsPer10Min, double pauseRespectRate,
        double meanResponseGapMs) {

    public static WindowMetrics of(MetricsKey key, WindowKind window, long windowStartMs, long windowEndMs,
            ListeningTotals totals) {
        return new WindowMetrics(key.scope(), key.id(), window, windowStartMs, windowEndMs, totals,
                totals.agentTalkShare(), totals.agentInterruptionsPer10Min(), totals.pauseRespectRate(),
                totals.meanResponseGapMs());
    }
}
