package io.earshot.analysis.evaluation;

import io.earshot.analysis.metrics.ConversationEvents.Backchannel;
import io.earshot.analysis.metrics.ConversationEvents.Interruption;
import io.earshot.analysis.metrics.ConversationEvents.ResponseGap;
import io.earshot.schemas.Role;
import java.util.List;

/**
 * How one call's detections compare with its truth ({@link Scorer} says how each figure is
 * made). Counts are kept rather than only ratios, so {@link EvaluationTotals} adds calls up
 * by summing counts.
 *
 * @param durationMs        the span scored: the longest of the call, its truth and its detections
 * @param truthOverlapMs    time both parties speak in the truth
 * @param detectedOverlapMs the overlap the metrics report
 * @param interruptions     {@code null} when the truth labels no interruptions
 * @param backchannels      {@code null} when the truth labels no backchannels
 * @param responseGaps      {@code null} when the truth labels no response gaps
 */
public record CallScore(String callId, long durationMs, RoleScore agent, RoleScore customer, long truthOverlapMs,
        long detectedOverlapMs, InterruptionScore interruptions, BackchannelScore backchannels,
        ResponseGapScore responseGaps) {

    public RoleScore role(Role role) {
        return role == Role.AGENT ? agent : customer;
    }

    /** {@code |detected - truth|} overlap. */
    public long overlapErrorMs() {
        return Math.abs(detectedOverlapMs - truthOverlapMs);
    }

    /**
     * Counts of a one-to-one comparison: {@code matched} pairs out of {@code detected} items and
     * {@code truth} items (events, or voice-activity frames).
     *
     * <p>Empty sides are read as vacuous truths, so every ratio is defined and a call with
     * nothing to find still adds up: precision is 1 when nothing was detected (no false alarm),
     * recall is 1 when there was nothing to find (nothing missed), and F1 =
     * {@code 2 matched / (detected + truth)} is 1 when both are empty and 0 when exactly one is.
     * A figure that was not measured at all (no labels) is {@code null} or NaN, never 1.
     */
    public record Matching(long matched, long detected, long truth) {

        public static final Matching EMPTY = new Matching(0, 0, 0);

        public Matching {
            if (matched < 0 || matched > detected || matched > truth) {
                throw new IllegalArgumentException("impossible matching: " + matched + " of " + detected
                        + " detected and " + truth + " true");
            }
        }

        public double precision() {
            return detected == 0 ? 1.0 : matched / (double) detected;
        }

        public double recall() {
            return truth == 0 ? 1.0 : matched / (double) truth;
        }

        public double f1() {
            return detected + truth == 0 ? 1.0 : 2.0 * matched / (detected + truth);
        }

        /** Truth items without a detected partner. */
        public long missed() {
            return truth - matched;
        }

        /** Detected items without a truth partner. */
        public long spurious() {
            return detected - matched;
        }

        public Matching plus(Matching other) {
            return new Matching(matched + other.matched, detected + other.detected, truth + other.truth);
        }
    }

    /**
     * One party's speech: voice activity on the frame grid, and talk time.
     *
     * @param voiceFrames    frames the truth and the detection mark as this party's speech
     * @param truthTalkMs    the length of the union of the party's truth segments
     * @param detectedTalkMs the party's talk time as the metrics report it
     */
    public record RoleScore(Role role, Matching voiceFrames, long truthTalkMs, long detectedTalkMs) {

        public double vadPrecision() {
            return voiceFrames.precision();
        }

        public double vadRecall() {
            return voiceFrames.recall();
        }

        public double vadF1() {
            return voiceFrames.f1();
        }

        /**
         * {@code |detected - truth| / truth}: 0 when both are 0, infinite when the party never
         * spoke but talk was detected.
         */
        public double talkTimeErrorRatio() {
            return errorRatio(detectedTalkMs, truthTalkMs);
        }

        static double errorRatio(long detected, long truth) {
            long error = Math.abs(detected - truth);
            if (truth == 0) {
                return error == 0 ? 0.0 : Double.POSITIVE_INFINITY;
            }
            return error / (double) truth;
        }
    }

    /**
     * Interruptions matched one-to-one.
     *
     * @param successDisagreements matched pairs whose {@code successful} differs
     * @param missed               truth interruptions nobody detected
     * @param spurious             detected interruptions with no truth partner
     */
    public record InterruptionScore(Matching counts, long successDisagreements, List<TruthInterruption> missed,
            List<Interruption> spurious) {

        public InterruptionScore {
            missed = List.copyOf(missed);
            spurious = List.copyOf(spurious);
        }
    }

    /**
     * Backchannels matched one-to-one, and the interruptions reported on top of a labelled
     * backchannel.
     *
     * @param reportedAsInterruptions detected interruptions whose onset lies at a truth
     *                                backchannel of the same party
     */
    public record BackchannelScore(Matching counts, List<TruthBackchannel> missed, List<Backchannel> spurious,
            List<Interruption> reportedAsInterruptions) {

        public BackchannelScore {
            missed = List.copyOf(missed);
            spurious = List.copyOf(spurious);
            reportedAsInterruptions = List.copyOf(reportedAsInterruptions);
        }
    }

    /**
     * Response gaps matched one-to-one by the agent's start.
     *
     * @param absErrorSumMs the sum of {@code |detected gap - truth gap|} over matched pairs
     */
    public record ResponseGapScore(Matching counts, long absErrorSumMs, List<TruthResponseGap> missed,
            List<ResponseGap> spurious) {

        public ResponseGapScore {
            missed = List.copyOf(missed);
            spurious = List.copyOf(spurious);
        }

        /** Mean absolute gap error of the matched pairs; NaN when none matched. */
        public double meanAbsErrorMs() {
            return counts.matched() == 0 ? Double.NaN : absErrorSumMs / (double) counts.matched();
        }
    }
}
