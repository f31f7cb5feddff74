package io.earshot.analysis.config;

import io.earshot.analysis.windows.AgentWindowConfig;
import io.earshot.analysis.listening.ListeningConfig;
import io.earshot.analysis.metrics.MetricsConfig;

/**
 * Everything the call-metrics job is configured with, built once from the command line or a
 * file and passed down.
 *
 * @param metrics               the metric thresholds (echoed in every summary)
 * @param outOfOrdernessMs      watermark delay: how late an event may arrive behind the newest
 * @param finalGraceMs          after a call's end event, how long (event time) to wait for its
 *                              last utterances before the final summary: ASR lags speech
 * @param runningIntervalMs     running values of a live call at most this often: at the multiples
 *                              of this (epoch-aligned event time) that follow a new event, so a
 *                              replay gives the same ones; also the resolution at which the agent
 *                              windows place a call's activity in time
 * @param inactivityTimeoutMs   a call with no event for this long is closed without an end event
 * @param windows               the agent, team and queue windows
 * @param listening             behaviours, tone, listening score and coaching
 * @param assignmentWaitMs      for a call that awaits its agent ({@code CallStarted.awaitingAssignment}):
 *                              how long after its start (event time) its assignment may come and
 *                              still count for the whole call; until then its contributions to
 *                              the agent, team and queue windows are held back, and its final
 *                              summary waits at most until then. Also how long an assignment that
 *                              arrives before its call's start is kept for it. See
 *                              {@code CallDynamicsFunction}.
 */
public record JobConfig(MetricsConfig metrics, long outOfOrdernessMs, long finalGraceMs, long runningIntervalMs,
        long inactivityTimeoutMs, AgentWindowConfig windows, ListeningConfig listening, long assignmentWaitMs)
        implements java.io.Serializable {

    /**
     * A minute: a notification bridge publishes the assignment within seconds of the agent
     * answering, and a call awaiting its agent holds its window contributions back at most this long.
     */
    public static final long DEFAULT_ASSIGNMENT_WAIT_MS = 60_000;

    public static final JobConfig DEFAULTS = new JobConfig(MetricsConfig.DEFAULTS, 2_000, 5_000, 5_000, 300_000,
            AgentWindowConfig.DEFAULTS, ListeningConfig.DEFAULTS, DEFAULT_ASSIGNMENT_WAIT_MS);

    public JobConfig {
        listening = listening == null ? ListeningConfig.DEFAULTS : listening;
        if (assignmentWaitMs < 0) {
            throw new IllegalArgumentException("assignment wait must not be negative, was " + assignmentWaitMs);
        }
    }

    /** The settings with the default assignment wait. */
    public JobConfig(MetricsConfig metrics, long outOfOrdernessMs, long finalGraceMs, long runningIntervalMs,
            long inactivityTimeoutMs, AgentWindowConfig windows, ListeningConfig listening) {
        this(metrics, outOfOrdernessMs, finalGraceMs, runningIntervalMs, inactivityTimeoutMs, windows, listening,
                DEFAULT_ASSIGNMENT_WAIT_MS);
    }

    /** The same settings with another assignment wait. */
    public JobConfig withAssignmentWaitMs(long newAssignmentWaitMs) {
        return new JobConfig(metrics, outOfOrdernessMs, finalGraceMs, runningIntervalMs, inactivityTimeoutMs,
                windows, listening, newAssignmentWaitMs);
    }

    /** The settings with the default listening analysis. */
    public JobConfig(MetricsConfig metrics, long outOfOrdernessMs, long finalGraceMs, long runningIntervalMs,
            long inactivityTimeoutMs, AgentWindowConfig windows) {
        this(metrics, outOfOrdernessMs, finalGraceMs, runningIntervalMs, inactivityTimeoutMs, windows,
                ListeningConfig.DEFAULTS);
    }

    /** The same settings with other metric thresholds and listening analysis. */
    public JobConfig with(MetricsConfig newMetrics, ListeningConfig newListening) {
        return new JobConfig(newMetrics, outOfOrdernessMs, finalGraceMs, runningIntervalMs, inactivityTimeoutMs,
                windows, newListening, assignmentWaitMs);
    }

    /** The per-call settings with the default agent windows. */
    public JobConfig(MetricsConfig metrics, long outOfOrdernessMs, long finalGraceMs, long runningIntervalMs,
            long inactivityTimeoutMs) {
        this(metrics, outOfOrdernessMs, finalGraceMs, runningIntervalMs, inactivityTimeoutMs,
                AgentWindowConfig.DEFAULTS);
    }

    /** The first running-value mark at or after event time {@code t}: a multiple of {@link #runningIntervalMs()}. */
    public long runningMarkAtOrAfter(long t) {
        return -Math.floorDiv(-t, runningIntervalMs) * runningIntervalMs;
    }
}
