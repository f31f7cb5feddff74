package io.earshot.ingest.dsp;

import be.tarsos.dsp.AudioEvent;
import be.tarsos.dsp.AudioProcessor;
import be.tarsos.dsp.pitch.FastYin;
import be.tarsos.dsp.pitch.PitchDetectionResult;

/**
 * Per-frame level and pitch for one channel: a TarsosDSP {@link AudioProcessor} fed by a
 * {@link FrameDispatcher} with 40 ms windows every 20 ms.
 *
 * <p>The level is measured over the window's centre 20 ms only, so frame {@code i} covers
 * exactly the samples {@code [i*hop, (i+1)*hop)} and times come from sample positions. Pitch
 * uses the whole 40 ms window so that voices down to {@link #DEFAULT_MIN_PITCH_HZ} have two
 * periods in view, which FastYin needs.
 */
public final class FrameFeatureStage implements AudioProcessor {

    /** Lowest fundamental accepted as voice; below it mains hum and rumble live. */
    public static final double DEFAULT_MIN_PITCH_HZ = 65.0;
    /** Highest fundamental accepted as voice. */
    public static final double DEFAULT_MAX_PITCH_HZ = 450.0;
    /** FastYin confidence required to call a frame voiced. */
    public static final double DEFAULT_MIN_PITCH_PROBABILITY = 0.80;
    /**
     * FastYin's absolute threshold on the cumulative mean normalised difference: a dip below it
     * is a period. Laxer values find more voicing but pick octave errors above
     * {@link #DEFAULT_MAX_PITCH_HZ} for high voices, which then count as unvoiced.
     */
    public static final double DEFAULT_YIN_THRESHOLD = 0.20;
    /** Level reported for a digitally silent frame. */
    public static final double SILENCE_DBFS = -120.0;

    private final FastYin pitch;
    private final int hop;
    private final double minPitchHz;
    private final double maxPitchHz;
    private final double minProbability;
    private final FrameHandler handler;
    private long frameIndex;

    public FrameFeatureStage(float sampleRate, int hop, FrameHandler handler) {
        this(sampleRate, hop, DEFAULT_MIN_PITCH_HZ, DEFAULT_MAX_PITCH_HZ, DEFAULT_MIN_PITCH_PROBABILITY, handler);
    }

    public FrameFeatureStage(float sampleRate, int hop, double minPitchHz, double maxPitchHz,
            double minProbability, FrameHandler handler) {
        this.pitch = new FastYin(sampleRate, 2 * hop, DEFAULT_YIN_THRESHOLD);
        this.hop = hop;
        this.minPitchHz = minPitchHz;
        this.maxPitchHz = maxPitchHz;
        this.minProbability = minProbability;
        this.handler = handler;
    }

    @Override
    public boolean process(AudioEvent event) {
        float[] window = event.getFloatBuffer();
        int from = (window.length - hop) / 2;
        double energy = 0;
        for (int i = from; i < from + hop; i++) {
            energy += window[i] * window[i];
        }
        double level = energy <= 0 ? SILENCE_DBFS : Math.max(SILENCE_DBFS, 10 * Math.log10(energy / hop));
        PitchDetectionResult result = pitch.getPitch(window);
        double hz = result.getPitch();
        double probability = result.getProbability();
        boolean voiced = result.isPitched() && hz >= minPitchHz && hz <= maxPitchHz
                && probability >= minProbability;
        handler.handleFrame(new FrameFeatures(frameIndex++, level, level,
                voiced ? hz : Double.NaN, voiced ? probability : 0.0));
        return true;
    }

    @Override
    public void processingFinished() {
        // nothing buffered
    }
}
