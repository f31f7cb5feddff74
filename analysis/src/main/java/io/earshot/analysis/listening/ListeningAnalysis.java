package io.earshot.analysis.listening;

import io.earshot.analysis.events.SegmentItem;
import io.earshot.analysis.events.UtteranceItem;
import io.earshot.analysis.metrics.CallMetrics;
import io.earshot.analysis.metrics.ListeningTotals;
import io.earshot.analysis.metrics.Tally;
import java.util.List;

/**
 * The listening analysis of one call, a pure function of its spurts, final utterances and
 * turn-taking metrics, so live running values, the final summary and a replay agree.
 */
public final class ListeningAnalysis {

    private final ListeningConfig config;
    private final BehaviourDetector detector;

    public ListeningAnalysis(ListeningConfig config) {
        this.config = config;
        this.detector = new BehaviourDetector(config.phrases());
    }

    /**
     * @param segments   the call's spurts so far, sorted by start
     * @param utterances its final utterances so far, sorted by start
     * @param metrics    its turn-taking metrics over the same events
     * @param isFinal    whether the call has ended
     */
    public CallListening analyze(List<SegmentItem> segments, List<UtteranceItem> utterances, CallMetrics metrics,
            boolean isFinal) {
        return analyze(segments, utterances, metrics, isFinal, null);
    }

    /**
     * The same, reusing what {@code memo} kept from the call's previous summary: the behaviours
     * of utterances seen before ({@link BehaviourDetector#detect(List, BehaviourDetector.Memo)})
     * and each party's voice, grown by its new spurts, with the tone windows already judged
     * ({@link ToneAnalysis#analyze(List, List, ToneConfig, ToneAnalysis.Memo)}). The result is the
     * same as without it.
     *
     * @param memo the call's memo, or null
     */
    public CallListening analyze(List<SegmentItem> segments, List<UtteranceItem> utterances, CallMetrics metrics,
            boolean isFinal, Memo memo) {
        return analyzeWithTotals(segments, utterances, metrics, isFinal, memo).listening();
    }

    /** A call's listening analysis and the totals its score was computed from. */
    public record Scored(CallListening listening, ListeningTotals totals) {
    }

    /**
     * The same, with the totals of the call's metrics and listening counts that its score is
     * computed from ({@link ListeningTotals#of(CallMetrics, ListeningCounts, boolean)}), so a
     * caller that needs them too does not count them again.
     */
    public Scored analyzeWithTotals(List<SegmentItem> segments, List<UtteranceItem> utterances, CallMetrics metrics,
            boolean isFinal, Memo memo) {
        return analyzeWithTotals(segments, utterances, metrics, null, isFinal, memo, Seen.UNTOLD, Seen.UNTOLD);
    }

    /**
     * The same, told how many leading spurts and utterances are the ones of the memo's last
     * summary, so the memo need not compare them, and given the sums over the metrics' events.
     *
     * @param tally          the sums over the events of {@code metrics} ({@link Tally#of(CallMetrics)}),
     *                       or null to count them
     * @param sameSegments   how many spurts are, or {@link Seen#UNTOLD}
     * @param sameUtterances the same for the utterances
     */
    public Scored analyzeWithTotals(List<SegmentItem> segments, List<UtteranceItem> utterances, CallMetrics metrics,
            Tally tally, boolean isFinal, Memo memo, int sameSegments, int sameUtterances) {
        Tally sums = tally == null ? Tally.of(metrics) : tally;
        List<Behaviour> behaviours = detector.detect(utterances, memo == null ? null : memo.behaviours,
                sameUtterances);
        ToneResult tone = ToneAnalysis.analyze(segments, utterances, config.tone(), memo == null ? null : memo.tone,
                sameSegments, sameUtterances);
        ListeningCounts counts = memo == null ? ListeningCounts.of(behaviours, tone.events())
                : memo.counts.of(behaviours, tone.events());
        ListeningTotals totals = ListeningTotals.of(metrics, sums, counts, isFinal);
        ListeningScore score = ListeningScorer.score(totals, metrics.config().talkShareLow(),
                metrics.config().talkShareHigh(), config.score());
        long[] latestEnds = memo == null ? Coach.latestEnds(utterances, new long[0], 0)
                : memo.latestEnds(utterances, sameUtterances);
        List<CoachingNote> coaching = Coach.notes(metrics, sums, utterances, latestEnds, behaviours,
                tone, config.score(), isFinal, config.coachingNotes(), memo == null ? null : memo.coach);
        return new Scored(new CallListening(behaviours, tone, score, coaching, counts), totals);
    }

    public ListeningConfig config() {
        return config;
    }

    /** What one call's listening analysis keeps from one summary to the next. Not thread-safe: one per call. */
    public static final class Memo {
        private final BehaviourDetector.Memo behaviours = new BehaviourDetector.Memo();
        private final ToneAnalysis.Memo tone = new ToneAnalysis.Memo();
        /** Counts and notes' readings kept with the lists of behaviours and tone events they came from. */
        private ListeningCounts.Kept counts = new ListeningCounts.Kept();
        private Coach.Kept coach = new Coach.Kept();

        /** The utterances of the last summary, and the latest end among them up to each one. */
        private final Seen utterancesSeen = new Seen();
        private long[] latestEnds = new long[0];

        /** How many utterances it holds behaviours for. */
        public int utterances() {
            return behaviours.size();
        }

        private long[] latestEnds(List<UtteranceItem> utterances, int told) {
            int same = utterancesSeen.same(utterances, told);
            utterancesSeen.forget(); // until the ends are taken: a failure leaves nothing to build on
            long[] ends = Coach.latestEnds(utterances, latestEnds, same);
            utterancesSeen.take(utterances, told);
            latestEnds = ends;
            coach.utterancesKept(same);
            return ends;
        }

        /** Starts over: after a failure, or a summary it did not see. */
        public void forget() {
            behaviours.forget();
            tone.forget();
            utterancesSeen.forget();
            counts = new ListeningCounts.Kept();
            coach = new Coach.Kept();
        }
    }
}
