package io.earshot.ingest.dsp;

import io.earshot.ingest.audio.CallAudio;
import io.earshot.schemas.Role;
import java.util.ArrayList;
import java.util.List;

/**
 * The detector's provisional edges against its decided spurts on one call, pushed a frame at a
 * time (or all at once) as ingest pushes it: how soon each provisional edge was known, and how
 * far the speaking state they give agrees with the decided spurts', frame by frame. For the
 * detector's tests and the generated corpus's.
 *
 * @param provisional    the provisional spurts, from their edges
 * @param decided        the decided spurts
 * @param frames         frames compared (both parties)
 * @param agreeingFrames frames where the provisional state is the decided one
 * @param falseStarts    provisional spurts that overlap no decided spurt of their party
 * @param startDelays    per provisional start, ms of audio after it until it was reported
 * @param endDelays      per provisional end not at the end of the audio, ms after it until reported
 */
public record ProvisionalAgreement(List<Spurt> provisional, List<SpeechSegment> decided, long frames,
        long agreeingFrames, long falseStarts, List<Long> startDelays, List<Long> endDelays) {

    /** A provisional spurt: its edges, and how far into the audio each was reported. */
    public record Spurt(Role role, long startMs, long startKnownAtMs, long endMs, long endKnownAtMs) {
    }

    public double agreement() {
        return frames == 0 ? 1 : agreeingFrames / (double) frames;
    }

    /**
     * Runs the detector over the call; fails on edges out of order (a start while one is open,
     * an end without a start or not after its start, a start left open at the end).
     */
    public static ProvisionalAgreement measure(CallAudio audio, VadConfig config, boolean frameByFrame) {
        List<Spurt> provisional = new ArrayList<>();
        List<SpeechSegment> decided = new ArrayList<>();
        long[] pushed = {0};
        long[][] open = new long[2][];
        int rate = audio.sampleRate();
        CallSpeechTracker tracker = new CallSpeechTracker(rate, config, new SpeechHandler() {
            @Override
            public void onSpeechStart(Role role, long atMs) {
            }

            @Override
            public void onSegment(SpeechSegment segment) {
                decided.add(segment);
            }

            @Override
            public void onProvisionalEdge(Role role, long atMs, boolean speaking) {
                long knownAt = pushed[0] * 1000 / rate;
                int r = role.ordinal();
                if (speaking) {
                    check(open[r] == null, "a provisional start at " + atMs + " while one is open");
                    open[r] = new long[] {atMs, knownAt};
                } else {
                    check(open[r] != null && atMs > open[r][0], "a provisional end at " + atMs + " without its start");
                    provisional.add(new Spurt(role, open[r][0], open[r][1], atMs, knownAt));
                    open[r] = null;
                }
            }
        });
        int block = frameByFrame ? rate * config.frameMs() / 1000 : audio.agent().length;
        for (int from = 0; from < audio.agent().length; from += block) {
            int n = Math.min(block, audio.agent().length - from);
            pushed[0] = from + n;
            tracker.push(audio.agent(), audio.customer(), from, n);
        }
        tracker.finish();
        check(open[0] == null && open[1] == null, "a provisional start without its end");

        long frames = 0;
        long agree = 0;
        for (Role role : Role.values()) {
            boolean[] p = speaking(audio, config, provisional.stream().filter(s -> s.role() == role)
                    .map(s -> new long[] {s.startMs(), s.endMs()}).toList());
            boolean[] d = speaking(audio, config, decided.stream().filter(s -> s.role() == role)
                    .map(s -> new long[] {s.startMs(), s.endMs()}).toList());
            for (int f = 0; f < p.length; f++) {
                frames++;
                agree += p[f] == d[f] ? 1 : 0;
            }
        }
        long falseStarts = provisional.stream().filter(p -> decided.stream()
                .noneMatch(d -> d.role() == p.role() && p.startMs() < d.endMs() && d.startMs() < p.endMs())).count();
        List<Long> startDelays = new ArrayList<>();
        List<Long> endDelays = new ArrayList<>();
        for (Spurt s : provisional) {
            startDelays.add(s.startKnownAtMs() - s.startMs());
            if (s.endKnownAtMs() < audio.durationMs()) {
                endDelays.add(s.endKnownAtMs() - s.endMs());
            }
        }
        return new ProvisionalAgreement(provisional, decided, frames, agree, falseStarts, startDelays, endDelays);
    }

    /** Per frame of the call, whether a span covers the frame's middle. */
    private static boolean[] speaking(CallAudio audio, VadConfig config, List<long[]> spans) {
        boolean[] out = new boolean[(int) (audio.durationMs() / config.frameMs())];
        for (long[] s : spans) {
            for (long t = s[0]; t < s[1]; t += config.frameMs()) {
                int f = (int) (t / config.frameMs());
                if (f < out.length) {
                    out[f] = true;
                }
            }
        }
        return out;
    }

    private static void check(boolean holds, String problem) {
        if (!holds) {
            throw new AssertionError(problem);
        }
    }

    /** The {@code p} quantile of {@code values} (0 when empty). */
    public static long pct(List<Long> values, double p) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(p * sorted.size())));
    }
}
