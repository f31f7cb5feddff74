package io.earshot.analysis.summary;

import io.earshot.analysis.config.JobConfig;
import io.earshot.analysis.events.SegmentItem;
import io.earshot.analysis.events.UtteranceItem;
import io.earshot.analysis.events.WordItem;
import io.earshot.analysis.listening.CallListening;
import io.earshot.analysis.listening.ListeningAnalysis;
import io.earshot.analysis.metrics.CallMetrics;
import io.earshot.analysis.metrics.ConversationAnalysis;
import io.earshot.analysis.metrics.Spurt;
import io.earshot.analysis.metrics.TimedWord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The metric math of one summary of a call (a running value or the final one) from the spurts
 * and utterances known by then: what the call operator runs at each emission, and what the
 * benchmark's plain loop runs, so both compute the same values with the same code.
 *
 * @param metrics   the turn-taking metrics
 * @param listening the listening analysis over the same events
 * @param segments  the spurts, sorted by start then role
 * @param utterances the utterances, sorted by start then role
 */
public record CallValues(CallMetrics metrics, CallListening listening, List<SegmentItem> segments,
        List<UtteranceItem> utterances) {

    public static final Comparator<SegmentItem> SEGMENT_ORDER = Comparator.comparingLong(SegmentItem::startMs)
            .thenComparing(SegmentItem::role);
    public static final Comparator<UtteranceItem> UTTERANCE_ORDER = Comparator.comparingLong(UtteranceItem::startMs)
            .thenComparing(UtteranceItem::role);

    /**
     * @param segments   the call's spurts known by then, in any order (the list is sorted in place)
     * @param utterances its utterances known by then, in any order (sorted in place)
     * @param endMs      the call's length, when its end is known by then; otherwise null, and the
     *                   latest end of its speech counts
     */
    public static CallValues of(List<SegmentItem> segments, List<UtteranceItem> utterances, Long endMs,
            JobConfig config, ListeningAnalysis listening, boolean isFinal) {
        return of(segments, utterances, endMs, config, listening, isFinal, null);
    }

    /**
     * The same, reusing what {@code memo} kept from the call's previous summary: the values are
     * the same as without it, only cheaper when most of the call is unchanged.
     *
     * @param memo the call's memo (one per call, see {@link Memo}), or null
     */
    public static CallValues of(List<SegmentItem> segments, List<UtteranceItem> utterances, Long endMs,
            JobConfig config, ListeningAnalysis listening, boolean isFinal, Memo memo) {
        segments.sort(SEGMENT_ORDER);
        utterances.sort(UTTERANCE_ORDER);
        List<Spurt> spurts = new ArrayList<>(segments.size());
        long latest = 0;
        for (SegmentItem s : segments) {
            spurts.add(new Spurt(s.role(), s.startMs(), s.endMs()));
            latest = Math.max(latest, s.endMs());
        }
        List<TimedWord> words = new ArrayList<>();
        for (UtteranceItem u : utterances) {
            latest = Math.max(latest, u.endMs());
            for (WordItem w : u.words()) {
                words.add(new TimedWord(u.role(), w.word(), w.startMs(), w.endMs()));
            }
        }
        long duration = endMs != null ? endMs : latest;
        CallMetrics metrics = ConversationAnalysis.analyze(duration, spurts, words, config.metrics(), isFinal,
                memo == null ? null : memo.conversation);
        CallListening heard = listening == null ? null : listening.analyze(segments, utterances, metrics, isFinal,
                memo == null ? null : memo.listening);
        return new CallValues(metrics, heard, segments, utterances);
    }

    /**
     * What one call's summaries can reuse from the previous one: the turn-taking of the call's
     * settled part ({@link ConversationAnalysis.Memo}), the listening behaviours found per
     * utterance, and each party's growing voice with the tone windows already judged
     * ({@link ListeningAnalysis.Memo}). Kept by whoever computes a call's summaries in turn (the
     * call operator, the benchmark's plain loop), one per call, dropped when the call closes;
     * holding none (after a restart) only costs one full pass. Not thread-safe.
     */
    public static final class Memo {
        private final ConversationAnalysis.Memo conversation = new ConversationAnalysis.Memo();
        private final ListeningAnalysis.Memo listening = new ListeningAnalysis.Memo();

        /** How many utterances it holds behaviours for. */
        public int utterances() {
            return listening.utterances();
        }
    }
}
