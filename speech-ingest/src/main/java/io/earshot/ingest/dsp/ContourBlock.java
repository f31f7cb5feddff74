package io.earshot.ingest.dsp;

/**
 * One fixed block of a talk spurt's tone contour: the spurt is cut into blocks of
 * {@link SpeechSegment#contourBlockMs()} from its start (the last one shorter), and each block
 * holds the level and pitch of its own speech frames. A raised stretch of a few seconds inside
 * a long spurt shows here, where the spurt's single loudness averages it away.
 *
 * <p>Values are kept at float precision, the precision {@code SpeechSegmentDetected} carries
 * them in, so a block read back from the event equals the one ingest computed.
 *
 * @param loudnessDbfs   RMS level of the block's speech frames, own speech only (the other
 *                       party's echo taken out, {@link CrosstalkStage}); {@code NaN} when the
 *                       block lies wholly in a bridged gap and has no speech frame
 * @param pitchSemitones median pitch of the block's voiced frames in semitones over
 *                       {@link SpeechSegment#SEMITONE_REFERENCE_HZ}; {@code NaN} when none is voiced
 */
public record ContourBlock(double loudnessDbfs, double pitchSemitones) {

    public ContourBlock {
        loudnessDbfs = Double.isNaN(loudnessDbfs) ? Double.NaN : (float) loudnessDbfs;
        pitchSemitones = Double.isNaN(pitchSemitones) ? Double.NaN : (float) pitchSemitones;
    }
}
