package io.earshot.analysis.evaluation.corpus;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A time span {@code [startMs, endMs)} and the few operations placement and checks need. */
record Span(long startMs, long endMs) {

    long length() {
        return endMs - startMs;
    }

    boolean covers(long t) {
        return t >= startMs && t < endMs;
    }

    boolean intersects(long from, long to) {
        return startMs < to && from < endMs;
    }

    /** Silence between two spans, negative when they overlap. */
    long gapTo(Span other) {
        return Math.max(other.startMs - endMs, startMs - other.endMs);
    }

    /** The spans merged where the silence between them is shorter than {@code bridgeMs}, in time order. */
    static List<Span> merge(List<Span> spans, long bridgeMs) {
        List<Span> sorted = new ArrayList<>(spans);
        sorted.sort(Comparator.comparingLong(Span::startMs));
        List<Span> out = new ArrayList<>();
        for (Span s : sorted) {
            Span last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && s.startMs - last.endMs < bridgeMs) {
                out.set(out.size() - 1, new Span(last.startMs, Math.max(last.endMs, s.endMs)));
            } else {
                out.add(s);
            }
        }
        return out;
    }

    /** Time covered by both lists (each disjoint and ordered) at or after {@code fromMs}. */
    static long overlap(List<Span> a, List<Span> b, long fromMs) {
        long sum = 0;
        for (Span x : a) {
            for (Span y : b) {
                long from = Math.max(fromMs, Math.max(x.startMs, y.startMs));
                sum += Math.max(0, Math.min(x.endMs, y.endMs) - from);
            }
        }
        return sum;
    }
}
