package io.earshot.ingest.call;

import io.earshot.ingest.dsp.SpeechSegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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

    /**
     * Regions for one role's spurts (in time order) with the given margins, join gap and
     * longest joined region, clipped to {@code [0, durationMs)}. The spurts go one by one
     * through a {@link Planner}, exactly as a live call feeds them, so live and batch regions
     * cannot diverge. Join decisions are made on the unclipped spans; only the emitted regions
     * are clipped to the call.
     */
    public static List<Region> plan(List<SpeechSegment> spurts, long durationMs, long before, long after,
            long joinGap, long maxRegion) {
        List<Region> out = new ArrayList<>();
        Planner planner = new Planner(before, after, joinGap, maxRegion);
        for (SpeechSegment s : spurts) {
            planner.add(s).ifPresent(r -> out.add(clip(r, durationMs)));
        }
        planner.close().ifPresent(r -> out.add(clip(r, durationMs)));
        return out;
    }

    /** {@code region} with its end clipped to the call's length. */
    public static Region clip(Region region, long durationMs) {
        return region.endMs() <= durationMs ? region : new Region(region.startMs(), durationMs);
    }

    /**
     * The incremental form of {@link #plan}: one role's spurts go in as the detector finishes
     * them, closed regions come out. At most one region is pending (still open to the next
     * spurt). Regions come out unclipped; the caller clips the last one to the call's length
     * ({@link #clip}). Not thread-safe: one planner per role of one call.
     */
    public static final class Planner {

        private final long before;
        private final long after;
        private final long joinGap;
        private final long maxRegion;
        private long start = -1;
        private long end = -1;
        private long lastSpeech = -1;

        /** A planner with the default margins, join gap and longest region. */
        public Planner() {
            this(DEFAULT_MARGIN_BEFORE_MS, DEFAULT_MARGIN_AFTER_MS, DEFAULT_JOIN_GAP_MS, DEFAULT_MAX_REGION_MS);
        }

        public Planner(long before, long after, long joinGap, long maxRegion) {
            this.before = before;
            this.after = after;
            this.joinGap = joinGap;
            this.maxRegion = maxRegion;
        }

        /** Adds the role's next spurt (in time order); returns the region it closed, if any. */
        public Optional<Region> add(SpeechSegment s) {
            long from = Math.max(0, s.startMs() - before);
            long to = s.endMs() + after;
            boolean near = start >= 0 && from - end < joinGap;
            Optional<Region> closed = Optional.empty();
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
                    closed = Optional.of(new Region(start, end));
                }
                start = from;
                end = to;
            }
            lastSpeech = s.endMs();
            return closed;
        }

        /** The region still open to the next spurt, if any (unclipped). */
        public Optional<Region> pending() {
            return start >= 0 ? Optional.of(new Region(start, end)) : Optional.empty();
        }

        /**
         * The earliest start a spurt could have and still not join the pending region: once no
         * spurt can start before this, the pending region can be closed. {@link Long#MAX_VALUE}
         * when nothing is pending.
         */
        public long joinHorizonMs() {
            return start >= 0 ? end + joinGap + before : Long.MAX_VALUE;
        }

        /** The margin kept before a spurt's first speech frame. */
        public long marginBeforeMs() {
            return before;
        }

        /** Closes the pending region (no more spurts can join it) and returns it, if any. */
        public Optional<Region> close() {
            Optional<Region> closed = pending();
            start = -1;
            end = -1;
            return closed;
        }
    }
}
