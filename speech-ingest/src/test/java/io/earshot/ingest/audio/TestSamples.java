package io.earshot.ingest.audio;

import java.util.List;

/** Sample arrays for tests of code that moves audio around. */
public final class TestSamples {

    private TestSamples() {
    }

    /** {@code n} distinct samples counting up from {@code from}, so a misplaced sample shows. */
    public static short[] ramp(int from, int n) {
        short[] s = new short[n];
        for (int i = 0; i < n; i++) {
            s[i] = (short) (from + i);
        }
        return s;
    }

    /** The parts one after the other. */
    public static short[] concat(List<short[]> parts) {
        short[] all = new short[parts.stream().mapToInt(p -> p.length).sum()];
        int at = 0;
        for (short[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }
}
