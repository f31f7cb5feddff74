package io.earshot.analysis.events;

import io.earshot.schemas.Role;
import java.util.ArrayList;
import java.util.List;

/**
 * A talk spurt with its tone, as kept in a call's state and shown in its summary: the spurt's
 * single pitch and loudness, and its tone contour ({@link ContourBlock}s in order; empty when
 * the producer sent none). Lists are plain ArrayLists for Flink's Kryo.
 */
public record SegmentItem(Role role, long startMs, long endMs, double pitchMedianHz, double pitchRangeSemitones,
        double loudnessDbfs, List<ContourBlock> contour) {

    public SegmentItem {
        contour = new ArrayList<>(contour);
    }

    /** A spurt without a tone contour. */
    public SegmentItem(Role role, long startMs, long endMs, double pitchMedianHz, double pitchRangeSemitones,
            double loudnessDbfs) {
        this(role, startMs, endMs, pitchMedianHz, pitchRangeSemitones, loudnessDbfs, List.of());
    }

    /** The spurt of a {@code SEGMENT} event. */
    /**
     * The spurt without its tone contour: what a summary carries (the contour is read by the
     * listening analysis and published on earshot.speech, and need not travel with every
     * running value).
     */
    public SegmentItem withoutContour() {
        return contour.isEmpty() ? this : new SegmentItem(role, startMs, endMs, pitchMedianHz, pitchRangeSemitones,
                loudnessDbfs);
    }

    public static SegmentItem of(CallEvent e) {
        return new SegmentItem(e.role, e.startMs, e.endMs, e.pitchMedianHz, e.pitchRangeSemitones, e.loudnessDbfs,
                e.contour == null ? List.of() : e.contour);
    }
}
