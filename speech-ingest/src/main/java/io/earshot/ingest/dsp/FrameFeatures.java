package io.earshot.ingest.dsp;

/**
 * What one 20 ms frame of one channel looks like to the voice-activity detector.
 *
 * @param index            frame number from the start of the channel (time = index * frame length)
 * @param levelDbfs        RMS level of the frame's own 20 ms in dB relative to full scale
 * @param ownLevelDbfs     the level left once the other party's echo or crosstalk is taken out
 *                         ({@link CrosstalkStage}); equal to {@code levelDbfs} until known
 * @param pitchHz          fundamental frequency from TarsosDSP's FastYin, or {@code NaN} when unvoiced
 * @param pitchProbability FastYin's confidence in the pitch estimate (0 when unvoiced)
 */
public record FrameFeatures(long index, double levelDbfs, double ownLevelDbfs, double pitchHz,
        double pitchProbability) {

    /** The same frame with the own-speech level measured by {@link CrosstalkStage}. */
    public FrameFeatures withOwnLevel(double dbfs) {
        return new FrameFeatures(index, levelDbfs, dbfs, pitchHz, pitchProbability);
    }
}
