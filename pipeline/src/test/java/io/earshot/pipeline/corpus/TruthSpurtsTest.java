package io.earshot.pipeline.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.analysis.evaluation.TruthSegment;
import io.earshot.schemas.Role;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TruthSpurtsTest {

    /** A square wave of the given RMS (its RMS equals its amplitude) over [fromMs, toMs). */
    private static void square(double[] x, int fromMs, int toMs, double dbfs) {
        double a = Levels.dbToAmp(dbfs);
        for (int i = fromMs * 8; i < toMs * 8; i++) {
            x[i] = (i / 4) % 2 == 0 ? a : -a;
        }
    }

    @ParameterizedTest(name = "gap {0} ms -> {1} spurt(s)")
    @CsvSource({"240, 1", "260, 2", "200, 1", "300, 2"})
    void shouldJoinRunsAcrossGapsShorterThan250Ms(int gapMs, int spurts) {
        double[] x = new double[4000 * 8];
        square(x, 1000, 1400, -30);
        square(x, 1400 + gapMs, 1800 + gapMs, -30);

        List<TruthSegment> out = TruthSpurts.of(Role.AGENT, x);

        assertThat(out).hasSize(spurts);
        assertThat(out.get(0).startMs()).isEqualTo(1000);
        assertThat(out.get(out.size() - 1).endMs()).isEqualTo(1800 + gapMs);
    }

    @ParameterizedTest(name = "run of {0} ms -> {1} spurt(s)")
    @CsvSource({"100, 0", "120, 1", "140, 1"})
    void shouldDropRunsShorterThan120Ms(int lengthMs, int spurts) {
        double[] x = new double[2000 * 8];
        square(x, 500, 500 + lengthMs, -30);

        assertThat(TruthSpurts.of(Role.CUSTOMER, x)).hasSize(spurts);
    }

    @ParameterizedTest(name = "{0} dBFS -> speech {1}")
    @CsvSource({"-49.9, true", "-50.1, false"})
    void shouldCallAFrameSpeechFromMinus50DbfsOn(double dbfs, boolean speech) {
        double[] x = new double[1000 * 8];
        square(x, 200, 600, dbfs);

        assertThat(TruthSpurts.of(Role.AGENT, x)).hasSize(speech ? 1 : 0);
    }

    @Test
    void shouldPlaceSpurtEdgesOnTheFrameGridFromTimeZero() {
        double[] x = new double[1000 * 8];
        square(x, 205, 517, -30);

        assertThat(TruthSpurts.of(Role.AGENT, x)).containsExactly(new TruthSegment(Role.AGENT, 200, 520));
    }
}
