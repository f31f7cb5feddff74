package io.earshot.analysis.listening;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.analysis.events.SegmentItem;
import io.earshot.analysis.events.UtteranceItem;
import io.earshot.analysis.events.WordItem;
import io.earshot.schemas.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Fast speech reads each run's baseline (the agent's median rate in the rest of the call) from a
 * tree of the spurts ranked by rate instead of sorting the rest of the call per run. Over seeded
 * random calls, at every prefix of each call (as running values see them), both ways give the
 * same events with the same values.
 */
class FastSpeechBaselineTest {

    private static final ToneConfig LOOSE = new ToneConfig(10_000, 6.0, 2_000, 600, 45_000, 2.0, 3.0, 2.0, 60_000,
            1.05, 1_000, 5_000);
    /** A ceiling under the ratio times a typical rate: runs qualify by the ceiling alone. */
    private static final ToneConfig LOW_CEILING = new ToneConfig(10_000, 6.0, 2_000, 600, 45_000, 2.0, 3.0, 2.0,
            60_000, 1.25, 80, 20_000);

    @Test
    void theRankedBaselineGivesTheEventsOfTheSortedOne() {
        int events = 0;
        int compared = 0;
        for (long seed = 1; seed <= 40; seed++) {
            Random random = new Random(seed);
            List<SegmentItem> segments = new ArrayList<>();
            List<UtteranceItem> utterances = new ArrayList<>();
            call(random, 60 + random.nextInt(240), segments, utterances);
            for (int n = 1; n <= segments.size(); n += 1 + segments.size() / 25) {
                List<SegmentItem> segs = segments.subList(0, n);
                List<UtteranceItem> utts = utterances.subList(0, n);
                for (ToneConfig config : List.of(ToneConfig.DEFAULTS, LOOSE)) {
                    ToneAnalysis.Voice v = ToneAnalysis.Voice.of(Role.AGENT, segs, utts);
                    List<ToneEvent> ranked = ToneAnalysis.fastSpeech(v, config, true);
                    List<ToneEvent> sorted = ToneAnalysis.fastSpeech(v, config, false);
                    assertThat(ranked).as("seed %d, first %d spurts", seed, n).isEqualTo(sorted);
                    events += sorted.size();
                    compared++;
                }
            }
        }
        assertThat(compared).isGreaterThan(1_000);
        assertThat(events).as("events compared").isGreaterThan(200);
    }

    /**
     * The tone memo finds fast speech from the runs whose spurts changed and judges against the
     * exact baseline only the runs near it: fed as a live call is (spurts one by one, their words
     * a few spurts behind), every summary's fast speech equals the whole pass's.
     */
    @Test
    void theMemoGivesTheEventsOfTheWholePass() {
        int events = 0;
        int compared = 0;
        for (long seed = 1; seed <= 20; seed++) {
            Random random = new Random(100 + seed);
            List<SegmentItem> segments = new ArrayList<>();
            List<UtteranceItem> utterances = new ArrayList<>();
            call(random, 60 + random.nextInt(300), segments, utterances);
            for (ToneConfig config : List.of(ToneConfig.DEFAULTS, LOOSE, LOW_CEILING)) {
                ToneAnalysis.Memo memo = new ToneAnalysis.Memo();
                int heard = 0;
                for (int n = 1; n <= segments.size(); n++) {
                    // the recogniser runs up to four spurts behind, and now and then catches up
                    heard = Math.max(heard, n - random.nextInt(5));
                    List<SegmentItem> segs = segments.subList(0, n);
                    List<UtteranceItem> utts = utterances.subList(0, heard);
                    ToneResult whole = ToneAnalysis.analyze(segs, utts, config);
                    ToneResult kept = ToneAnalysis.analyze(segs, utts, config, memo);
                    assertThat(kept).as("seed %d, first %d spurts, %d heard", seed, n, heard).isEqualTo(whole);
                    events += (int) whole.events().stream().filter(e -> e.kind() == ToneKind.FAST_SPEECH).count();
                    compared++;
                }
            }
        }
        assertThat(compared).isGreaterThan(5_000);
        assertThat(events).as("fast-speech events compared").isGreaterThan(2_000);
    }

    /**
     * An agent's spurts of {@code count}, each with one utterance: lengths and word counts drawn
     * from small sets, so many spurts share a rate (ties in the ranking), and now and then a
     * hurried stretch.
     */
    private static void call(Random random, int count, List<SegmentItem> segments, List<UtteranceItem> utterances) {
        long t = 0;
        for (int i = 0; i < count; i++) {
            long length = 500L * (1 + random.nextInt(8));
            int words = 1 + random.nextInt(random.nextInt(10) == 0 ? 14 : 7);
            segments.add(new SegmentItem(Role.AGENT, t, t + length, 150, 3, -25));
            List<WordItem> ws = new ArrayList<>();
            StringBuilder text = new StringBuilder();
            for (int w = 0; w < words; w++) {
                long from = t + w * length / words;
                ws.add(new WordItem("w" + w, from, from + Math.max(1, length / words - 10), 0.9));
                text.append(text.isEmpty() ? "" : " ").append("w").append(w);
            }
            utterances.add(new UtteranceItem(Role.AGENT, t, t + length, text.toString(), ws));
            t += length + 300 + random.nextInt(3_000);
        }
    }
}
