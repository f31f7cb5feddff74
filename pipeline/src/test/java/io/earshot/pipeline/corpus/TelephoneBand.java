package io.earshot.pipeline.corpus;

import java.util.Arrays;

/**
 * The telephone band at 8 kHz: a 4th-order Butterworth high-pass at 300 Hz and low-pass at
 * 3400 Hz (two RBJ biquads each), run forward and backward so the result has no phase shift
 * and no delay: a sample's place on the timeline is where it was placed, which the truth
 * spurts rely on. The double pass gives -6 dB at both corners.
 */
public final class TelephoneBand {

    public static final double LOW_HZ = 300;
    public static final double HIGH_HZ = 3400;
    private static final int RATE = 8000;
    /** Silence added on both sides before filtering, so the edges settle outside the signal. */
    private static final int PAD = RATE / 4;

    private static final double Q1 = 1 / (2 * StrictMath.cos(StrictMath.PI / 8));
    private static final double Q2 = 1 / (2 * StrictMath.cos(3 * StrictMath.PI / 8));
    private static final double[][] BAND = {
            biquad(true, LOW_HZ, Q1), biquad(true, LOW_HZ, Q2),
            biquad(false, HIGH_HZ, Q1), biquad(false, HIGH_HZ, Q2),
    };

    private TelephoneBand() {
    }

    /** The band-limited copy of {@code x}. */
    public static double[] filter(double[] x) {
        return zeroPhase(x, BAND);
    }

    /** A zero-phase 4th-order Butterworth band-pass between {@code lowHz} and {@code highHz}. */
    public static double[] bandPass(double[] x, double lowHz, double highHz) {
        return zeroPhase(x, new double[][] {
                biquad(true, lowHz, Q1), biquad(true, lowHz, Q2),
                biquad(false, highHz, Q1), biquad(false, highHz, Q2)});
    }

    private static double[] zeroPhase(double[] x, double[][] sections) {
        double[] y = new double[x.length + 2 * PAD];
        System.arraycopy(x, 0, y, PAD, x.length);
        cascade(y, sections);
        reverse(y);
        cascade(y, sections);
        reverse(y);
        return Arrays.copyOfRange(y, PAD, PAD + x.length);
    }

    /** RBJ biquad coefficients {b0, b1, b2, a1, a2}, normalised by a0. */
    private static double[] biquad(boolean highPass, double f0, double q) {
        double w0 = 2 * StrictMath.PI * f0 / RATE;
        double cw = StrictMath.cos(w0);
        double alpha = StrictMath.sin(w0) / (2 * q);
        double a0 = 1 + alpha;
        double b0 = highPass ? (1 + cw) / 2 : (1 - cw) / 2;
        double b1 = highPass ? -(1 + cw) : (1 - cw);
        return new double[] {b0 / a0, b1 / a0, b0 / a0, -2 * cw / a0, (1 - alpha) / a0};
    }

    private static void cascade(double[] x, double[][] sections) {
        for (double[] c : sections) {
            double z1 = 0;
            double z2 = 0;
            for (int i = 0; i < x.length; i++) {
                double in = x[i];
                double out = c[0] * in + z1;
                z1 = c[1] * in - c[3] * out + z2;
                z2 = c[2] * in - c[4] * out;
                x[i] = out;
            }
        }
    }

    private static void reverse(double[] x) {
        for (int i = 0, j = x.length - 1; i < j; i++, j--) {
            double t = x[i];
            x[i] = x[j];
            x[j] = t;
        }
    }
}
