package io.earshot.jobs.calls;

import io.earshot.jobs.agents.AgentWindowConfig;
import io.earshot.jobs.listening.ListeningConfig;
import io.earshot.jobs.metrics.MetricsConfig;

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
 */
public record JobConfig(MetricsConfig metrics, long outOfOrdernessMs, long finalGraceMs, long runningIntervalMs,
        long inactivityTimeoutMs, AgentWindowConfig windows, ListeningConfig listening)
        implements java.io.Serializable {

    public static final JobConfig DEFAULTS = new JobConfig(MetricsConfig.DEFAULTS, 2_000, 5_000, 5_000, 300_000,
            AgentWindowConfig.DEFAULTS, ListeningConfig.DEFAULTS);

    public JobConfig {
        listening = listening == null ? ListeningConfig.DEFAULTS : listening;
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
                windows, newListening);
    }

    /** The per-call settings with the default agent windows. */
    public JobConfig(MetricsConfig metrics, long outOfOrdernessMs, long finalGraceMs, long runningIntervalMs,
            long inactivityTimeoutMs) {
        this(metrics, outOfOrdernessMs, finalGraceMs, runningIntervalMs, inactivityTimeoutMs,
                AgentWindowConfig.DEFAULTS);
    }
}
