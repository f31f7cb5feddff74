package io.earshot.analysis.listening;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.analysis.events.ContourBlock;
import io.earshot.analysis.events.SegmentItem;
import io.earshot.schemas.Role;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A voice's power means agree with computing them on a fresh voice as its blocks grow (it reads
 * the blocks' starts as they come), and found from a block's place as by a search.
 */
class VoicePowerMeanTest {

    private static SegmentItem spurt(long start, long end, double dbfs) {
        return new SegmentItem(Role.AGENT, start, end, Double.NaN, Double.NaN, dbfs, List.of());
    }

    private static ToneAnalysis.Voice fresh(List<ContourBlock> blocks) {
        ToneAnalysis.Voice v = ToneAnalysis.Voice.of(Role.AGENT, List.of(), List.of());
        v.blocks.addAll(blocks);
        return v;
    }

    @Test
    void aMeanStaysRightWhileBlocksAfterTheSpanArrive() {
        ToneAnalysis.Voice v = ToneAnalysis.Voice.of(Role.AGENT,
                List.of(spurt(0, 1_000, -20), spurt(1_000, 2_000, -30)), List.of());
        double before = v.powerMean(0, 2_000);
        v.blocks.add(new ContourBlock(2_000, 3_000, -5, Double.NaN)); // starts at the span's end: outside
        assertThat(v.powerMean(0, 2_000)).isEqualTo(before)
                .isEqualTo(fresh(new ArrayList<>(v.blocks)).powerMean(0, 2_000));
    }

    @Test
    void aBlockAppendedInsideASpanAskedBeforeCountsIn() {
        ToneAnalysis.Voice v = ToneAnalysis.Voice.of(Role.AGENT,
                List.of(spurt(0, 1_000, -20), spurt(1_000, 2_000, -30)), List.of());
        double before = v.powerMean(0, 4_000);
        // it starts after the last block's start, so it may be appended, and inside the span
        v.blocks.add(new ContourBlock(1_500, 3_000, -5, Double.NaN));
        double after = v.powerMean(0, 4_000);
        assertThat(after).isGreaterThan(before)
                .isEqualTo(fresh(new ArrayList<>(v.blocks)).powerMean(0, 4_000));
    }

    @Test
    void manySpansKeepGivingTheSameMeansAsWithoutKeeping() {
        java.util.Random random = new java.util.Random(7);
        List<SegmentItem> spurts = new ArrayList<>();
        long t = 0;
        for (int i = 0; i < 200; i++) {
            long length = 200 + random.nextInt(1_500);
            spurts.add(spurt(t, t + length, -35 + 20 * random.nextDouble()));
            t += length + random.nextInt(400);
        }
        ToneAnalysis.Voice grown = ToneAnalysis.Voice.of(Role.AGENT, spurts.subList(0, 10), List.of());
        for (int n = 10; n <= spurts.size(); n += 10) {
            for (SegmentItem s : spurts.subList(grown.blocks.size(), n)) {
                grown.blocks.add(new ContourBlock(s.startMs(), s.endMs(), s.loudnessDbfs(), Double.NaN));
            }
            ToneAnalysis.Voice again = fresh(new ArrayList<>(grown.blocks));
            for (int k = 0; k < 400; k++) { // spans asked again and again, more than the voice keeps
                int a = random.nextInt(n);
                int b = a + random.nextInt(n - a);
                long from = spurts.get(a).startMs();
                long to = random.nextBoolean() ? spurts.get(b).endMs() : t + 10_000;
                assertThat(grown.powerMean(from, to)).isEqualTo(again.powerMean(from, to))
                        .isEqualTo(grown.powerMeanFrom(a, from, to)); // spurt a is block a

            }
        }
    }

    @Test
    void aMeanFromABlocksPlaceStepsBackToBlocksStartingWithIt() {
        // the blocks at places 1 and 2 start together: a span from there holds both, whichever
        // of the two it is found from
        ToneAnalysis.Voice v = fresh(List.of(new ContourBlock(0, 1_000, -30, Double.NaN),
                new ContourBlock(1_000, 1_500, -10, Double.NaN), new ContourBlock(1_000, 2_000, -20, Double.NaN),
                new ContourBlock(2_000, 3_000, -40, Double.NaN)));
        double searched = v.powerMean(1_000, 3_000);
        assertThat(v.powerMeanFrom(2, 1_000, 3_000)).isEqualTo(searched).isEqualTo(v.powerMeanFrom(1, 1_000, 3_000))
                .isNotEqualTo(v.powerMean(2_000, 3_000));
    }
}
