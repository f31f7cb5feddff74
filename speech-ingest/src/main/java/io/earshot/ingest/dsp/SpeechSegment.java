package io.earshot.ingest.dsp;

import io.earshot.schemas.Role;
import java.util.List;

/**
 * One talk spurt of one party with its tone, as docs/metrics.md defines it.
 *
 * @param role                 who spoke
 * @param index                the spurt's number for this role, from 0
 * @param startMs              media position of the first speech frame
 * @param endMs                media position just after the last speech frame
 * @param pitchMedianHz        median fundamental over voiced frames, {@code NaN} if none
 * @param pitchRangeSemitones  10th to 90th percentile of voiced-frame pitch, in semitones
 * @param loudnessDbfs         RMS level over the spurt's speech frames
 * @param voicedRatio          share of the spurt's speech frames that are voiced
 * @param contourBlockMs       length of the contour's blocks, 0 when the spurt has no contour
 * @param contour              the tone contour: the spurt cut into blocks of {@code contourBlockMs}
 *                             from its start, the last one shorter ({@link ContourBlock})
 * @param knownAtMs            media position of the audio the detector had when it closed the
 *                             spurt: its end plus the silence that ends a spurt and the
 *                             look-ahead the decision took (the end of the audio, for a spurt
 *                             closed there); at least {@code endMs}. Live, this is when the spurt
 *                             became known, and it is its event time on the wire.
 */
public record SpeechSegment(Role role, int index, long startMs, long endMs, double pitchMedianHz,
        double pitchRangeSemitones, double loudnessDbfs, double voicedRatio, long contourBlockMs,
        List<ContourBlock> contour, long knownAtMs) {

    /** Reference of the semitone scale for median pitch: 55 Hz (A1). */
    public static final double SEMITONE_REFERENCE_HZ = 55.0;

    public SpeechSegment {
        contour = List.copyOf(contour);
        if (knownAtMs < endMs) {
            throw new IllegalArgumentException("a spurt is known at or after its end, not at " + knownAtMs
                    + " before " + endMs);
        }
    }

    /** A spurt known at its end (no decision delay): built from a record, or in tests. */
    public SpeechSegment(Role role, int index, long startMs, long endMs, double pitchMedianHz,
            double pitchRangeSemitones, double loudnessDbfs, double voicedRatio, long contourBlockMs,
            List<ContourBlock> contour) {
        this(role, index, startMs, endMs, pitchMedianHz, pitchRangeSemitones, loudnessDbfs, voicedRatio,
                contourBlockMs, contour, endMs);
    }

    /** A spurt without a tone contour. */
    public SpeechSegment(Role role, int index, long startMs, long endMs, double pitchMedianHz,
            double pitchRangeSemitones, double loudnessDbfs, double voicedRatio) {
        this(role, index, startMs, endMs, pitchMedianHz, pitchRangeSemitones, loudnessDbfs, voicedRatio, 0, List.of(),
                endMs);
    }

    /** {@code hz} in semitones above {@link #SEMITONE_REFERENCE_HZ}; {@code NaN} for {@code NaN}. */
    public static double semitones(double hz) {
        return Double.isNaN(hz) ? Double.NaN : 12 * Math.log(hz / SEMITONE_REFERENCE_HZ) / Math.log(2);
    }

    public long durationMs() {
        return endMs - startMs;
    }

    /** Median pitch in semitones above {@link #SEMITONE_REFERENCE_HZ}, {@code NaN} if unvoiced. */
    public double pitchMedianSemitones() {
        return semitones(pitchMedianHz);
    }
}
