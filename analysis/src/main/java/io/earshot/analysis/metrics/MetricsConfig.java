package io.earshot.analysis.metrics;

import java.util.List;

/**
 * Every threshold of the metric contract (docs/metrics.md) in one record. Results echo the
 * configuration they were computed with, so a number can always be traced to the rule that
 * produced it.
 *
 * @param interruptionMinOnsetMs       the interrupted party must have been speaking this long
 * @param interruptionMinOverlapMs     the overlap must last at least this long in all
 * @param interruptionSuccessWithinMs  successful when the interrupted party stops within this
 * @param backchannelMaxMs             a listener response without recognised words (not yet
 *                                     transcribed, or transcription off) is a backchannel up to this long
 * @param backchannelTokenMaxMs        a listener response made only of backchannel tokens is a
 *                                     backchannel up to this long
 * @param backchannelTokens            words and phrases that make a listener response a backchannel
 * @param continuationMs               a party's speech resumed within this much of its own
 *                                     silence carries on the same response (judged together)
 * @param pauseRespectMinGapMs         a customer-to-agent transfer is respected at this gap or more
 * @param pauseIntrusionResumeWithinMs a party that resumes within this long of the other's onset,
 *                                     while the other still speaks, was pausing inside its own turn;
 *                                     and a pause intrusion: the customer resumes within this of the
 *                                     agent's onset
 * @param deadAirMinMs                 a silence this long is dead air
 * @param talkShareLow                 lower bound of the agent talk-share target band
 * @param talkShareHigh                upper bound of the band
 */
public record MetricsConfig(
        long interruptionMinOnsetMs,
        long interruptionMinOverlapMs,
        long interruptionSuccessWithinMs,
        long backchannelMaxMs,
        long backchannelTokenMaxMs,
        List<String> backchannelTokens,
        long continuationMs,
        long pauseRespectMinGapMs,
        long pauseIntrusionResumeWithinMs,
        long deadAirMinMs,
        double talkShareLow,
        double talkShareHigh) implements java.io.Serializable {

    /**
     * The tokens in the spellings people write and the recogniser produces ("mhmm", "mm hmm",
     * "uh huh"), and the change-of-state tokens "oh" and "ah" ("oh okay", "ah right"); a
     * response is matched word by word against any sequence of them.
     */
    public static final List<String> DEFAULT_BACKCHANNEL_TOKENS = List.of(
            "uh-huh", "uh huh", "mm-hmm", "mm hmm", "mhm", "mhmm", "mmhmm", "hmm", "mm", "mmm",
            "yeah", "yes", "yep", "right", "okay", "ok", "sure", "i see", "got it", "alright", "all right",
            "oh", "ah", "aha");

    public static final MetricsConfig DEFAULTS = new MetricsConfig(300, 600, 2000, 1000, 2000,
            DEFAULT_BACKCHANNEL_TOKENS, 1000, 300, 1500, 5000, 0.35, 0.55);

    public MetricsConfig {
        backchannelTokens = new java.util.ArrayList<>(backchannelTokens); // Kryo-friendly, see CallMetrics
    }
}
