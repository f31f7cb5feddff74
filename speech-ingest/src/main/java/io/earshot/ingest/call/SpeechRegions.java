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
    /**
     * Spurts are not joined into a region longer than this: a recognizer's native memory grows
     * with the audio of one utterance, so long regions, not many calls, are what make memory
     * grow (a spurt longer than this still goes whole).
     */
    public static final long DEFAULT_MAX_REGION_MS = 15_000;

    /** A half-open media-time span {@code [startMs, endMs)}. */
    public record Region(long startMs, long endMs) {
    }

    private SpeechRegions() {
    }

    /** Regions for one role's spurts (in time order), clipped to {@code [0, durationMs)}. */
    public static List<Region> plan(List<SpeechSegment> spurts, long durationMs) {
        return plan(spurts, durationMs, DEFAULT_MARGIN_BEFORE_MS, DEFAULT_MARGIN_AFTER_MS, DEFAULT_JOIN_GAP_MS,
                DEFAULT_MAX_REGION_MS);
    }

    public static List<Region> plan(List<SpeechSegment> spurts, long durationMs, long before, long after,
            long joinGap, long maxRegion) {
        List<Region> out = new ArrayList<>();
        long start = -1;
        long end = -1;
        long lastSpeech = -1;
        for (SpeechSegment s : spurts) {
            long from = Math.max(0, s.startMs() - before);
            long to = Math.min(durationMs, s.endMs() + after);
            boolean near = start >= 0 && from - end < joinGap;
            if (near && to - start <= maxRegion) {
                end = Math.max(end, to);
            } else {
                if (start >= 0) {
                    if (near) {
                        // split a long stretch in the pause between two spurts, without overlap,
                        // so no word is heard by two regions
                        long cut = (lastSpeech + s.startMs()) / 2;
                        end = Math.min(end, cut);
                        from = Math.max(from, cut);
                    }
                    out.add(new Region(start, end));
                }
                start = from;
                end = to;
            }
            lastSpeech = s.endMs();
        }
        if (start >= 0) {
            out.add(new Region(start, end));
        }
        return out;
    }
}
