package io.earshot.pipeline.corpus;

/**
 * Levels of 8 kHz signals held as doubles with full scale 1.0. dBFS is
 * {@code 20 log10(RMS)}, the scale of {@code sox stat}'s RMS amplitude and of the fixtures'
 * ground truth (a full-scale square wave is 0 dBFS).
 */
public final class Levels {

    /** Samples per millisecond at the corpus rate. */
    public static final int SAMPLES_PER_MS = 8;

    /** The ITU-T P.56 margin between the active speech level and its activity threshold. */
    private static final double P56_MARGIN_DB = 15.9;

    private Levels() {
    }

    public static double dbToAmp(double db) {
        return StrictMath.pow(10.0, db / 20.0);
    }

    public static double rmsDbfs(double[] x, int from, int to) {
        double e = 0;
        for (int i = from; i < to; i++) {
            e += x[i] * x[i];
        }
        return 10 * StrictMath.log10(Math.max(e / Math.max(1, to - from), 1e-30));
    }

    public static double peak(double[] x) {
        double p = 0;
        for (double v : x) {
            p = Math.max(p, Math.abs(v));
        }
        return p;
    }

    /**
     * Active speech level in dBFS, P.56 style: the mean power of the 10 ms frames whose power
     * lies within 15.9 dB of that mean. Measured on the telephone band, it is the level a
     * listener on the line hears while the speaker talks, independent of pauses.
     *
     * @throws IllegalArgumentException when the signal holds no frame above -120 dBFS
     */
    public static double activeLevelDb(double[] y) {
        int frameLength = 10 * SAMPLES_PER_MS;
        int frames = y.length / frameLength;
        double[] power = new double[frames];
        for (int f = 0; f < frames; f++) {
            double s = 0;
            for (int i = f * frameLength; i < (f + 1) * frameLength; i++) {
                s += y[i] * y[i];
            }
            power[f] = s / frameLength;
        }
        for (int step = 0; step <= 1200; step++) {
            double thresholdDb = -120 + step * 0.1;
            double threshold = StrictMath.pow(10, thresholdDb / 10);
            double sum = 0;
            int count = 0;
            for (double p : power) {
                if (p >= threshold) {
                    sum += p;
                    count++;
                }
            }
            if (count == 0) {
                break;
            }
            double level = 10 * StrictMath.log10(sum / count);
            if (level - thresholdDb <= P56_MARGIN_DB) {
                return level;
            }
        }
        throw new IllegalArgumentException("no active speech in " + y.length + " samples");
    }

    /** Raised-cosine fade-in over the first {@code n} samples. */
    public static void fadeIn(double[] x, int n) {
        for (int i = 0; i < n && i < x.length; i++) {
            x[i] *= 0.5 - 0.5 * StrictMath.cos(StrictMath.PI * (i + 0.5) / n);
        }
    }

    /** Raised-cosine fade-out over the last {@code n} samples. */
    public static void fadeOut(double[] x, int n) {
        for (int i = 0; i < n && i < x.length; i++) {
            x[x.length - 1 - i] *= 0.5 - 0.5 * StrictMath.cos(StrictMath.PI * (i + 0.5) / n);
        }
    }
}
