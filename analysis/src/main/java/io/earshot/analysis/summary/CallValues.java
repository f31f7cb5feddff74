package io.earshot.analysis.summary;

import io.earshot.analysis.config.JobConfig;
import io.earshot.analysis.events.SegmentItem;
import io.earshot.analysis.events.UtteranceItem;
import io.earshot.analysis.events.WordItem;
import io.earshot.analysis.listening.CallListening;
import io.earshot.analysis.listening.ListeningAnalysis;
import io.earshot.analysis.listening.ListeningCounts;
import io.earshot.analysis.listening.Unchanged;
import io.earshot.analysis.metrics.CallMetrics;
import io.earshot.analysis.metrics.ConversationAnalysis;
import io.earshot.analysis.metrics.ListeningTotals;
import io.earshot.analysis.metrics.Spurt;
import io.earshot.analysis.metrics.Tally;
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
 * @param totals    the call's additive totals ({@link ListeningTotals#of(CallMetrics, ListeningCounts, boolean)},
 *                  with no listening counts when there is no listening analysis), counted once
 */
public record CallValues(CallMetrics metrics, CallListening listening, List<SegmentItem> segments,
        List<UtteranceItem> utterances, ListeningTotals totals) {

    /** By start, then role (written out: a running value sorts with them, and chained comparators cost more). */
    public static final Comparator<SegmentItem> SEGMENT_ORDER = (a, b) -> {
        int c = Long.compare(a.startMs(), b.startMs());
        return c != 0 ? c : a.role().compareTo(b.role());
    };
    public static final Comparator<UtteranceItem> UTTERANCE_ORDER = (a, b) -> {
        int c = Long.compare(a.startMs(), b.startMs());
        return c != 0 ? c : a.role().compareTo(b.role());
    };

    /**
     * @param segments   the call's spurts known by then, in any order (the list is sorted in place)
     * @param utterances its utterances known by then, in any order (sorted in place)
     * @param endMs      the call's length, when its end is known by then; otherwise null, and the
     *                   latest end of its speech counts
     */
    public static CallValues of(List<SegmentItem> segments, List<UtteranceItem> utterances, Long endMs,
            JobConfig config, ListeningAnalysis listening, boolean isFinal) {
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
        CallMetrics metrics = ConversationAnalysis.analyze(duration, spurts, words, config.metrics(), isFinal);
        if (listening == null) {
            return new CallValues(metrics, null, segments, utterances,
                    ListeningTotals.of(metrics, ListeningCounts.ZERO, isFinal));
        }
        ListeningAnalysis.Scored heard = listening.analyzeWithTotals(segments, utterances, metrics, isFinal, null);
        return new CallValues(metrics, heard.listening(), segments, utterances, heard.totals());
    }

    /**
     * The same, reusing what {@code memo} kept from the call's previous summary: the values are
     * the same as without it, only cheaper when most of the call is unchanged. The lists are not
     * changed: the memo takes their items in and sorts them; the values' {@link #segments()} and
     * {@link #utterances()} are the memo's sorted lists, read-only and valid until its next use.
     *
     * @param segments       the call's spurts known by then, in any order
     * @param sameSegments   how many leading items of {@code segments} are the ones given with
     *                       this memo last time, in the same places (0 when not known): the memo
     *                       takes in only the others, so a running value costs what is new in it
     * @param utterances     its utterances known by then, in any order
     * @param sameUtterances the same for {@code utterances}
     * @param memo           the call's memo (one per call, see {@link Memo})
     */
    public static CallValues of(List<SegmentItem> segments, int sameSegments, List<UtteranceItem> utterances,
            int sameUtterances, Long endMs, JobConfig config, ListeningAnalysis listening, boolean isFinal,
            Memo memo) {
        try {
            Lists lists = memo.lists;
            int sameSpurts = lists.takeSegments(segments, sameSegments);
            int sameWords = lists.takeUtterances(utterances, sameUtterances);
            long duration = endMs != null ? endMs : lists.latest();
            CallMetrics metrics = ConversationAnalysis.analyze(duration, lists.spurts, lists.words, config.metrics(),
                    isFinal, memo.conversation, sameSpurts, sameWords);
            List<SegmentItem> sortedSegments = lists.segmentOrder.sorted();
            List<UtteranceItem> sortedUtterances = lists.utteranceOrder.sorted();
            if (listening == null) {
                memo.listening.forget(); // it did not see this summary
                // the sums kept with the turn-taking's parts, not counted over the whole call again
                Tally tally = memo.conversation.tally();
                return new CallValues(metrics, null, sortedSegments, sortedUtterances,
                        tally == null ? ListeningTotals.of(metrics, ListeningCounts.ZERO, isFinal)
                                : ListeningTotals.of(metrics, tally, ListeningCounts.ZERO, isFinal));
            }
            ListeningAnalysis.Scored heard = listening.analyzeWithTotals(sortedSegments, sortedUtterances, metrics,
                    memo.conversation.tally(), isFinal, memo.listening, sameSpurts, lists.sameUtterances);
            return new CallValues(metrics, heard.listening(), sortedSegments, sortedUtterances, heard.totals());
        } catch (RuntimeException e) {
            // what each part keeps must describe the same summary: start them all over
            memo.forget();
            throw e;
        }
    }

    /**
     * What one call's summaries can reuse from the previous one: the call's segments and
     * utterances in order, with the spurts and words made from them ({@link Lists}), the
     * turn-taking of the call's settled part ({@link ConversationAnalysis.Memo}), told how much
     * of those is unchanged so it need not check it item by item, the listening behaviours found per
     * utterance, and each party's growing voice with the tone windows already judged
     * ({@link ListeningAnalysis.Memo}). Kept by whoever computes a call's summaries in turn (the
     * call operator, the benchmark's plain loop), one per call, dropped when the call closes;
     * holding none (after a restart) only costs one full pass. Not thread-safe.
     */
    public static final class Memo {
        private Lists lists = new Lists();
        private final ConversationAnalysis.Memo conversation = new ConversationAnalysis.Memo();
        private final ListeningAnalysis.Memo listening = new ListeningAnalysis.Memo();

        /** How many utterances it holds behaviours for. */
        public int utterances() {
            return listening.utterances();
        }

        /**
         * Where the turn-taking its last summary computed again starts: the end of the call's
         * settled part ({@link ConversationAnalysis.Memo#settledUntilMs()}), {@code Long.MIN_VALUE}
         * when none is kept and the whole call was computed.
         */
        public long settledUntilMs() {
            return conversation.settledUntilMs();
        }

        private void forget() {
            lists = new Lists();
            conversation.forget();
            listening.forget();
        }
    }

    /**
     * Sorts a call's items as a stable sort does, from the order of the last list it sorted: when
     * the new list is that one with items added at its end (as a call's state grows), each added
     * item goes in after the ones it does not sort before, instead of sorting the call again.
     */
    static final class Sorter<T> {
        private final Comparator<T> order;
        /** How many items it was given last. */
        private int given;
        private final List<T> sorted = new ArrayList<>();
        private final List<T> view = java.util.Collections.unmodifiableList(sorted);

        Sorter(Comparator<T> order) {
            this.order = order;
        }

        /**
         * Sorts {@code items} (left as they are) into its list; returns how many leading items of
         * its sorted list are those of the last one (the same object or an equal one, in the same
         * place).
         *
         * @param same how many leading items of {@code items} are the ones it was given last
         */
        int sort(List<T> items, int same) {
            int sameSorted = sorted.size();
            if (Math.min(same, items.size()) < given) { // changed, or fewer: sort them all again
                Object[] before = sorted.toArray();
                sorted.clear();
                sorted.addAll(items);
                sorted.sort(order);
                sameSorted = Unchanged.leading(before, sorted);
            } else {
                for (T item : items.subList(given, items.size())) {
                    // after every item it does not sort before: where a stable sort leaves it
                    // (most often after the last one, as a call's items mostly come in order;
                    // else mostly just before it, so the steps back from the end double until
                    // one lands on an item it does not sort before, and the halving searches
                    // only from there: a long call's early items, cold in memory, stay unread)
                    int hi = sorted.size();
                    int probe = hi - 1;
                    for (int step = 1; probe >= 0 && order.compare(sorted.get(probe), item) > 0; step <<= 1) {
                        hi = probe;
                        probe = hi - step;
                    }
                    int lo = Math.max(0, probe + 1);
                    while (lo < hi) {
                        int mid = (lo + hi) >>> 1;
                        if (order.compare(sorted.get(mid), item) <= 0) {
                            lo = mid + 1;
                        } else {
                            hi = mid;
                        }
                    }
                    sorted.add(lo, item);
                    sameSorted = Math.min(sameSorted, lo); // the items before it keep their places
                }
            }
            given = items.size();
            return sameSorted;
        }

        /** The items last sorted, in order: read-only, and changed by the next {@link #sort}. */
        List<T> sorted() {
            return view;
        }
    }

    /**
     * The turn-taking analysis's spurts and words of a call's last summary, built again only
     * from the first segment or utterance that is not the one in its place last time (the same
     * object or an equal one), as the sort finds it: a running value of a long call so adds its
     * new spurts and words instead of converting the whole call again, and tells the analysis how
     * much is unchanged.
     */
    static final class Lists {
        final Sorter<SegmentItem> segmentOrder = new Sorter<>(SEGMENT_ORDER);
        final Sorter<UtteranceItem> utteranceOrder = new Sorter<>(UTTERANCE_ORDER);
        final List<Spurt> spurts = new ArrayList<>();
        final List<TimedWord> words = new ArrayList<>();
        /** Per segment and per utterance taken (the first {@link #segmentCount} and {@link #utteranceCount}): the latest end up to it. */
        private long[] segmentLatest = new long[16];
        private long[] utteranceLatest = new long[16];
        /** Per utterance taken: how many words the utterances before it have. */
        private int[] wordsBefore = new int[16];
        private int segmentCount;
        private int utteranceCount;

        /** How many leading utterances of the last ones taken, in order, are those of the ones before. */
        int sameUtterances;

        /**
         * Sorts the summary's segments and takes them; returns how many leading spurts are unchanged.
         *
         * @param told how many leading segments are the ones given last time, in the same places
         */
        int takeSegments(List<SegmentItem> given, int told) {
            int same = segmentOrder.sort(given, told);
            List<SegmentItem> segments = segmentOrder.sorted();
            spurts.subList(same, spurts.size()).clear();
            segmentLatest = room(segmentLatest, segments.size());
            for (int i = same; i < segments.size(); i++) {
                SegmentItem s = segments.get(i);
                spurts.add(new Spurt(s.role(), s.startMs(), s.endMs()));
                segmentLatest[i] = Math.max(i == 0 ? 0 : segmentLatest[i - 1], s.endMs());
            }
            segmentCount = segments.size();
            return same;
        }

        /**
         * Sorts the summary's utterances and takes them; returns how many leading words are unchanged.
         *
         * @param told how many leading utterances are the ones given last time, in the same places
         */
        int takeUtterances(List<UtteranceItem> given, int told) {
            int same = utteranceOrder.sort(given, told);
            sameUtterances = same;
            List<UtteranceItem> utterances = utteranceOrder.sorted();
            int sameWords = same < utteranceCount ? wordsBefore[same] : words.size();
            words.subList(sameWords, words.size()).clear();
            utteranceLatest = room(utteranceLatest, utterances.size());
            wordsBefore = room(wordsBefore, utterances.size());
            for (int i = same; i < utterances.size(); i++) {
                UtteranceItem u = utterances.get(i);
                wordsBefore[i] = words.size();
                utteranceLatest[i] = Math.max(i == 0 ? 0 : utteranceLatest[i - 1], u.endMs());
                for (WordItem w : u.words()) {
                    words.add(new TimedWord(u.role(), w.word(), w.startMs(), w.endMs()));
                }
            }
            utteranceCount = utterances.size();
            return sameWords;
        }

        /** {@code a}, or a copy with room for {@code n}: grown by doubling, not copied at every summary. */
        private static long[] room(long[] a, int n) {
            return n <= a.length ? a : java.util.Arrays.copyOf(a, Math.max(n, 2 * a.length));
        }

        private static int[] room(int[] a, int n) {
            return n <= a.length ? a : java.util.Arrays.copyOf(a, Math.max(n, 2 * a.length));
        }

        /** The latest end of the segments and utterances taken. */
        long latest() {
            long s = segmentCount == 0 ? 0 : segmentLatest[segmentCount - 1];
            long u = utteranceCount == 0 ? 0 : utteranceLatest[utteranceCount - 1];
            return Math.max(s, u);
        }

    }
}
