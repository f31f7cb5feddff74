package io.earshot.analysis.summary;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.analysis.events.SegmentItem;
import io.earshot.analysis.events.UtteranceItem;
import io.earshot.analysis.events.WordItem;
import io.earshot.analysis.metrics.Spurt;
import io.earshot.analysis.metrics.TimedWord;
import io.earshot.schemas.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The memo's spurts and words, built again only from the first segment or utterance not in its
 * place: after any sequence of summaries (items added at the end, arriving late in the middle,
 * given again with other words, equal copies in place of the same objects) they are the
 * conversion of the whole call, and what it reports unchanged is the previous summary's.
 */
class CallValuesListsTest {

    @Test
    void shouldBuildTheListsOfTheWholeCallAndReportWhatIsUnchanged() {
        int partly = 0;
        for (long seed = 1; seed <= 60; seed++) {
            Random random = new Random(seed);
            CallValues.Lists lists = new CallValues.Lists();
            List<SegmentItem> segments = new ArrayList<>();
            List<UtteranceItem> utterances = new ArrayList<>();
            List<Spurt> lastSpurts = List.of();
            List<TimedWord> lastWords = List.of();
            List<SegmentItem> lastSegments = List.of();
            List<UtteranceItem> lastUtterances = List.of();
            long t = 0;
            for (int step = 0; step < 80; step++) {
                for (int k = random.nextInt(4); k > 0; k--) {
                    Role role = random.nextBoolean() ? Role.AGENT : Role.CUSTOMER;
                    // now and then one arrives late, with an earlier start
                    long start = random.nextInt(8) == 0 ? Math.max(0, t - random.nextInt(30_000)) : t;
                    long end = start + 200 + random.nextInt(3_000);
                    segments.add(new SegmentItem(role, start, end, 150, 3, -25));
                    if (random.nextInt(4) != 0) {
                        utterances.add(utterance(random, role, start, end));
                    }
                    t = Math.max(t, end + random.nextInt(1_000));
                }
                if (!utterances.isEmpty() && random.nextInt(10) == 0) { // one given again, other words
                    int i = random.nextInt(utterances.size());
                    UtteranceItem u = utterances.get(i);
                    utterances.set(i, utterance(random, u.role(), u.startMs(), u.endMs()));
                }
                if (!segments.isEmpty() && random.nextInt(10) == 0) { // an equal copy, not the same object
                    int i = random.nextInt(segments.size());
                    SegmentItem s = segments.get(i);
                    segments.set(i, new SegmentItem(s.role(), s.startMs(), s.endMs(), 150, 3, -25));
                }
                List<SegmentItem> sortedSegments = new ArrayList<>(segments);
                sortedSegments.sort(CallValues.SEGMENT_ORDER);
                List<UtteranceItem> sortedUtterances = new ArrayList<>(utterances);
                sortedUtterances.sort(CallValues.UTTERANCE_ORDER);
                // told what is unchanged in the lists as given, as a caller knows it
                int sameSpurts = lists.takeSegments(segments, leadingSame(lastSegments, segments));
                int sameWords = lists.takeUtterances(utterances, leadingSame(lastUtterances, utterances));
                lastSegments = List.copyOf(segments);
                lastUtterances = List.copyOf(utterances);
                assertThat(lists.segmentOrder.sorted()).isEqualTo(sortedSegments);
                assertThat(lists.utteranceOrder.sorted()).isEqualTo(sortedUtterances);

                List<Spurt> spurts = new ArrayList<>();
                long latest = 0;
                for (SegmentItem s : sortedSegments) {
                    spurts.add(new Spurt(s.role(), s.startMs(), s.endMs()));
                    latest = Math.max(latest, s.endMs());
                }
                List<TimedWord> words = new ArrayList<>();
                for (UtteranceItem u : sortedUtterances) {
                    latest = Math.max(latest, u.endMs());
                    for (WordItem w : u.words()) {
                        words.add(new TimedWord(u.role(), w.word(), w.startMs(), w.endMs()));
                    }
                }
                assertThat(lists.spurts).as("seed %d step %d", seed, step).isEqualTo(spurts);
                assertThat(lists.words).as("seed %d step %d", seed, step).isEqualTo(words);
                assertThat(lists.latest()).isEqualTo(latest);
                assertThat(sameSpurts).isBetween(0, Math.min(lastSpurts.size(), spurts.size()));
                assertThat(spurts.subList(0, sameSpurts)).isEqualTo(lastSpurts.subList(0, sameSpurts));
                assertThat(sameWords).isBetween(0, Math.min(lastWords.size(), words.size()));
                assertThat(words.subList(0, sameWords)).isEqualTo(lastWords.subList(0, sameWords));
                if (sameSpurts > 0 && sameSpurts < spurts.size() && sameWords > 0) {
                    partly++;
                }
                lastSpurts = spurts;
                lastWords = words;
            }
        }
        // most summaries reused a part and built the rest
        assertThat(partly).isGreaterThan(60 * 80 / 2);
    }

    /** How many leading items of {@code now} are the same objects as those of {@code before}. */
    private static int leadingSame(List<?> before, List<?> now) {
        int same = 0;
        while (same < Math.min(before.size(), now.size()) && before.get(same) == now.get(same)) {
            same++;
        }
        return same;
    }

    /**
     * The memo's sort, which puts the items added at the end of the last list in among the sorted
     * ones, leaves every list as the stable sort does: the same items in the same places, equal
     * keys in the order given, also when the list changed elsewhere.
     */
    @Test
    void shouldSortAsTheStableSortDoes() {
        long reported = 0;
        long couldReport = 0;
        for (long seed = 1; seed <= 60; seed++) {
            Random random = new Random(seed);
            CallValues.Sorter<SegmentItem> sorter = new CallValues.Sorter<>(CallValues.SEGMENT_ORDER);
            List<SegmentItem> arrived = new ArrayList<>();
            List<SegmentItem> lastArrived = List.of();
            List<SegmentItem> last = List.of();
            for (int step = 0; step < 60; step++) {
                for (int k = random.nextInt(5); k > 0; k--) {
                    // few distinct starts: many ties, broken by role, then by arrival
                    long start = 500L * random.nextInt(40);
                    Role role = random.nextBoolean() ? Role.AGENT : Role.CUSTOMER;
                    arrived.add(new SegmentItem(role, start, start + 100 + random.nextInt(900), 150, 3, -25));
                }
                if (!arrived.isEmpty() && random.nextInt(12) == 0) {
                    arrived.remove(random.nextInt(arrived.size()));
                }
                List<SegmentItem> expected = new ArrayList<>(arrived);
                expected.sort(CallValues.SEGMENT_ORDER);
                int same = sorter.sort(arrived, leadingSame(lastArrived, arrived));
                lastArrived = List.copyOf(arrived);
                List<SegmentItem> sorted = sorter.sorted();
                assertThat(sorted).as("seed %d step %d", seed, step).hasSameSizeAs(expected);
                for (int i = 0; i < expected.size(); i++) {
                    assertThat(sorted.get(i)).as("seed %d step %d at %d", seed, step, i).isSameAs(expected.get(i));
                }
                // what it reports unchanged is the last sorted list's (the same or an equal item in
                // each place): never more, and all of it but an inserted item equal to the one it
                // displaced
                int unchanged = 0;
                while (unchanged < Math.min(last.size(), sorted.size())
                        && sorted.get(unchanged).equals(last.get(unchanged))) {
                    unchanged++;
                }
                assertThat(same).as("seed %d step %d", seed, step).isBetween(0, unchanged);
                reported += same;
                couldReport += unchanged;
                last = List.copyOf(sorted);
            }
        }
        assertThat(reported).isGreaterThanOrEqualTo(couldReport * 99 / 100);
    }

    private static UtteranceItem utterance(Random random, Role role, long start, long end) {
        List<WordItem> words = new ArrayList<>();
        for (long w = start; w + 150 <= end; w += 150 + random.nextInt(400)) {
            words.add(new WordItem("w" + random.nextInt(50), w, w + 140, 0.9));
        }
        return new UtteranceItem(role, start, end, "words", words);
    }
}
