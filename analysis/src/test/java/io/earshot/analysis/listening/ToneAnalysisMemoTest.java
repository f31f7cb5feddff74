package io.earshot.analysis.listening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.earshot.analysis.events.ContourBlock;
import io.earshot.analysis.events.SegmentItem;
import io.earshot.analysis.events.UtteranceItem;
import io.earshot.analysis.events.WordItem;
import io.earshot.schemas.Role;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The tone memo, which keeps each party's voice growing and its judged windows, against the
 * analysis of the whole call: on seeded random calls whose spurts carry contours with loud
 * bursts, rising pitch and loudness, flat pitch and hurried words, fed as a live call is
 * (mostly in order, now and then a spurt late, words seconds behind), every summary with the
 * memo equals the one without.
 */
class ToneAnalysisMemoTest {

    private static final ToneConfig CONFIG = ToneConfig.DEFAULTS;
    /** Spreads small seeds apart: the first values of generators seeded 1, 2, 3... are nearly alike. */
    private static final long SCRAMBLE = 0x9E3779B97F4A7C15L;

    @Test
    void shouldGiveTheSameToneAsTheWholeCall() {
        compareWithTheWholeCall(60, random -> 5_000);
    }

    /**
     * Summaries oftener than spurts end, as a live call's running values come: many find no new
     * block, or new blocks but no new tone window, and keep what the summary before them found.
     */
    @Test
    void shouldGiveTheSameToneAsTheWholeCallWithSummariesOftenerThanSpurts() {
        compareWithTheWholeCall(30, random -> 200 + random.nextInt(1_800));
    }

    private static void compareWithTheWholeCall(int calls, java.util.function.ToLongFunction<Random> step) {
        int summaries = 0;
        int withEvents = 0;
        java.util.Set<ToneKind> kinds = java.util.EnumSet.noneOf(ToneKind.class);
        for (long seed = 1; seed <= calls; seed++) {
            Random random = new Random(seed * SCRAMBLE);
            List<Object[]> arrivals = call(random); // {atMs, SegmentItem or UtteranceItem}
            ToneAnalysis.Memo memo = new ToneAnalysis.Memo();
            List<SegmentItem> segments = new ArrayList<>();
            List<UtteranceItem> utterances = new ArrayList<>();
            int next = 0;
            for (long now = 5_000; next < arrivals.size(); now += step.applyAsLong(random)) {
                while (next < arrivals.size() && (long) arrivals.get(next)[0] <= now) {
                    Object item = arrivals.get(next++)[1];
                    if (item instanceof SegmentItem s) {
                        segments.add(s);
                    } else if (item instanceof Revision r) {
                        utterances.set(utterances.indexOf(r.was()), r.now());
                    } else {
                        utterances.add((UtteranceItem) item);
                    }
                }
                // as CallValues hands them over: sorted by start
                List<SegmentItem> sortedSegments = new ArrayList<>(segments);
                sortedSegments.sort(Comparator.comparingLong(SegmentItem::startMs));
                List<UtteranceItem> sortedUtterances = new ArrayList<>(utterances);
                sortedUtterances.sort(Comparator.comparingLong(UtteranceItem::startMs));
                ToneResult whole = ToneAnalysis.analyze(sortedSegments, sortedUtterances, CONFIG);
                ToneResult kept = ToneAnalysis.analyze(sortedSegments, sortedUtterances, CONFIG, memo);
                assertThat(kept).as("seed %d at %d ms", seed, now).isEqualTo(whole);
                summaries++;
                if (!whole.events().isEmpty()) {
                    withEvents++;
                }
                whole.events().forEach(e -> kinds.add(e.kind()));
            }
        }
        // the comparison covers every kind of event, in most summaries
        assertThat(kinds).containsExactlyInAnyOrder(ToneKind.values());
        assertThat(withEvents).as("summaries with tone events, of %d", summaries).isGreaterThan(summaries / 2);
    }

    /**
     * The kept loud blocks and stretches against raised voice found from every block, while the
     * baseline wanders up and down in small steps, now and then jumps, and sits exactly on block
     * levels; blocks come a few at a time, some without a level, some starting inside the last
     * one (so a stretch's power mean changes), quiet and loud runs with dips around the limit.
     */
    @Test
    void shouldKeepRaisedVoiceAsTheWholePassFindsIt() {
        int judged = 0;
        int withEvents = 0;
        int eventsSeen = 0;
        for (long seed = 1; seed <= 300; seed++) {
            Random random = new Random(seed * SCRAMBLE);
            ToneAnalysis.Voice whole = ToneAnalysis.Voice.of(Role.CUSTOMER, List.of(), List.of());
            ToneAnalysis.Voice kept = ToneAnalysis.Voice.of(Role.CUSTOMER, List.of(), List.of());
            ToneAnalysis.Loud loud = new ToneAnalysis.Loud();
            double baseline = -30 + random.nextInt(10);
            long at = 0;
            boolean loudRun = false;
            int steps = 20 + random.nextInt(120);
            for (int step = 0; step < steps; step++) {
                int blocks = random.nextInt(6);
                for (int b = 0; b < blocks; b++) {
                    if (random.nextInt(4) == 0) {
                        loudRun = !loudRun;
                    }
                    // gaps around the 300 ms dip limit between blocks, and now and then a block
                    // starting inside the one before, or lying wholly inside it
                    int kind = random.nextInt(8);
                    long gap = switch (kind) {
                        case 0 -> 300;
                        case 1 -> 301 + random.nextInt(400);
                        case 2 -> -50;
                        case 3 -> -90;
                        default -> random.nextInt(120);
                    };
                    long start = Math.max(0, at + gap);
                    long end = kind == 3 ? at - 10 : start + 100 + random.nextInt(500);
                    double level = random.nextInt(15) == 0 ? Double.NaN
                            : baseline + (loudRun ? 4 + random.nextDouble() * 6 : -3 + random.nextDouble() * 8);
                    if (random.nextInt(20) == 0) {
                        level = baseline + 6; // exactly on the threshold
                    }
                    ContourBlock block = new ContourBlock(start, end, level, Double.NaN);
                    whole.blocks.add(block);
                    kept.blocks.add(block);
                    at = Math.max(at, end);
                }
                baseline += switch (random.nextInt(8)) {
                    case 0 -> (random.nextBoolean() ? 1 : -1) * random.nextInt(6);
                    case 1 -> 0;
                    default -> (random.nextDouble() - 0.5) * 0.05;
                };
                double stated = random.nextInt(30) == 0 ? Double.NaN : baseline;
                whole.loudnessDbfs = stated;
                kept.loudnessDbfs = stated;
                List<ToneEvent> expected = ToneAnalysis.raisedVoice(whole, CONFIG);
                assertThat(loud.raisedVoice(kept, CONFIG)).as("seed %d step %d", seed, step).isEqualTo(expected);
                judged++;
                eventsSeen += expected.size();
                if (!expected.isEmpty()) {
                    withEvents++;
                }
            }
        }
        // raised voice was found in most steps, several stretches at once
        assertThat(withEvents).as("steps with raised voice, of %d", judged).isGreaterThan(judged / 2);
        assertThat(eventsSeen).isGreaterThan(2 * withEvents);
    }

    /**
     * Windows kept a few at a time and merged as they come against all of them merged at once,
     * with windows judged for one summary only on top: mostly in order, with equal starts, ends
     * and ranks, now and then one out of order, and values that change with a key.
     */
    @Test
    void shouldMergeKeptWindowsAsTheWholeMergeDoes() {
        int groupsSeen = 0;
        for (long seed = 1; seed <= 300; seed++) {
            Random random = new Random(seed * SCRAMBLE);
            ToneAnalysis.Merged merged = new ToneAnalysis.Merged(ToneKind.MONOTONE);
            List<ToneAnalysis.Window> kept = new ArrayList<>();
            long cursor = 0;
            for (int step = 0; step < 40; step++) {
                List<ToneAnalysis.Window> added = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    added.add(window(random, cursor));
                    cursor = added.get(added.size() - 1).startMs();
                }
                List<ToneAnalysis.Window> open = new ArrayList<>();
                for (int i = random.nextInt(3); i > 0; i--) {
                    open.add(window(random, cursor));
                }
                double key = random.nextInt(3);
                merged.keep(added);
                kept.addAll(added);
                List<ToneAnalysis.Window> all = new ArrayList<>(kept);
                all.addAll(open);
                java.util.function.Function<ToneAnalysis.Window, java.util.Map<String, Double>> values = w -> {
                    java.util.Map<String, Double> v = new java.util.LinkedHashMap<>(w.values());
                    v.put("key", key);
                    return v;
                };
                List<ToneEvent> expected = ToneAnalysis.merge(Role.AGENT, ToneKind.MONOTONE, all, values);
                assertThat(merged.events(Role.AGENT, open, values, key)).as("seed %d step %d", seed, step)
                        .isEqualTo(expected);
                groupsSeen += expected.size();
            }
        }
        assertThat(groupsSeen).isGreaterThan(300 * 40);
    }

    /** A window starting near {@code cursor} (now and then well before it), with a rank of few values. */
    private static ToneAnalysis.Window window(Random random, long cursor) {
        long start = random.nextInt(12) == 0 ? Math.max(0, cursor - 5_000) : cursor + random.nextInt(8) * 250;
        long end = start + (1 + random.nextInt(12)) * 250;
        double rank = random.nextInt(4);
        return new ToneAnalysis.Window(start, end, rank, java.util.Map.of("rank", rank), 0);
    }

    @Test
    void shouldFindTheMedianTheWeightedPercentileGives() {
        Random random = new Random(5);
        for (int round = 0; round < 200; round++) {
            ToneAnalysis.RunningMedian running = new ToneAnalysis.RunningMedian();
            List<double[]> all = new ArrayList<>();
            int n = 1 + random.nextInt(300);
            for (int i = 0; i < n; i++) {
                // few distinct values, zero weights, signed zeros: the ties the walk must agree on
                double value = random.nextInt(4) == 0 ? (random.nextBoolean() ? 0.0 : -0.0)
                        : random.nextInt(20) - 10 + (random.nextBoolean() ? 0 : random.nextDouble());
                long weight = random.nextInt(5) == 0 ? 0 : 1 + random.nextInt(400);
                running.add(value, weight);
                all.add(new double[] {value, weight});
                if (random.nextInt(3) == 0 || i == n - 1) {
                    assertThat(Double.compare(running.median(), ToneAnalysis.weightedPercentile(all, 0.5)))
                            .as("round %d after %d values", round, i + 1).isZero();
                }
            }
        }
    }

    @Test
    void shouldFindTheMedianOfAddedValuesTheWeightedPercentileGives() {
        Random random = new Random(7);
        for (int round = 0; round < 400; round++) {
            ToneAnalysis.WeightedMedian median = new ToneAnalysis.WeightedMedian();
            List<double[]> all = new ArrayList<>();
            int n = 1 + random.nextInt(round < 200 ? 40 : 600);
            int distinct = 1 + random.nextInt(30);
            for (int i = 0; i < n; i++) {
                // few or many distinct values, zero weights, signed zeros, runs rising or falling
                double value = switch (random.nextInt(6)) {
                    case 0 -> random.nextBoolean() ? 0.0 : -0.0;
                    case 1 -> i * (round % 2 == 0 ? 0.5 : -0.5);
                    default -> random.nextInt(distinct) - distinct / 2 + (random.nextBoolean() ? 0 : random.nextDouble());
                };
                long weight = random.nextInt(5) == 0 ? 0 : 1 + random.nextInt(400);
                median.add(value, weight);
                all.add(new double[] {value, weight});
                if (random.nextInt(3) == 0 || i == n - 1) {
                    assertThat(Double.compare(median.median(), ToneAnalysis.weightedPercentile(all, 0.5)))
                            .as("round %d after %d values", round, i + 1).isZero();
                }
            }
        }
        assertThat(new ToneAnalysis.WeightedMedian().median()).isNaN();
    }

    @Test
    void shouldFollowTheMedianAsValuesLeave() {
        Random random = new Random(6);
        int lowestChecked = 0;
        for (int round = 0; round < 200; round++) {
            ToneAnalysis.RunningMedian running = new ToneAnalysis.RunningMedian();
            List<double[]> all = new ArrayList<>();
            int n = 1 + random.nextInt(300);
            for (int i = 0; i < n; i++) {
                if (!all.isEmpty() && random.nextInt(3) == 0) {
                    double[] gone = all.remove(random.nextInt(all.size()));
                    running.remove(gone[0], (long) gone[1]);
                } else {
                    double value = random.nextInt(4) == 0 ? (random.nextBoolean() ? 0.0 : -0.0)
                            : random.nextInt(12) - 6 + (random.nextBoolean() ? 0 : random.nextDouble());
                    long weight = random.nextInt(5) == 0 ? 0 : 1 + random.nextInt(400);
                    running.add(value, weight);
                    all.add(new double[] {value, weight});
                }
                if (random.nextInt(2) == 0 || i == n - 1) {
                    assertThat(Double.compare(running.median(), ToneAnalysis.weightedPercentile(all, 0.5)))
                            .as("round %d after %d changes", round, i + 1).isZero();
                }
                if (!all.isEmpty() && random.nextInt(2) == 0) {
                    // the walk from the median to another share of the weight, below or above it
                    long total = all.stream().mapToLong(x -> (long) x[1]).sum();
                    long twice = random.nextInt(4) == 0 ? random.nextLong(-5, 5) : random.nextLong(-total, 3 * total + 1);
                    assertThat(Double.compare(running.lowest(twice), lowest(all, twice)))
                            .as("round %d after %d changes, twice %d of %d", round, i + 1, twice, total).isZero();
                    lowestChecked++;
                }
            }
        }
        assertThat(lowestChecked).isGreaterThan(5_000);
    }

    @Test
    void shouldKeepTheMedianWhileManyDistinctValuesComeAndGo() {
        // many more distinct values than a chunk holds, filled and then emptied again in random
        // order: chunks split, empty and close, the median walks across their edges, and the
        // value at the median leaves with nothing above it
        Random random = new Random(8);
        int checks = 0;
        for (int round = 0; round < 40; round++) {
            ToneAnalysis.RunningMedian running = new ToneAnalysis.RunningMedian();
            List<double[]> all = new ArrayList<>();
            int n = ToneAnalysis.RunningMedian.CHUNK * (2 + random.nextInt(8));
            boolean rising = round % 3 == 0; // values arriving in order fill one chunk after another
            for (int i = 0; i < n; i++) {
                double value = rising ? i * 0.25 : random.nextInt(4 * n) / 4.0 - n / 2.0;
                long weight = random.nextInt(6) == 0 ? 0 : 1 + random.nextInt(3_000);
                running.add(value, weight);
                all.add(new double[] {value, weight});
                if (random.nextInt(4) == 0) {
                    assertThat(Double.compare(running.median(), ToneAnalysis.weightedPercentile(all, 0.5)))
                            .as("round %d filling, %d values", round, all.size()).isZero();
                    checks++;
                }
            }
            while (!all.isEmpty()) {
                // mostly at random; now and then the largest, or the one at the median
                int pick = switch (random.nextInt(5)) {
                    case 0 -> largest(all);
                    case 1 -> atMedian(all);
                    default -> random.nextInt(all.size());
                };
                double[] gone = all.remove(pick);
                running.remove(gone[0], (long) gone[1]);
                if (all.isEmpty()) {
                    assertThat(running.median()).isNaN();
                    assertThat(running.lowest(0)).isNaN();
                    break;
                }
                assertThat(Double.compare(running.median(), ToneAnalysis.weightedPercentile(all, 0.5)))
                        .as("round %d emptying, %d values", round, all.size()).isZero();
                long total = all.stream().mapToLong(x -> (long) x[1]).sum();
                long twice = random.nextLong(-total, 3 * total + 1);
                assertThat(Double.compare(running.lowest(twice), lowest(all, twice)))
                        .as("round %d emptying, %d values, twice %d of %d", round, all.size(), twice, total).isZero();
                checks++;
            }
        }
        assertThat(checks).isGreaterThan(10_000);
        assertThatThrownBy(() -> new ToneAnalysis.RunningMedian().remove(1.0, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldFindTheRunsAtOrOverARate() {
        // runs come and go at the end mostly (as a party's last spurts change), now and then
        // anywhere; the heap's answer is every run at or over the rate, ties and all
        Random random = new Random(9);
        int asked = 0;
        int found = 0;
        for (int round = 0; round < 60; round++) {
            ToneAnalysis.RunHeap heap = new ToneAnalysis.RunHeap();
            java.util.Map<Integer, ToneAnalysis.Run> in = new java.util.HashMap<>();
            int nextEnd = 0;
            int steps = 50 + random.nextInt(1_500);
            for (int step = 0; step < steps; step++) {
                if (!in.isEmpty() && random.nextInt(3) == 0) {
                    List<Integer> ends = new ArrayList<>(in.keySet());
                    java.util.Collections.sort(ends);
                    int end = random.nextBoolean() ? ends.get(ends.size() - 1) : ends.get(random.nextInt(ends.size()));
                    heap.remove(in.remove(end));
                } else {
                    int end = random.nextInt(4) == 0 && nextEnd > 0 ? random.nextInt(nextEnd) : nextEnd++;
                    if (in.containsKey(end)) {
                        continue;
                    }
                    // few distinct rates (ties) or many
                    double wpm = round % 2 == 0 ? 100 + 10 * random.nextInt(8) : 60 + 300 * random.nextDouble();
                    ToneAnalysis.Run run = new ToneAnalysis.Run(Math.max(0, end - 3), end, 5_000, 20, wpm);
                    heap.add(run);
                    in.put(end, run);
                }
                assertThat(heap.size()).isEqualTo(in.size());
                if (random.nextInt(4) == 0) {
                    double from = random.nextInt(5) == 0 ? 100 + 10 * random.nextInt(8) : 40 + 340 * random.nextDouble();
                    List<Integer> expected = in.values().stream().filter(r -> Double.compare(r.wpm(), from) >= 0)
                            .map(ToneAnalysis.Run::end).sorted().toList();
                    List<Integer> actual = java.util.Arrays.stream(heap.endsFrom(from)).sorted().boxed().toList();
                    assertThat(actual).as("round %d step %d from %.2f", round, step, from).isEqualTo(expected);
                    asked++;
                    found += expected.size();
                }
            }
        }
        assertThat(asked).isGreaterThan(5_000);
        assertThat(found).isGreaterThan(50_000);
        ToneAnalysis.RunHeap heap = new ToneAnalysis.RunHeap();
        ToneAnalysis.Run run = new ToneAnalysis.Run(0, 3, 5_000, 20, 240);
        assertThatThrownBy(() -> heap.remove(run)).isInstanceOf(IllegalArgumentException.class);
        heap.add(run);
        assertThatThrownBy(() -> heap.add(run)).isInstanceOf(IllegalArgumentException.class);
        assertThat(heap.endsFrom(Double.NaN)).isEmpty();
    }

    private static int largest(List<double[]> all) {
        int best = 0;
        for (int i = 1; i < all.size(); i++) {
            if (Double.compare(all.get(i)[0], all.get(best)[0]) > 0) {
                best = i;
            }
        }
        return best;
    }

    private static int atMedian(List<double[]> all) {
        double median = ToneAnalysis.weightedPercentile(all, 0.5);
        for (int i = 0; i < all.size(); i++) {
            if (Double.compare(all.get(i)[0], median) == 0) {
                return i;
            }
        }
        throw new AssertionError("no value at the median " + median);
    }

    /** The smallest value whose summed weight with those below it, doubled, reaches {@code twice}; else the largest. */
    private static double lowest(List<double[]> all, long twice) {
        List<double[]> sorted = new ArrayList<>(all);
        sorted.sort((a, b) -> Double.compare(a[0], b[0]));
        long sum = 0;
        for (int i = 0; i < sorted.size(); i++) {
            sum += (long) sorted.get(i)[1];
            boolean lastOfValue = i == sorted.size() - 1 || Double.compare(sorted.get(i + 1)[0], sorted.get(i)[0]) != 0;
            if (lastOfValue && 2 * sum >= twice) {
                return sorted.get(i)[0];
            }
        }
        return sorted.get(sorted.size() - 1)[0];
    }

    @Test
    void shouldRankAndTakePercentilesAsTheStableSortDoes() {
        Random random = new Random(9);
        for (int round = 0; round < 300; round++) {
            int n = random.nextInt(60);
            double[] values = new double[n];
            long[] weights = new long[n];
            List<double[]> pairs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                values[i] = switch (random.nextInt(5)) {
                    case 0 -> random.nextBoolean() ? 0.0 : -0.0;
                    case 1 -> random.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NaN;
                    default -> random.nextInt(8) + (random.nextBoolean() ? 0 : random.nextDouble());
                };
                weights[i] = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(300);
                pairs.add(new double[] {values[i], weights[i]});
            }
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, (a, b) -> Double.compare(values[a], values[b]));
            int[] ranks = ToneAnalysis.ranks(values);
            for (int r = 0; r < n; r++) {
                assertThat(ranks[order[r]]).as("round %d", round).isEqualTo(r);
            }
            for (double q : new double[] {0.1, 0.5, 0.9}) {
                assertThat(Double.compare(ToneAnalysis.weightedPercentile(values, weights, q),
                        ToneAnalysis.weightedPercentile(pairs, q))).as("round %d, q %s", round, q).isZero();
            }
        }
    }

    /** An utterance the recogniser gave again, with other words. */
    private record Revision(UtteranceItem was, UtteranceItem now) {
    }

    /** A random call of 2 to 12 minutes. */
    private static List<Object[]> call(Random random) {
        long length = 60_000L * (2 + random.nextInt(11));
        List<Object[]> out = new ArrayList<>();
        long[] lag = {500 + random.nextInt(8_000), 500 + random.nextInt(8_000)};
        double[] level = {-30 + random.nextInt(10), -30 + random.nextInt(10)};
        double[] pitch = {20 + random.nextInt(15), 20 + random.nextInt(15)};
        boolean flatAgent = random.nextBoolean();
        long t = random.nextInt(2_000);
        Role speaker = Role.AGENT;
        while (t < length) {
            long end = t + 400 + random.nextInt(5_000);
            int r = speaker.ordinal();
            // the customer now and then works up (pitch and loudness rising), anyone now and then shouts
            if (speaker == Role.CUSTOMER && random.nextInt(12) == 0) {
                level[r] += 1.5;
                pitch[r] += 1.0;
            } else {
                level[r] += (random.nextDouble() - 0.55) * 1.5;
                pitch[r] += (random.nextDouble() - 0.55);
            }
            boolean loud = random.nextInt(10) == 0;
            boolean withContour = random.nextInt(8) != 0;
            List<ContourBlock> contour = new ArrayList<>();
            if (withContour) {
                for (long b = t; b < end; b += 200) {
                    double l = level[r] + (loud ? 9 : 0) + random.nextGaussian() * 2;
                    double p = random.nextInt(6) == 0 ? Double.NaN
                            : pitch[r] + (speaker == Role.AGENT && flatAgent ? 0.1 : 1.5) * random.nextGaussian();
                    double dropped = random.nextInt(30) == 0 ? Double.NaN : l;
                    contour.add(new ContourBlock(b, Math.min(end, b + 200), dropped, p));
                }
            }
            SegmentItem s = new SegmentItem(speaker, t, end, 55 * Math.pow(2, pitch[r] / 12), 3,
                    level[r] + (loud ? 9 : 0), contour);
            long arrives = end + (random.nextInt(30) == 0 ? 3_000 + random.nextInt(8_000) : random.nextInt(1_500));
            out.add(new Object[] {arrives, s});
            if (random.nextInt(6) != 0) { // transcribed, hurried now and then
                int n = (int) Math.max(1, (end - t) / (random.nextInt(5) == 0 ? 180 : 350));
                // now and then the recogniser's words stray from the spurt: across its edges,
                // into the pause after it (no spurt holds them), or with no length
                boolean stray = random.nextInt(4) == 0;
                List<WordItem> words = new ArrayList<>();
                long step = (end - t) / n;
                for (int i = 0; i < n + (stray ? random.nextInt(3) : 0); i++) {
                    long from = t + i * step + (stray ? random.nextInt(500) - 250 : 0);
                    long to = random.nextInt(40) == 0 ? from : from + step - 20;
                    words.add(new WordItem("w" + i, from, to, 0.9));
                }
                long at = end + lag[r] + random.nextInt(500);
                UtteranceItem u = new UtteranceItem(speaker, t, end, "words", words);
                out.add(new Object[] {at, u});
                if (random.nextInt(25) == 0) { // revised a little later, one word fewer
                    out.add(new Object[] {at + 1 + random.nextInt(9_000), new Revision(u,
                        new UtteranceItem(speaker, t, end, "word", words.subList(0, words.size() - 1)))});
                }
            }
            // now and then a spurt goes straight on
            t = random.nextInt(8) == 0 ? end : end + 100 + random.nextInt(1_500);
            if (random.nextInt(3) != 0) {
                speaker = speaker == Role.AGENT ? Role.CUSTOMER : Role.AGENT;
            }
        }
        out.sort(Comparator.comparingLong(a -> (long) a[0]));
        return out;
    }
}
