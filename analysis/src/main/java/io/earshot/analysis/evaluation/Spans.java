package io.earshot.analysis.evaluation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Time spans {@code [start, end)} as {@code long[2]}: unions, their length, their overlap, a frame grid. */
final class Spans {

    private Spans() {
    }

    /** The union of the spans, as disjoint spans in time order; touching spans merge. */
    static List<long[]> union(List<long[]> spans) {
        List<long[]> sorted = new ArrayList<>(spans);
        sorted.sort(Comparator.comparingLong((long[] s) -> s[0]));
        List<long[]> merged = new ArrayList<>();
        for (long[] s : sorted) {
            if (s[1] <= s[0]) {
                continue;
            }
            long[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && s[0] <= last[1]) {
                last[1] = Math.max(last[1], s[1]);
            } else {
                merged.add(new long[] {s[0], s[1]});
            }
        }
        return merged;
    }

    /** Total length of disjoint spans. */
    static long length(List<long[]> disjoint) {
        long sum = 0;
        for (long[] s : disjoint) {
            sum += s[1] - s[0];
        }
        return sum;
    }

    /** Length of the time covered by both lists of disjoint, ordered spans. */
    static long overlap(List<long[]> a, List<long[]> b) {
        long sum = 0;
        int i = 0;
        int j = 0;
        while (i < a.size() && j < b.size()) {
            long[] x = a.get(i);
            long[] y = b.get(j);
            sum += Math.max(0, Math.min(x[1], y[1]) - Math.max(x[0], y[0]));
            if (x[1] <= y[1]) {
                i++;
            } else {
                j++;
            }
        }
        return sum;
    }

    /**
     * The spans on a grid of {@code frames} frames of {@code frameMs}: frame {@code k} covers
     * {@code [k * frameMs, (k + 1) * frameMs)} and is set when a span covers its midpoint, so a
     * span on the grid's boundaries sets exactly the frames inside it.
     */
    static boolean[] grid(List<long[]> spans, long frameMs, int frames) {
        boolean[] on = new boolean[frames];
        for (long[] s : spans) {
            // midpoint k * frameMs + frameMs / 2 in [start, end)
            long first = Math.max(0, ceilDiv(2 * s[0] - frameMs, 2 * frameMs));
            long last = Math.min(frames - 1L, ceilDiv(2 * s[1] - frameMs, 2 * frameMs) - 1);
            for (long k = first; k <= last; k++) {
                on[(int) k] = true;
            }
        }
        return on;
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
