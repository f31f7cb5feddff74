package io.earshot.analysis.evaluation;

import io.earshot.analysis.evaluation.CallScore.BackchannelScore;
import io.earshot.analysis.evaluation.CallScore.InterruptionScore;
import io.earshot.analysis.evaluation.CallScore.Matching;
import io.earshot.analysis.evaluation.CallScore.ResponseGapScore;
import io.earshot.analysis.evaluation.CallScore.RoleScore;
import io.earshot.analysis.metrics.CallMetrics;
import io.earshot.analysis.metrics.ConversationEvents.Backchannel;
import io.earshot.analysis.metrics.ConversationEvents.Interruption;
import io.earshot.analysis.metrics.ConversationEvents.ResponseGap;
import io.earshot.analysis.metrics.Spurt;
import io.earshot.schemas.Role;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Scores what Earshot found in a call (its talk spurts and its {@link CallMetrics}) against
 * what a labeller says happened ({@link CallTruth}). One scorer serves the {@code evaluate}
 * command and the project's own corpus tests, so both report the same figures.
 *
 * <ul>
 * <li><b>Voice activity</b>, per party: the call is cut into frames of
 * {@link Tolerances#gridMs()} (10 ms); a frame is a party's speech when one of its segments
 * (truth) or spurts (detected) covers the frame's midpoint. Precision, recall and F1 count
 * frames. The grid spans the call and anything either side puts beyond its end.</li>
 * <li><b>Talk time</b>, per party: truth is the length of the union of the party's segments
 * (a labeller's overlapping segments count once); detected is the talk time the metrics
 * report. Error ratio {@code |detected - truth| / truth}.</li>
 * <li><b>Overlap</b>: truth is the time both parties' segment unions cover; detected is the
 * metrics' {@code overlapMs}; the error is {@code |detected - truth|} in ms.</li>
 * <li><b>Interruptions</b>: a detected interruption may match a truth one with the same
 * {@code by} and {@code of} whose onset is within {@link Tolerances#interruptionOnsetMs()}
 * (500 ms). Matching is one-to-one and maximum (as many pairs as possible, nearest onset
 * preferred). Matched pairs that disagree on {@code successful} are counted, not unmatched:
 * finding the interruption and judging its outcome are separate questions.</li>
 * <li><b>Backchannels</b>: a detected backchannel may match a truth one of the same party
 * that it overlaps in time (one-to-one, maximum, largest overlap preferred).</li>
 * <li><b>Backchannels reported as interruptions</b>: detected interruptions by a party whose
 * onset lies within a truth backchannel of that party widened by
 * {@link Tolerances#backchannelAsInterruptionMs()} (300 ms) each side; each detected
 * interruption counts once, however many backchannels it touches.</li>
 * <li><b>Response gaps</b>: a detected customer-to-agent transfer may match a truth one whose
 * agent start is within {@link Tolerances#responseGapAgentStartMs()} (500 ms), one-to-one and
 * maximum; the error of a pair is {@code |detected gap - truth gap|}, averaged over matched
 * pairs; unmatched truth gaps are missed, unmatched detected ones spurious.</li>
 * </ul>
 *
 * <p>Event figures are scored only for the kinds the truth labels ({@link TruthEvents}); a
 * call whose truth has no events is scored on voice activity, talk time and overlap alone.
 * Empty lists on either side follow {@link Matching}'s conventions.
 */
public final class Scorer {

    /**
     * How far apart a detection and its truth may be.
     *
     * @param gridMs                      voice-activity frame length
     * @param interruptionOnsetMs         largest onset difference of a matched interruption
     * @param backchannelAsInterruptionMs how far outside a truth backchannel an interruption's
     *                                    onset may lie and still count as that backchannel
     * @param responseGapAgentStartMs     largest agent-start difference of a matched response gap
     */
    public record Tolerances(long gridMs, long interruptionOnsetMs, long backchannelAsInterruptionMs,
            long responseGapAgentStartMs) {

        /**
         * 10 ms frames are finer than the 20 ms the detector decides on, so the grid adds no
         * error of its own; 500 ms onsets absorb a labeller's and a detector's view of where
         * speech starts (word onsets, hangover) while staying well under the second or more that
         * usually separates two events of the same kind, so neighbours do not swap partners.
         */
        public static final Tolerances DEFAULTS = new Tolerances(10, 500, 300, 500);

        public Tolerances {
            if (gridMs <= 0 || interruptionOnsetMs < 0 || backchannelAsInterruptionMs < 0 || responseGapAgentStartMs < 0) {
                throw new IllegalArgumentException("tolerances must not be negative and the grid must be positive");
            }
        }
    }

    private Scorer() {
    }

    public static CallScore score(CallTruth truth, List<Spurt> detected, CallMetrics metrics) {
        return score(truth, detected, metrics, Tolerances.DEFAULTS);
    }

    public static CallScore score(CallTruth truth, List<Spurt> detected, CallMetrics metrics, Tolerances tolerances) {
        long span = Math.max(truth.durationMs(), metrics.durationMs());
        for (TruthSegment s : truth.speech()) {
            span = Math.max(span, s.endMs());
        }
        for (Spurt s : detected) {
            span = Math.max(span, s.endMs());
        }
        int frames = Math.toIntExact(Math.floorDiv(span + tolerances.gridMs() - 1, tolerances.gridMs()));
        List<long[]> agentTruth = Spans.union(truthSpans(truth, Role.AGENT));
        List<long[]> customerTruth = Spans.union(truthSpans(truth, Role.CUSTOMER));
        RoleScore agent = role(Role.AGENT, agentTruth, detected, metrics.agentTalkMs(), tolerances.gridMs(), frames);
        RoleScore customer = role(Role.CUSTOMER, customerTruth, detected, metrics.customerTalkMs(), tolerances.gridMs(),
                frames);
        long truthOverlap = Spans.overlap(agentTruth, customerTruth);
        TruthEvents events = truth.events();
        InterruptionScore interruptions = events != null && events.labelsInterruptions()
                ? interruptions(events.interruptions(), metrics.interruptions(), tolerances) : null;
        BackchannelScore backchannels = events != null && events.labelsBackchannels()
                ? backchannels(events.backchannels(), metrics.backchannels(), metrics.interruptions(), tolerances) : null;
        ResponseGapScore gaps = events != null && events.labelsResponseGaps()
                ? responseGaps(events.responseGaps(), metrics.responseGaps(), tolerances) : null;
        return new CallScore(truth.callId(), span, agent, customer, truthOverlap, metrics.overlapMs(), interruptions,
                backchannels, gaps);
    }

    private static List<long[]> truthSpans(CallTruth truth, Role role) {
        List<long[]> spans = new ArrayList<>();
        for (TruthSegment s : truth.speech()) {
            if (s.role() == role) {
                spans.add(new long[] {s.startMs(), s.endMs()});
            }
        }
        return spans;
    }

    private static RoleScore role(Role role, List<long[]> truth, List<Spurt> detected, long detectedTalkMs, long gridMs,
            int frames) {
        List<long[]> found = new ArrayList<>();
        for (Spurt s : detected) {
            if (s.role() == role) {
                found.add(new long[] {s.startMs(), s.endMs()});
            }
        }
        boolean[] t = Spans.grid(truth, gridMs, frames);
        boolean[] d = Spans.grid(found, gridMs, frames);
        long both = 0;
        long truthFrames = 0;
        long detectedFrames = 0;
        for (int k = 0; k < frames; k++) {
            truthFrames += t[k] ? 1 : 0;
            detectedFrames += d[k] ? 1 : 0;
            both += t[k] && d[k] ? 1 : 0;
        }
        return new RoleScore(role, new Matching(both, detectedFrames, truthFrames), Spans.length(truth), detectedTalkMs);
    }

    private static InterruptionScore interruptions(List<TruthInterruption> truthList, List<Interruption> found,
            Tolerances tolerances) {
        List<TruthInterruption> truth = sorted(truthList, Comparator.comparingLong(TruthInterruption::startMs));
        int[] partner = Pairing.maximum(truth, found,
                (t, d) -> t.by() == d.by() && t.of() == d.of()
                        && Math.abs(t.startMs() - d.startMs()) <= tolerances.interruptionOnsetMs(),
                (t, d) -> Math.abs(t.startMs() - d.startMs()));
        List<TruthInterruption> missed = new ArrayList<>();
        boolean[] used = new boolean[found.size()];
        long disagreements = 0;
        for (int i = 0; i < truth.size(); i++) {
            if (partner[i] < 0) {
                missed.add(truth.get(i));
            } else {
                used[partner[i]] = true;
                if (truth.get(i).successful() != found.get(partner[i]).successful()) {
                    disagreements++;
                }
            }
        }
        return new InterruptionScore(counts(partner, found.size()), disagreements, missed, unused(found, used));
    }

    private static BackchannelScore backchannels(List<TruthBackchannel> truthList, List<Backchannel> found,
            List<Interruption> interruptions, Tolerances tolerances) {
        List<TruthBackchannel> truth = sorted(truthList, Comparator.comparingLong(TruthBackchannel::startMs));
        int[] partner = Pairing.maximum(truth, found,
                (t, d) -> t.by() == d.by() && overlapMs(t.startMs(), t.endMs(), d.startMs(), d.endMs()) > 0,
                (t, d) -> -overlapMs(t.startMs(), t.endMs(), d.startMs(), d.endMs()));
        List<TruthBackchannel> missed = new ArrayList<>();
        boolean[] used = new boolean[found.size()];
        for (int i = 0; i < truth.size(); i++) {
            if (partner[i] < 0) {
                missed.add(truth.get(i));
            } else {
                used[partner[i]] = true;
            }
        }
        long reach = tolerances.backchannelAsInterruptionMs();
        List<Interruption> onBackchannels = interruptions.stream()
                .filter(i -> truth.stream().anyMatch(b -> b.by() == i.by()
                        && i.startMs() >= b.startMs() - reach && i.startMs() <= b.endMs() + reach))
                .toList();
        return new BackchannelScore(counts(partner, found.size()), missed, unused(found, used), onBackchannels);
    }

    private static ResponseGapScore responseGaps(List<TruthResponseGap> truthList, List<ResponseGap> found,
            Tolerances tolerances) {
        List<TruthResponseGap> truth = sorted(truthList, Comparator.comparingLong(TruthResponseGap::agentStartMs));
        int[] partner = Pairing.maximum(truth, found,
                (t, d) -> Math.abs(t.agentStartMs() - d.agentStartMs()) <= tolerances.responseGapAgentStartMs(),
                (t, d) -> Math.abs(t.agentStartMs() - d.agentStartMs()));
        List<TruthResponseGap> missed = new ArrayList<>();
        boolean[] used = new boolean[found.size()];
        long errorSum = 0;
        for (int i = 0; i < truth.size(); i++) {
            if (partner[i] < 0) {
                missed.add(truth.get(i));
            } else {
                used[partner[i]] = true;
                errorSum += Math.abs(found.get(partner[i]).gapMs() - truth.get(i).gapMs());
            }
        }
        return new ResponseGapScore(counts(partner, found.size()), errorSum, missed, unused(found, used));
    }

    private static long overlapMs(long aStart, long aEnd, long bStart, long bEnd) {
        return Math.min(aEnd, bEnd) - Math.max(aStart, bStart);
    }

    private static Matching counts(int[] partner, int detected) {
        long matched = java.util.Arrays.stream(partner).filter(p -> p >= 0).count();
        return new Matching(matched, detected, partner.length);
    }

    private static <T> List<T> sorted(List<T> list, Comparator<T> order) {
        List<T> copy = new ArrayList<>(list);
        copy.sort(order);
        return copy;
    }

    private static <D> List<D> unused(List<D> found, boolean[] used) {
        List<D> rest = new ArrayList<>();
        for (int j = 0; j < found.size(); j++) {
            if (!used[j]) {
                rest.add(found.get(j));
            }
        }
        return rest;
    }
}
