package io.earshot.analysis.windows;

import io.earshot.analysis.listening.ListeningScore;
import io.earshot.analysis.listening.ListeningScorer;
import io.earshot.analysis.listening.ScoreConfig;
import io.earshot.analysis.metrics.ListeningTotals;
import io.earshot.analysis.metrics.MetricsConfig;

/**
 * The listening metrics of one agent, team or queue over one window (the
 * {@code AgentMetricsComputed} of the contracts): the summed counts and durations of every call
 * activity stamped inside {@code [windowStartMs, windowEndMs)}, and the values derived from
 * those sums. {@code totals.callsEnded()} is the number of calls whose final summary fell in the
 * window.
 *
 * <p>The derived values are NaN where their denominator is not positive (no call time, no
 * talk, no transfers), never zero: "no data" must not read as "never interrupts". The listening
 * score is the score of the window's summed counts (docs/metrics.md, "Listening score").
 */
public record WindowMetrics(Scope scope, String key, WindowKind window, long windowStartMs, long windowEndMs,
        ListeningTotals totals, double agentTalkShare, double agentInterruptionsPer10Min, double pauseRespectRate,
        double meanResponseGapMs, ListeningScore listeningScore) {

    /** The window's values, with its listening score computed from its totals under {@code scoring}. */
    public static WindowMetrics of(MetricsKey key, WindowKind window, long windowStartMs, long windowEndMs,
            ListeningTotals totals, Scoring scoring) {
        return new WindowMetrics(key.scope(), key.id(), window, windowStartMs, windowEndMs, totals,
                totals.agentTalkShare(), totals.agentInterruptionsPer10Min(), totals.pauseRespectRate(),
                totals.meanResponseGapMs(),
                ListeningScorer.score(totals, scoring.talkShareLow(), scoring.talkShareHigh(), scoring.score()));
    }

    /** The window's values under the default score configuration. */
    public static WindowMetrics of(MetricsKey key, WindowKind window, long windowStartMs, long windowEndMs,
            ListeningTotals totals) {
        return of(key, window, windowStartMs, windowEndMs, totals, Scoring.DEFAULTS);
    }

    /** What a window's listening score is computed with: the score's configuration and the talk-share band. */
    public record Scoring(ScoreConfig score, double talkShareLow, double talkShareHigh) implements java.io.Serializable {
        public static final Scoring DEFAULTS = new Scoring(ScoreConfig.DEFAULTS, MetricsConfig.DEFAULTS.talkShareLow(),
                MetricsConfig.DEFAULTS.talkShareHigh());
    }
}
