package io.earshot.ingest.call;

import io.earshot.ingest.dsp.SpeechSegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Plans what audio goes to the recogniser: each role's talk spurts widened by margins (so
 * that soft word onsets and endings the detector trimmed are still heard) and merged where
 * the widened spans touch. Only these regions are transcribed; silence, line noise and
 * echo-only stretches never reach the recogniser.
 */
public final class SpeechRegions {

    /** Audio kept before a spurt's first speech frame. */
    public static final long DEFAULT_MARGIN_BEFORE_MS = 250;
    /** Audio kept after a spurt's last speech frame. */
    public static final long DEFAULT_MARGIN_AFTER_MS = 350;
    /** Spurts closer than this are transcribed as one region, so the language model sees context. */
    public static final long DEFAULT_JOIN_GAP_MS = 600;

    /** A half-open media-time span {@code [startMs, endMs)}. */
    public record Region(long startMs, long endMs) {
    }

    private SpeechRegions() {
    }

    /** Regions for one role's spurts (in time order), clipped to {@code [0, durationMs)}. */
    public static List<Region> plan(List<SpeechSegment> spurts, long durationMs) {
        return plan(spurts, durationMs, DEFAULT_MARGIN_BEFORE_MS, DEFAULT_MARGIN_AFTER_MS, DEFAULT_JOIN_GAP_MS);
    }

    public static List<Region> plan(List<SpeechSegment> spurts, long durationMs, long before, long after,
            long joinGap) {
        List<Region> out = new ArrayList<>();
        long start = -1;
        long end = -1;
        for (SpeechSegment s : spurts) {
            long from = Math.max(0, s.startMs() - before);
            long to = Math.min(durationMs, s.endMs() + after);
            if (start >= 0 && from - end < joinGap) {
                end = Math.max(end, to);
            } else {
                if (start >= 0) {
                    out.add(new Region(start, end));
                }
                start = from;
                end = to;
            }
        }
        if (start >= 0) {
            out.add(new Region(start, end));
        }
        return out;
    }
}
