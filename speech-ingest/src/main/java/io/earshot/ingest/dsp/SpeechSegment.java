package io.earshot.ingest.dsp;

import io.earshot.schemas.Role;

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
 */
public record SpeechSegment(Role role, int index, long startMs, long endMs, double pitchMedianHz,
        double pitchRangeSemitones, double loudnessDbfs, double voicedRatio) {

    /** Reference of the semitone scale for median pitch: 55 Hz (A1). */
    public static final double SEMITONE_REFERENCE_HZ = 55.0;

    public long durationMs() {
        return endMs - startMs;
    }

    /** Median pitch in semitones above {@link #SEMITONE_REFERENCE_HZ}, {@code NaN} if unvoiced. */
    public double pitchMedianSemitones() {
        return Double.isNaN(pitchMedianHz) ? Double.NaN : 12 * Math.log(pitchMedianHz / SEMITONE_REFERENCE_HZ) / Math.log(2);
    }
}
