package io.earshot.jobs.metrics;

import java.util.List;

/**
 * Every threshold of METRICS.md in one record. Results echo the configuration they were
 * computed with, so a number can always be traced to the rule that produced it.
 *
 * @param interruptionMinOnsetMs      the interrupted party must have been speaking this long
 * @param interruptionMinOverlapMs    the overlap must last at least this long
 * @param interruptionSuccessWithinMs successful when the interrupted party stops within this
 * @param backchannelMaxMs            a listener spurt this short is a backchannel
 * @param backchannelTokens           words that make a listener spurt a backchannel whatever its length
 * @param pauseRespectMinGapMs        a customer-to-agent transfer is respected at this gap or more
 * @param pauseIntrusionResumeWithinMs a pause intrusion: the customer resumes within this of the agent's onset
 * @param deadAirMinMs                a silence this long is dead air
 * @param talkShareLow                lower bound of the agent talk-share target band
 * @param talkShareHigh               upper bound of the band
 */
public record MetricsConfig(
        long interruptionMinOnsetMs,
        long interruptionMinOverlapMs,
        long interruptionSuccessWithinMs,
        long backchannelMaxMs,
        List<String> backchannelTokens,
        long pauseRespectMinGapMs,
        long pauseIntrusionResumeWithinMs,
        long deadAirMinMs,
        double talkShareLow,
        double talkShareHigh) implements java.io.Serializable {

    public static final MetricsConfig DEFAULTS = new MetricsConfig(300, 600, 2000, 1000,
            List.of("uh-huh", "mm-hmm", "yeah", "yes", "right", "okay", "sure", "i see", "got it"),
            300, 1500, 5000, 0.35, 0.55);

    public MetricsConfig {
        backchannelTokens = new java.util.ArrayList<>(backchannelTokens); // Kryo-friendly, see CallMetrics
    }
}
