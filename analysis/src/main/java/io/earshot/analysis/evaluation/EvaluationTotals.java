package io.earshot.analysis.evaluation;

import io.earshot.analysis.evaluation.CallScore.Matching;
import io.earshot.analysis.evaluation.CallScore.RoleScore;
import io.earshot.schemas.Role;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The figures of many calls together. Counts are summed over the calls before any ratio is
 * taken (micro-averages), so a long call weighs by its frames and events, and a call with
 * nothing to find neither helps nor hurts. Event figures sum only the calls whose truth labels
 * that kind of event; a figure no call measured is NaN (so is every figure of no calls).
 */
public record EvaluationTotals(List<CallScore> calls) {

    public EvaluationTotals {
        calls = List.copyOf(calls);
    }

    public static EvaluationTotals of(List<CallScore> calls) {
        return new EvaluationTotals(calls);
    }

    // ---------------------------------------------------------------- voice activity and talk time

    /** Frames of the party's speech over all calls; {@code null} for no calls. */
    public Matching voiceFrames(Role role) {
        return sum(c -> c.role(role).voiceFrames());
    }

    public double vadPrecision(Role role) {
        return ratio(voiceFrames(role), Matching::precision);
    }

    public double vadRecall(Role role) {
        return ratio(voiceFrames(role), Matching::recall);
    }

    public double vadF1(Role role) {
        return ratio(voiceFrames(role), Matching::f1);
    }

    public long truthTalkMs(Role role) {
        return calls.stream().mapToLong(c -> c.role(role).truthTalkMs()).sum();
    }

    public long detectedTalkMs(Role role) {
        return calls.stream().mapToLong(c -> c.role(role).detectedTalkMs()).sum();
    }

    /** {@code |detected - truth| / truth} of the party's talk time summed over the calls. */
    public double talkTimeErrorRatio(Role role) {
        return calls.isEmpty() ? Double.NaN : RoleScore.errorRatio(detectedTalkMs(role), truthTalkMs(role));
    }

    /** The largest talk-time error ratio of any one call. */
    public double worstCallTalkTimeErrorRatio(Role role) {
        return calls.stream().mapToDouble(c -> c.role(role).talkTimeErrorRatio()).max().orElse(Double.NaN);
    }

    // ---------------------------------------------------------------- overlap

    public long truthOverlapMs() {
        return calls.stream().mapToLong(CallScore::truthOverlapMs).sum();
    }

    /**
     * The calls' overlap errors {@code |detected - truth|} added up (not netted: one call's
     * excess does not cancel another's shortfall), in ms; NaN for no calls.
     */
    public double overlapErrorMs() {
        return calls.isEmpty() ? Double.NaN : calls.stream().mapToLong(CallScore::overlapErrorMs).sum();
    }

    // ---------------------------------------------------------------- interruptions

    /** Interruption counts of the calls that label interruptions; {@code null} when none does. */
    public Matching interruptions() {
        return sum(c -> c.interruptions() == null ? null : c.interruptions().counts());
    }

    public double interruptionPrecision() {
        return ratio(interruptions(), Matching::precision);
    }

    public double interruptionRecall() {
        return ratio(interruptions(), Matching::recall);
    }

    public double interruptionF1() {
        return ratio(interruptions(), Matching::f1);
    }

    /** Matched interruptions whose {@code successful} differs from the truth's. */
    public long interruptionSuccessDisagreements() {
        return calls.stream().filter(c -> c.interruptions() != null)
                .mapToLong(c -> c.interruptions().successDisagreements()).sum();
    }

    // ---------------------------------------------------------------- backchannels

    /** Backchannel counts of the calls that label backchannels; {@code null} when none does. */
    public Matching backchannels() {
        return sum(c -> c.backchannels() == null ? null : c.backchannels().counts());
    }

    public double backchannelPrecision() {
        return ratio(backchannels(), Matching::precision);
    }

    public double backchannelRecall() {
        return ratio(backchannels(), Matching::recall);
    }

    /** Detected interruptions on a labelled backchannel of the same party, over the calls that label backchannels. */
    public long backchannelsAsInterruptions() {
        return calls.stream().filter(c -> c.backchannels() != null)
                .mapToLong(c -> c.backchannels().reportedAsInterruptions().size()).sum();
    }

    // ---------------------------------------------------------------- response gaps

    /** Response-gap counts of the calls that label response gaps; {@code null} when none does. */
    public Matching responseGaps() {
        return sum(c -> c.responseGaps() == null ? null : c.responseGaps().counts());
    }

    /** Mean {@code |detected gap - truth gap|} over all matched gaps; NaN when none matched. */
    public double meanAbsResponseGapErrorMs() {
        long matched = matchedResponseGaps();
        long errors = calls.stream().filter(c -> c.responseGaps() != null)
                .mapToLong(c -> c.responseGaps().absErrorSumMs()).sum();
        return matched == 0 ? Double.NaN : errors / (double) matched;
    }

    public long matchedResponseGaps() {
        Matching m = responseGaps();
        return m == null ? 0 : m.matched();
    }

    public long missedResponseGaps() {
        Matching m = responseGaps();
        return m == null ? 0 : m.missed();
    }

    public long spuriousResponseGaps() {
        Matching m = responseGaps();
        return m == null ? 0 : m.spurious();
    }

    // ---------------------------------------------------------------- helpers

    /** Sum of the non-null counts; {@code null} when there are none. */
    private Matching sum(Function<CallScore, Matching> counts) {
        Matching total = null;
        for (CallScore c : calls) {
            Matching m = counts.apply(c);
            if (m != null) {
                total = total == null ? m : total.plus(m);
            }
        }
        return total;
    }

    private static double ratio(Matching m, Function<Matching, Double> figure) {
        return m == null ? Double.NaN : Objects.requireNonNull(figure.apply(m));
    }
}
