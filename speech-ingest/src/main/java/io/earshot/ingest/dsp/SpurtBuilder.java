package io.earshot.ingest.dsp;

import io.earshot.schemas.Role;
import java.util.Arrays;

/**
 * Turns one role's per-frame speech decisions into talk spurts: bridges gaps shorter than
 * {@link VadConfig#bridgeGapMs()}, drops spurts shorter than {@link VadConfig#minSpurtMs()},
 * and summarises the tone of each spurt over its speech frames.
 */
final class SpurtBuilder {

    private final Role role;
    private final VadConfig config;
    private final SpeechHandler handler;
    private long start = -1;
    private long lastSpeech = -1;
    private boolean startEmitted;
    private int index;
    private double powerSum;
    private int speechFrames;
    private double[] pitches = new double[64];
    private int voicedFrames;

    SpurtBuilder(Role role, VadConfig config, SpeechHandler handler) {
        this.role = role;
        this.config = config;
        this.handler = handler;
    }

    void accept(long frame, boolean speech, double levelDbfs, double pitchHz) {
        if (speech) {
            if (start < 0) {
                start = frame;
            }
            lastSpeech = frame;
            powerSum += Math.pow(10, levelDbfs / 10);
            speechFrames++;
            if (!Double.isNaN(pitchHz)) {
                if (voicedFrames == pitches.length) {
                    pitches = Arrays.copyOf(pitches, pitches.length * 2);
                }
                pitches[voicedFrames++] = pitchHz;
            }
            if (!startEmitted && lastSpeech + 1 - start >= config.minSpurtFrames()) {
                startEmitted = true;
                handler.onSpeechStart(role, start * config.frameMs());
            }
        } else if (start >= 0 && frame - lastSpeech >= config.bridgeGapFrames()) {
            close();
        }
    }

    void finish() {
        if (start >= 0) {
            close();
        }
    }

    private void close() {
        if (lastSpeech + 1 - start >= config.minSpurtFrames()) {
            double median = Double.NaN;
            double range = Double.NaN;
            if (voicedFrames > 0) {
                double[] p = Arrays.copyOf(pitches, voicedFrames);
                Arrays.sort(p);
                median = percentile(p, 0.5);
                range = 12 * Math.log(percentile(p, 0.9) / percentile(p, 0.1)) / Math.log(2);
            }
            handler.onSegment(new SpeechSegment(role, index++, start * config.frameMs(),
                    (lastSpeech + 1) * config.frameMs(), median, range,
                    10 * Math.log10(powerSum / speechFrames), (double) voicedFrames / speechFrames));
        }
        start = -1;
        lastSpeech = -1;
        startEmitted = false;
        powerSum = 0;
        speechFrames = 0;
        voicedFrames = 0;
    }

    private static double percentile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
