package io.earshot.pipeline.corpus;

import io.earshot.analysis.evaluation.TruthSegment;
import io.earshot.schemas.Role;
import java.util.ArrayList;
import java.util.List;

/**
 * Ground-truth talk spurts of one role, computed from that role's clean signal exactly as the
 * contract defines spurts: 20 ms frames from t = 0; a frame is speech when its RMS is at least
 * -50 dBFS; runs are joined across gaps shorter than 250 ms; runs shorter than 120 ms are
 * dropped. Start and end are frame boundaries.
 */
public final class TruthSpurts {

    public static final int FRAME_MS = 20;
    public static final double THRESHOLD_DBFS = -50.0;
    public static final int BRIDGE_GAP_MS = 250;
    public static final int MIN_SPURT_MS = 120;

    private TruthSpurts() {
    }

    /** The spurts of one role's clean 8 kHz signal (a trailing partial frame is ignored). */
    public static List<TruthSegment> of(Role role, double[] clean) {
        int n = FRAME_MS * Levels.SAMPLES_PER_MS;
        int frames = clean.length / n;
        double threshold = Levels.dbToAmp(THRESHOLD_DBFS);
        List<int[]> runs = new ArrayList<>();
        for (int f = 0; f < frames; f++) {
            double e = 0;
            for (int i = f * n; i < (f + 1) * n; i++) {
                e += clean[i] * clean[i];
            }
            if (Math.sqrt(e / n) >= threshold) {
                int[] last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
                int startMs = f * FRAME_MS;
                if (last != null && startMs - last[1] < BRIDGE_GAP_MS) {
                    last[1] = startMs + FRAME_MS;
                } else {
                    runs.add(new int[] {startMs, startMs + FRAME_MS});
                }
            }
        }
        List<TruthSegment> out = new ArrayList<>();
        for (int[] run : runs) {
            if (run[1] - run[0] >= MIN_SPURT_MS) {
                out.add(new TruthSegment(role, run[0], run[1]));
            }
        }
        return out;
    }
}
