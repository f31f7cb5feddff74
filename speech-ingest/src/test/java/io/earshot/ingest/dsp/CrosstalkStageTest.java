package io.earshot.ingest.dsp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The crosstalk stage's levels against a plain statement of its rule: for each frame, the
 * cross-correlation with the other channel at every lag computed one lag at a time, exactly
 * as written in the class comment. The stage computes all lags together for speed; it must
 * give the same doubles, to the bit.
 */
class CrosstalkStageTest {

    private static final int RATE = 8000;
    private static final int HOP = 160;
    private static final int MAX_LAG_MS = 100;

    @Test
    void shouldGiveTheSameLevelsAsTheOneLagAtATimeRuleToTheBit() {
        Random random = new Random(20261206L);
        for (int call = 0; call < 6; call++) {
            int frames = 400;
            short[] agent = new short[frames * HOP];
            short[] customer = new short[frames * HOP];
            // the shortest and the longest delay searched, then any
            int maxLag = RATE * MAX_LAG_MS / 1000;
            int delay = call == 0 ? 0 : call == 1 ? maxLag : random.nextInt(maxLag + 1);
            double echo = 0.05 + 0.3 * random.nextDouble();
            // turns of speech-like noise, each party's echo on the other channel, double talk, silences
            for (int i = 0; i < agent.length; i++) {
                int f = i / HOP;
                boolean agentTalks = (f / 37) % 2 == 0 || (f % 53) < 6;
                boolean customerTalks = (f / 37) % 2 == 1 || (f % 71) < 4;
                boolean digitalSilence = (f % 97) < 3;
                double a = agentTalks ? 6000 * Math.sin(i * 0.07 + call) * random.nextGaussian() : 0;
                double c = customerTalks ? 5000 * Math.sin(i * 0.05 + 2 * call) * random.nextGaussian() : 0;
                agent[i] = digitalSilence ? 0 : clip(a + 20 * random.nextGaussian());
                customer[i] = digitalSilence ? 0 : clip(c + 20 * random.nextGaussian());
            }
            for (int i = agent.length - 1; i >= delay; i--) {
                customer[i] = clip(customer[i] + echo * agent[i - delay]);
            }
            List<double[]> staged = new ArrayList<>();
            CrosstalkStage stage = new CrosstalkStage(RATE, HOP, MAX_LAG_MS,
                    (index, a, c) -> staged.add(new double[] {index, a, c}));
            // pushed in uneven pieces, as audio arrives
            for (int at = 0; at < agent.length; ) {
                int n = Math.min(agent.length - at, 1 + random.nextInt(700));
                stage.push(agent, customer, at, n);
                at += n;
            }
            List<double[]> reference = reference(agent, customer);

            assertThat(staged).hasSameSizeAs(reference).hasSize(frames);
            int searched = 0;
            for (int f = 0; f < frames; f++) {
                assertThat(staged.get(f)[0]).isEqualTo(f);
                assertThat(staged.get(f)[1]).as("agent, call %d frame %d", call, f).isEqualTo(reference.get(f)[1]);
                assertThat(staged.get(f)[2]).as("customer, call %d frame %d", call, f).isEqualTo(reference.get(f)[2]);
                searched += reference.get(f)[3] > 0 ? 1 : 0;
            }
            // the comparison covered frames where the correlation decided the level
            assertThat(searched).as("frames whose level came from the lag search").isGreaterThan(frames / 4);
        }
    }

    @Test
    void shouldTakeAnEchoOnlyFrameDownAndKeepDoubleTalk() {
        int frames = 50;
        short[] agent = new short[frames * HOP];
        short[] customer = new short[frames * HOP];
        Random random = new Random(7);
        for (int i = 0; i < agent.length; i++) {
            agent[i] = clip(8000 * random.nextGaussian());
        }
        int delay = 240; // 30 ms
        for (int i = delay; i < agent.length; i++) {
            customer[i] = clip(0.2 * agent[i - delay]);
        }
        // the customer talks over the second half
        for (int i = agent.length / 2; i < agent.length; i++) {
            customer[i] = clip(customer[i] + 3000 * random.nextGaussian());
        }
        List<double[]> levels = new ArrayList<>();
        new CrosstalkStage(RATE, HOP, MAX_LAG_MS, (index, a, c) -> levels.add(new double[] {a, c}))
                .push(agent, customer, 0, agent.length);

        double echoOnly = levels.get(frames / 4)[1];
        double doubleTalk = levels.get(3 * frames / 4)[1];
        assertThat(levels.get(frames / 4)[0]).isGreaterThan(-20);
        assertThat(echoOnly).as("echo-only frame").isLessThan(-60);
        assertThat(doubleTalk).as("double talk").isGreaterThan(-30);
    }

    private static short clip(double v) {
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(v)));
    }

    /** Per frame: index, agent level, customer level, and 1 when either level came from the lag search. */
    private static List<double[]> reference(short[] agentSamples, short[] customerSamples) {
        int maxLag = RATE * MAX_LAG_MS / 1000;
        List<double[]> out = new ArrayList<>();
        double[] a = new double[agentSamples.length + maxLag];
        double[] c = new double[customerSamples.length + maxLag];
        for (int i = 0; i < agentSamples.length; i++) {
            a[maxLag + i] = agentSamples[i] / 32768.0;
            c[maxLag + i] = customerSamples[i] / 32768.0;
        }
        for (int f = 0; f * HOP + HOP <= agentSamples.length; f++) {
            int start = maxLag + f * HOP;
            boolean[] searched = new boolean[1];
            double agentLevel = ownLevel(a, c, start, maxLag, searched);
            double customerLevel = ownLevel(c, a, start, maxLag, searched);
            out.add(new double[] {f, agentLevel, customerLevel, searched[0] ? 1 : 0});
        }
        return out;
    }

    private static double ownLevel(double[] self, double[] other, int start, int maxLag, boolean[] searched) {
        double selfEnergy = 0;
        for (int n = start; n < start + HOP; n++) {
            selfEnergy += self[n] * self[n];
        }
        if (selfEnergy <= 0) {
            return FrameFeatureStage.SILENCE_DBFS;
        }
        double[] windows = new double[maxLag + 1];
        double window = 0;
        for (int n = start; n < start + HOP; n++) {
            window += other[n] * other[n];
        }
        double loudestOther = window;
        windows[0] = window;
        for (int lag = 1; lag <= maxLag; lag++) {
            window += other[start - lag] * other[start - lag] - other[start + HOP - lag] * other[start + HOP - lag];
            windows[lag] = Math.max(0, window);
            loudestOther = Math.max(loudestOther, windows[lag]);
        }
        double residual = selfEnergy;
        if (loudestOther > selfEnergy) {
            searched[0] = true;
            double best = 0;
            for (int lag = 0; lag <= maxLag; lag++) {
                if (windows[lag] <= 0) {
                    continue;
                }
                double dot = 0;
                for (int n = 0; n < HOP; n++) {
                    dot += self[start + n] * other[start - lag + n];
                }
                best = Math.max(best, dot * dot / (selfEnergy * windows[lag]));
            }
            residual = selfEnergy * (1 - Math.min(1, best));
        }
        return residual <= 0 ? FrameFeatureStage.SILENCE_DBFS
                : Math.max(FrameFeatureStage.SILENCE_DBFS, 10 * Math.log10(residual / HOP));
    }
}
