package io.earshot.analysis.listening;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.analysis.events.ContourBlock;
import io.earshot.schemas.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A voice's windows (the shortest run of blocks ending at each spurt's end that holds the speech
 * asked) and the monotone windows judged over them, found by moving along the blocks, against
 * walking back from every end and a slide started afresh for every call.
 */
class VoiceWindowsTest {

    /** Contour blocks in spurts: runs of touching blocks, some of no length, some unvoiced. */
    private static List<ContourBlock> blocks(Random random, int count) {
        return blocks(random, count, 3);
    }

    /** The same, the voiced pitches spread by {@code spread} semitones (standard deviation). */
    private static List<ContourBlock> blocks(Random random, int count, double spread) {
        List<ContourBlock> out = new ArrayList<>();
        long t = 0;
        for (int i = 0; i < count; i++) {
            long length = random.nextInt(8) == 0 ? 0 : 50 + random.nextInt(900);
            double pitch = random.nextInt(4) == 0 ? Double.NaN : 20 + spread * random.nextGaussian();
            out.add(new ContourBlock(t, t + length, -25 + 4 * random.nextGaussian(), pitch));
            t += length + (random.nextInt(3) == 0 ? 100 + random.nextInt(2_000) : 0); // a new spurt, or the same
        }
        return out;
    }

    private static ToneAnalysis.Voice voice(List<ContourBlock> blocks) {
        ToneAnalysis.Voice v = ToneAnalysis.Voice.of(Role.AGENT, List.of(), List.of());
        v.blocks.addAll(blocks);
        return v;
    }

    /** The definition: from every spurt's last block, walk back until the run holds the speech. */
    private static List<int[]> walkingBack(List<ContourBlock> blocks, long minSpeechMs, int fromLast) {
        List<int[]> out = new ArrayList<>();
        for (int last = fromLast; last < blocks.size(); last++) {
            if (last < blocks.size() - 1 && blocks.get(last + 1).startMs() == blocks.get(last).endMs()) {
                continue;
            }
            long ms = 0;
            int first = last;
            for (; first >= 0 && ms < minSpeechMs; first--) {
                ms += blocks.get(first).durationMs();
            }
            if (ms >= minSpeechMs) {
                out.add(new int[] {first + 1, last});
            }
        }
        return out;
    }

    @Test
    void windowsAreThoseFoundWalkingBackFromEveryEnd() {
        Random random = new Random(3);
        for (int round = 0; round < 300; round++) {
            List<ContourBlock> blocks = blocks(random, 1 + random.nextInt(120));
            long minSpeechMs = 1 + random.nextInt(random.nextBoolean() ? 3_000 : 40_000);
            int fromLast = random.nextInt(blocks.size());
            List<int[]> expected = walkingBack(blocks, minSpeechMs, fromLast);
            assertThat(voice(blocks).windows(minSpeechMs, fromLast))
                    .as("round %d", round).containsExactlyElementsOf(expected.stream().toList())
                    .usingRecursiveFieldByFieldElementComparator();
        }
    }

    @Test
    void aKeptSlideJudgesTheMonotoneWindowsAsAFreshOne() {
        Random random = new Random(5);
        ToneConfig config = new ToneConfig(0, 6.0, 2_000, 600, 45_000, 2.0, 3.0, 2.5, 8_000, 1.25, 260, 20_000);
        int found = 0;
        int missed = 0;
        for (int round = 0; round < 40; round++) {
            // flat and lively voices by turns, so windows qualify and others do not
            List<ContourBlock> all = blocks(random, 400, round % 2 == 0 ? 0.6 : 2.0);
            ToneAnalysis.Voice grown = voice(List.of());
            ToneAnalysis.Slide slide = new ToneAnalysis.Slide();
            int judgedUpTo = 0;
            while (grown.blocks.size() < all.size()) {
                int n = Math.min(all.size(), grown.blocks.size() + 1 + random.nextInt(12));
                grown.blocks.addAll(all.subList(grown.blocks.size(), n));
                List<ToneAnalysis.Window> kept = ToneAnalysis.monotoneWindows(grown, config, judgedUpTo, slide);
                List<ToneAnalysis.Window> fresh = ToneAnalysis.monotoneWindows(voice(grown.blocks), config, judgedUpTo);
                assertThat(kept).isEqualTo(fresh);
                assertThat(kept.stream().map(w -> w.last() + ":" + w.values().get("rangeSemitones")).toList())
                        .as("the monotone windows by the definition").isEqualTo(monotoneByDefinition(grown.blocks,
                                grown.windows(config.monotoneMinSpeechMs(), judgedUpTo), config));
                for (ToneAnalysis.Window w : kept) {
                    int first = grown.blocks.indexOf(grown.blocks.stream()
                            .filter(b -> b.startMs() == w.startMs()).findFirst().orElseThrow());
                    assertThat(w.values().get("speechMs")).isEqualTo((double) grown.speechBetween(first, w.last()));
                }
                found += kept.size();
                missed += grown.windows(config.monotoneMinSpeechMs(), judgedUpTo).size() - kept.size();
                judgedUpTo = Math.max(0, grown.blocks.size() - 1);
            }
            // asked again from the start, the slide already past it starts over
            assertThat(ToneAnalysis.monotoneWindows(grown, config, 0, slide))
                    .isEqualTo(ToneAnalysis.monotoneWindows(voice(grown.blocks), config, 0));
        }
        assertThat(found).as("windows judged monotone").isPositive();
        assertThat(missed).as("windows judged not monotone").isPositive();
    }

    /**
     * The definition of the monotone windows: each window at least half voiced whose pitch range
     * (90th minus 10th weighted percentile of its voiced blocks, sorted afresh) is under the
     * maximum, as its last block and its range rounded to hundredths.
     */
    private static List<String> monotoneByDefinition(List<ContourBlock> blocks, List<int[]> windows,
            ToneConfig config) {
        List<String> out = new ArrayList<>();
        for (int[] w : windows) {
            List<double[]> voiced = new ArrayList<>();
            long voicedMs = 0;
            long speechMs = 0;
            for (ContourBlock b : blocks.subList(w[0], w[1] + 1)) {
                speechMs += b.durationMs();
                if (!Double.isNaN(b.pitchSemitones())) {
                    voiced.add(new double[] {b.pitchSemitones(), b.durationMs()});
                    voicedMs += b.durationMs();
                }
            }
            if (2 * voicedMs < speechMs) {
                continue;
            }
            double range = ToneAnalysis.weightedPercentile(voiced, 0.9) - ToneAnalysis.weightedPercentile(voiced, 0.1);
            if (range < config.monotoneMaxSemitones()) {
                out.add(w[1] + ":" + Math.round(range * 100) / 100.0);
            }
        }
        return out;
    }

    /** The definition of a window's slope: a weighted least-squares fit read off the block objects. */
    private static double slopeOfBlocks(List<ContourBlock> blocks, int first, int last, boolean pitch) {
        double sw = 0;
        double st = 0;
        double sy = 0;
        for (ContourBlock b : blocks.subList(first, last + 1)) {
            double y = pitch ? b.pitchSemitones() : b.loudnessDbfs();
            if (!Double.isNaN(y)) {
                sw += b.durationMs();
                st += b.durationMs() * ((b.startMs() + b.endMs()) / 120_000.0);
                sy += b.durationMs() * y;
            }
        }
        if (sw == 0) {
            return Double.NaN;
        }
        double num = 0;
        double den = 0;
        for (ContourBlock b : blocks.subList(first, last + 1)) {
            double y = pitch ? b.pitchSemitones() : b.loudnessDbfs();
            if (!Double.isNaN(y)) {
                double t = (b.startMs() + b.endMs()) / 120_000.0 - st / sw;
                num += b.durationMs() * t * (y - sy / sw);
                den += b.durationMs() * t * t;
            }
        }
        return den == 0 ? Double.NaN : num / den;
    }

    @Test
    void aGrowingVoiceReadsItsWindowsSpeechAndSlopesAsTheBlocksGiveThem() {
        Random random = new Random(9);
        int compared = 0;
        for (int round = 0; round < 30; round++) {
            List<ContourBlock> all = blocks(random, 300);
            ToneAnalysis.Voice grown = voice(List.of());
            while (grown.blocks.size() < all.size()) {
                // blocks appended after the voice read the earlier ones, as a call's memo appends them
                int n = Math.min(all.size(), grown.blocks.size() + 1 + random.nextInt(25));
                grown.blocks.addAll(all.subList(grown.blocks.size(), n));
                for (int k = 0; k < 5; k++) {
                    int last = random.nextInt(n);
                    int first = random.nextInt(last + 1);
                    long speech = 0;
                    for (ContourBlock b : all.subList(first, last + 1)) {
                        speech += b.durationMs();
                    }
                    assertThat(grown.speechBetween(first, last)).isEqualTo(speech);
                    for (boolean pitch : new boolean[] {true, false}) {
                        // to the bit: a verdict on a threshold must not move
                        assertThat(Double.doubleToLongBits(grown.slope(first, last, pitch)))
                                .as("round %d [%d, %d] %s", round, first, last, pitch ? "pitch" : "loudness")
                                .isEqualTo(Double.doubleToLongBits(slopeOfBlocks(all, first, last, pitch)));
                    }
                    compared++;
                }
            }
        }
        assertThat(compared).isGreaterThan(1000);
    }
}
