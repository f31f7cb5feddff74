package io.earshot.ingest.dsp;

/**
 * How loud each party is on their own channel once the other party's leak is taken out.
 *
 * <p>Telephone channels carry a faint, delayed copy of the other party (line echo, acoustic
 * crosstalk). Per 20 ms frame and channel, this stage finds the delay (0 to
 * {@code maxLagMs}) at which the other channel's recent signal best matches the frame, and
 * removes the matching part: the frame's energy times {@code 1 - rho^2}, where {@code rho}
 * is the normalised cross-correlation at that delay, is the energy the other party cannot
 * explain, i.e. this party's own speech (plus line noise). An echo-only frame correlates
 * strongly and drops to the noise floor; during double talk the speaker's own voice does
 * not correlate with the other channel and keeps its level, however loud the other party
 * is. This is the energy-domain form of an echo canceller's double-talk detector.
 *
 * <p>The search runs only where echo could matter: when the other channel was louder than
 * this frame somewhere within the lag window. Channels are pushed in lockstep; frame
 * {@code i} covers samples {@code [i*hop, (i+1)*hop)} as in {@link FrameFeatureStage}.
 */
public final class CrosstalkStage {

    /** Receives each frame's own-speech levels, in frame order. */
    @FunctionalInterface
    public interface Handler {
        void handleFrame(long index, double agentOwnDbfs, double customerOwnDbfs);
    }

    private final int hop;
    private final int maxLag;
    private final Handler handler;
    private final double[] agent;
    private final double[] customer;
    private final double[] windows;
    private final double[] dots;
    private int filled;
    private long frame;

    public CrosstalkStage(int sampleRate, int hop, int maxLagMs, Handler handler) {
        this.hop = hop;
        this.maxLag = sampleRate * maxLagMs / 1000;
        this.handler = handler;
        this.agent = new double[maxLag + hop];
        this.customer = new double[maxLag + hop];
        this.windows = new double[maxLag + 1];
        this.dots = new double[maxLag + 1];
        this.filled = maxLag; // silence before the call
    }

    public void push(short[] agentSamples, short[] customerSamples, int offset, int length) {
        for (int i = 0; i < length; i++) {
            agent[filled] = agentSamples[offset + i] / 32768.0;
            customer[filled] = customerSamples[offset + i] / 32768.0;
            if (++filled == agent.length) {
                handler.handleFrame(frame++, ownLevel(agent, customer), ownLevel(customer, agent));
                System.arraycopy(agent, hop, agent, 0, maxLag);
                System.arraycopy(customer, hop, customer, 0, maxLag);
                filled = maxLag;
            }
        }
    }

    /** The level of the newest frame of {@code self} not explained by {@code other}. */
    private double ownLevel(double[] self, double[] other) {
        int start = maxLag;
        double selfEnergy = 0;
        for (int n = start; n < start + hop; n++) {
            selfEnergy += self[n] * self[n];
        }
        if (selfEnergy <= 0) {
            return FrameFeatureStage.SILENCE_DBFS;
        }
        // energy of the other channel in each lagged window, by a sliding sum
        double window = 0;
        for (int n = start; n < start + hop; n++) {
            window += other[n] * other[n];
        }
        double loudestOther = window;
        windows[0] = window;
        for (int lag = 1; lag <= maxLag; lag++) {
            window += other[start - lag] * other[start - lag] - other[start + hop - lag] * other[start + hop - lag];
            windows[lag] = Math.max(0, window);
            loudestOther = Math.max(loudestOther, windows[lag]);
        }
        double residual = selfEnergy;
        if (loudestOther > selfEnergy) {
            correlate(self, other, start);
            double best = 0;
            for (int lag = 0; lag <= maxLag; lag++) {
                if (windows[lag] <= 0) {
                    continue;
                }
                double dot = dots[lag];
                best = Math.max(best, dot * dot / (selfEnergy * windows[lag]));
            }
            residual = selfEnergy * (1 - Math.min(1, best));
        }
        return residual <= 0 ? FrameFeatureStage.SILENCE_DBFS
                : Math.max(FrameFeatureStage.SILENCE_DBFS, 10 * Math.log10(residual / hop));
    }

    /**
     * {@code dots[lag]} = the sum over {@code n} of {@code self[start + n] * other[start + n - lag]}
     * for every lag, eight lags at a time: the eight sums run side by side through the frame, each
     * adding its terms in the same order as a loop over one lag would (the same result to the
     * bit), so the processor overlaps eight additions instead of waiting on one.
     */
    private void correlate(double[] self, double[] other, int start) {
        int lag = 0;
        for (; lag + 7 <= maxLag; lag += 8) {
            double d0 = 0, d1 = 0, d2 = 0, d3 = 0, d4 = 0, d5 = 0, d6 = 0, d7 = 0;
            int o = start - lag;
            for (int n = 0; n < hop; n++, o++) {
                double s = self[start + n];
                d0 += s * other[o];
                d1 += s * other[o - 1];
                d2 += s * other[o - 2];
                d3 += s * other[o - 3];
                d4 += s * other[o - 4];
                d5 += s * other[o - 5];
                d6 += s * other[o - 6];
                d7 += s * other[o - 7];
            }
            dots[lag] = d0;
            dots[lag + 1] = d1;
            dots[lag + 2] = d2;
            dots[lag + 3] = d3;
            dots[lag + 4] = d4;
            dots[lag + 5] = d5;
            dots[lag + 6] = d6;
            dots[lag + 7] = d7;
        }
        for (; lag <= maxLag; lag++) {
            double dot = 0;
            for (int n = 0; n < hop; n++) {
                dot += self[start + n] * other[start - lag + n];
            }
            dots[lag] = dot;
        }
    }
}
