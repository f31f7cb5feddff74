package io.earshot.ingest.audio;

import static org.assertj.core.api.Assertions.assertThat;

import be.tarsos.dsp.resample.Resampler;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The 2x upsampler measured as a filter: alignment and fidelity against the analytic signal,
 * flat pass band over the telephone band, image rejection with a Goertzel filter, streaming
 * equals one-shot, and a head-to-head with TarsosDSP's resampler.
 */
class SincUpsampler2xTest {

    private static final int IN_RATE = 8000;
    private static final int OUT_RATE = 16000;
    /** One second of input: every test tone (multiples of 100 Hz) lands on a whole number of cycles. */
    private static final int IN_LENGTH = IN_RATE;
    private static final double AMPLITUDE = 16000;
    /** 50 ms at the output rate: the filter's start-up and tail are kept out of the measurements. */
    private static final int EDGE = OUT_RATE / 20;

    @Test
    void shouldMatchTheAnalyticSineAtTheOutputRateWithTheDelayCompensated() {
        short[] in = sine(1000, IN_LENGTH);

        short[] out = SincUpsampler2x.upsample(in);

        double signal = 0;
        double error = 0;
        for (int m = EDGE; m < out.length - EDGE; m++) {
            double expected = AMPLITUDE * Math.sin(2 * Math.PI * 1000 * m / OUT_RATE);
            signal += expected * expected;
            error += (out[m] - expected) * (out[m] - expected);
        }
        double snrDb = 10 * Math.log10(signal / error);
        // an uncompensated delay of even one output sample would leave an error of
        // 2 sin(pi * 1000 / 16000) of the amplitude: an SNR of about 8 dB
        assertThat(snrDb).as("SNR against the analytic 16 kHz sine").isGreaterThan(60);
        // and sample 2n sits on input n, not on a neighbour
        assertThat(bestLag(in, out)).as("lag of the even output phase, in input samples").isZero();
    }

    @ParameterizedTest(name = "{0} Hz")
    @ValueSource(ints = {300, 1000, 3000, 3400})
    void shouldPassTheTelephoneBandWithinHalfADecibel(int hz) {
        short[] in = sine(hz, IN_LENGTH);

        short[] out = SincUpsampler2x.upsample(in);

        double inRms = rms(toDouble(in), EDGE / 2, IN_LENGTH - EDGE);
        double outRms = rms(toDouble(out), EDGE, out.length - 2 * EDGE);
        double gainDb = 20 * Math.log10(outRms / inRms);
        assertThat(gainDb).isBetween(-0.5, 0.5);
    }

    @ParameterizedTest(name = "tone {0} Hz, image {1} Hz")
    @CsvSource({"3000, 5000", "300, 7700", "1000, 7000", "3400, 4600"})
    void shouldSuppressTheImageAboveTheOldNyquistByAtLeast60Db(int toneHz, int imageHz) {
        short[] out = SincUpsampler2x.upsample(sine(toneHz, IN_LENGTH));

        double imageDb = imageRelativeToToneDb(toDouble(out), toneHz, imageHz);

        assertThat(imageDb).isLessThan(-60);
    }

    @Test
    void shouldProduceTheSameOutputWhenFedInRandomBlocks() {
        short[] in = speechLikeNoise(12_345, 42);
        short[] whole = SincUpsampler2x.upsample(in);

        Random blocks = new Random(7);
        SincUpsampler2x up = new SincUpsampler2x();
        short[] streamed = new short[0];
        int blockCount = 0;
        for (int at = 0; at < in.length; blockCount++) {
            // zero-length, single-sample, shorter-than-the-filter and long blocks all occur
            int n = Math.min(in.length - at, blocks.nextInt(4) == 0 ? blocks.nextInt(3) : blocks.nextInt(700));
            short[] block = Arrays.copyOfRange(in, at, at + n);
            streamed = concat(streamed, up.process(block, n));
            at += n;
        }
        streamed = concat(streamed, up.flush());

        assertThat(blockCount).isGreaterThan(30);
        assertThat(whole).hasSize(2 * in.length);
        assertThat(streamed).containsExactly(whole);
    }

    @Test
    void shouldHoldBackOnlyTheFilterLookAheadUntilFlushed() {
        SincUpsampler2x up = new SincUpsampler2x();
        short[] in = speechLikeNoise(100, 3);

        short[] head = up.process(in, in.length);
        short[] tail = up.flush();

        assertThat(head).hasSize(2 * (in.length - SincUpsampler2x.DEFAULT_HALF_TAPS));
        assertThat(tail).hasSize(2 * SincUpsampler2x.DEFAULT_HALF_TAPS);
    }

    @ParameterizedTest(name = "{0} input samples")
    @ValueSource(ints = {0, 1, 5, 23, 24, 25})
    void shouldEmitTwoSamplesPerInputEvenWhenShorterThanTheFilter(int length) {
        short[] in = speechLikeNoise(length, length);

        short[] out = SincUpsampler2x.upsample(in);

        assertThat(out).hasSize(2 * length);
    }

    @Test
    void shouldPassADcLevelUnchangedOnBothPhases() {
        short[] in = new short[400];
        Arrays.fill(in, (short) 1000);

        short[] out = SincUpsampler2x.upsample(in);

        // away from the zero-padded ends both phases have unit DC gain
        for (int m = 2 * SincUpsampler2x.DEFAULT_HALF_TAPS; m < out.length - 2 * SincUpsampler2x.DEFAULT_HALF_TAPS; m++) {
            assertThat(out[m]).as("output %d", m).isEqualTo((short) 1000);
        }
    }

    /**
     * Near the old Nyquist frequency, where the class Javadoc says TarsosDSP leaves imaging,
     * the windowed sinc rejects images by at least 10 dB more than TarsosDSP's high-quality
     * {@code Resampler} at factor 2 on the very same input.
     */
    @ParameterizedTest(name = "tone {0} Hz")
    @ValueSource(ints = {3100, 3200, 3300, 3400})
    void shouldRejectImagesNearTheOldNyquistBetterThanTarsosDsp(int toneHz) {
        short[] in = sine(toneHz, IN_LENGTH);
        int imageHz = IN_RATE - toneHz;

        double ours = imageRelativeToToneDb(toDouble(SincUpsampler2x.upsample(in)), toneHz, imageHz);
        double tarsos = imageRelativeToToneDb(tarsosUpsample(in), toneHz, imageHz);

        assertThat(ours).isLessThan(tarsos - 10);
    }

    @Test
    void shouldHaveAWorstCaseImageOverTheTelephoneBandBelowTarsosDsp() {
        double oursWorst = Double.NEGATIVE_INFINITY;
        double tarsosWorst = Double.NEGATIVE_INFINITY;
        for (int toneHz = 300; toneHz <= 3400; toneHz += 100) {
            short[] in = sine(toneHz, IN_LENGTH);
            int imageHz = IN_RATE - toneHz;
            oursWorst = Math.max(oursWorst,
                    imageRelativeToToneDb(toDouble(SincUpsampler2x.upsample(in)), toneHz, imageHz));
            tarsosWorst = Math.max(tarsosWorst, imageRelativeToToneDb(tarsosUpsample(in), toneHz, imageHz));
        }

        assertThat(oursWorst).as("our worst image").isLessThan(-80);
        assertThat(oursWorst).as("our worst image vs TarsosDSP's worst").isLessThan(tarsosWorst - 10);
    }

    // ---------------------------------------------------------------- helpers

    /** TarsosDSP's resampler at factor 2, high quality, the whole signal as the last batch. */
    private static double[] tarsosUpsample(short[] in) {
        float[] input = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            input[i] = in[i] / 32768f;
        }
        float[] output = new float[2 * in.length];
        Resampler resampler = new Resampler(true, 2.0, 2.0);
        Resampler.Result result = resampler.process(2.0, input, 0, input.length, true, output, 0, output.length);
        assertThat(result.inputSamplesConsumed).isEqualTo(in.length);
        assertThat(result.outputSamplesGenerated).isEqualTo(2 * in.length);
        double[] out = new double[output.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = output[i] * 32768.0;
        }
        return out;
    }

    /** Image level relative to the tone, both measured over the output's middle half second. */
    private static double imageRelativeToToneDb(double[] out, int toneHz, int imageHz) {
        int from = out.length / 4;
        int n = out.length / 2;
        return 10 * Math.log10(goertzelPower(out, from, n, imageHz) / goertzelPower(out, from, n, toneHz));
    }

    /** Power at one frequency (Hann-windowed Goertzel), at the output rate. */
    private static double goertzelPower(double[] x, int from, int n, double hz) {
        double coeff = 2 * Math.cos(2 * Math.PI * hz / OUT_RATE);
        double s1 = 0;
        double s2 = 0;
        for (int i = 0; i < n; i++) {
            double window = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / (n - 1));
            double s = x[from + i] * window + coeff * s1 - s2;
            s2 = s1;
            s1 = s;
        }
        return s1 * s1 + s2 * s2 - coeff * s1 * s2;
    }

    /** The lag (in input samples, -3..3) at which the even output phase best matches the input. */
    private static int bestLag(short[] in, short[] out) {
        return IntStream.rangeClosed(-3, 3).boxed().min((a, b) -> Double.compare(
                mismatch(in, out, a), mismatch(in, out, b))).orElseThrow();
    }

    private static double mismatch(short[] in, short[] out, int lag) {
        double sum = 0;
        for (int n = 100; n < in.length - 100; n++) {
            double d = out[2 * (n + lag)] - in[n];
            sum += d * d;
        }
        return sum;
    }

    private static short[] sine(double hz, int length) {
        short[] s = new short[length];
        for (int i = 0; i < length; i++) {
            s[i] = (short) Math.round(AMPLITUDE * Math.sin(2 * Math.PI * hz * i / IN_RATE));
        }
        return s;
    }

    /** Band-limited-ish noise with a slow envelope, well inside full scale. */
    private static short[] speechLikeNoise(int length, long seed) {
        Random random = new Random(seed);
        short[] s = new short[length];
        double previous = 0;
        for (int i = 0; i < length; i++) {
            double envelope = 0.5 + 0.5 * Math.sin(2 * Math.PI * i / 1700.0);
            previous = 0.6 * previous + 0.4 * random.nextGaussian() * 6000 * envelope;
            s[i] = (short) Math.round(previous);
        }
        return s;
    }

    private static double rms(double[] x, int from, int n) {
        double sum = 0;
        for (int i = from; i < from + n; i++) {
            sum += x[i] * x[i];
        }
        return Math.sqrt(sum / n);
    }

    private static double[] toDouble(short[] s) {
        double[] d = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            d[i] = s[i];
        }
        return d;
    }

    private static short[] concat(short[] a, short[] b) {
        short[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
