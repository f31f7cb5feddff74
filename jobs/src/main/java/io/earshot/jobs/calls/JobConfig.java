package io.earshot.jobs.calls;

import io.earshot.jobs.metrics.MetricsConfig;

/**
 * Everything the call-metrics job is configured with, built once from the command line or a
 * file and passed down.
 *
 * @param metrics               the metric thresholds (echoed in every summary)
 * @param outOfOrdernessMs      watermark delay: how late an event may arrive behind the newest
 * @param finalGraceMs          after a call's end event, how long (event time) to wait for its
 *                              last utterances before the final summary: ASR lags speech
 * @param runningIntervalMs     running values of a live call at most this often (event time)
 * @param inactivityTimeoutMs   a call with no event for this long is closed without an end event
 */
public record JobConfig(MetricsConfig metrics, long outOfOrdernessMs, long finalGraceMs, long runningIntervalMs,
        long inactivityTimeoutMs) implements java.io.Serializable {

    public static final JobConfig DEFAULTS = new JobConfig(MetricsConfig.DEFAULTS, 2_000, 5_000, 5_000, 300_000);
}
