package io.earshot.ingest.dsp;

import io.earshot.schemas.Role;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns one role's per-frame speech decisions into talk spurts: bridges gaps shorter than
 * {@link VadConfig#bridgeGapMs()}, drops spurts shorter than {@link VadConfig#minSpurtMs()},
 * and summarises the tone of each spurt over its speech frames, as a whole and in fixed blocks
 * of {@link #DEFAULT_CONTOUR_BLOCK_MS} (the tone contour, {@link ContourBlock}).
 */
final class SpurtBuilder {

    /**
     * Length of a contour block: ten 20 ms frames. Short enough that a raised stretch of two
     * seconds spans ten blocks and its edges are placed within a block; long enough to hold a
     * syllable, so a block's median pitch is the syllable's and not one frame's. On the wire a
     * block is at most 10 bytes; with each spurt's short last block, a minute of speech carries
     * about 3 kB of contour.
     */
    static final int DEFAULT_CONTOUR_BLOCK_MS = 200;

    private final Role role;
    private final VadConfig config;
    private final SpeechHandler handler;
    private final int blockFrames;
    private long start = -1;
    private long lastSpeech = -1;
    private boolean startEmitted;
    private int index;
    /** Media position of the audio the detector has when it decides the current frame. */
    private long knownAtMs;
    private double powerSum;
    private int speechFrames;
    private double[] pitches = new double[64];
    private int voicedFrames;
    // every speech frame of the open spurt: offset from its start, level and pitch (NaN unvoiced)
    private int[] frameOffsets = new int[64];
    private double[] frameLevels = new double[64];
    private double[] framePitches = new double[64];

    SpurtBuilder(Role role, VadConfig config, SpeechHandler handler) {
        this.role = role;
        this.config = config;
        this.handler = handler;
        this.blockFrames = Math.max(1, DEFAULT_CONTOUR_BLOCK_MS / config.frameMs());
    }

    /** The detector has audio up to media position {@code ms}: what a spurt closed now is known at. */
    void audioTo(long ms) {
        knownAtMs = ms;
    }

    void accept(long frame, boolean speech, double levelDbfs, double pitchHz) {
        if (speech) {
            if (start < 0) {
                start = frame;
            }
            lastSpeech = frame;
            if (speechFrames == frameOffsets.length) {
                frameOffsets = Arrays.copyOf(frameOffsets, speechFrames * 2);
                frameLevels = Arrays.copyOf(frameLevels, speechFrames * 2);
                framePitches = Arrays.copyOf(framePitches, speechFrames * 2);
            }
            frameOffsets[speechFrames] = (int) (frame - start);
            frameLevels[speechFrames] = levelDbfs;
            framePitches[speechFrames] = pitchHz;
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
                    10 * Math.log10(powerSum / speechFrames), (double) voicedFrames / speechFrames,
                    (long) blockFrames * config.frameMs(), contour(),
                    Math.max(knownAtMs, (lastSpeech + 1) * config.frameMs())));
        }
        start = -1;
        lastSpeech = -1;
        startEmitted = false;
        powerSum = 0;
        speechFrames = 0;
        voicedFrames = 0;
    }

    /** The open spurt's blocks: level over each block's speech frames, median of its voiced pitches. */
    private List<ContourBlock> contour() {
        int blocks = (int) ((lastSpeech - start) / blockFrames) + 1;
        List<ContourBlock> out = new ArrayList<>(blocks);
        double[] voiced = new double[blockFrames];
        int f = 0;
        for (int b = 0; b < blocks; b++) {
            double power = 0;
            int frames = 0;
            int nVoiced = 0;
            while (f < speechFrames && frameOffsets[f] < (b + 1) * blockFrames) {
                power += Math.pow(10, frameLevels[f] / 10);
                frames++;
                if (!Double.isNaN(framePitches[f])) {
                    voiced[nVoiced++] = framePitches[f];
                }
                f++;
            }
            double pitch = Double.NaN;
            if (nVoiced > 0) {
                double[] p = Arrays.copyOf(voiced, nVoiced);
                Arrays.sort(p);
                pitch = SpeechSegment.semitones(percentile(p, 0.5));
            }
            out.add(new ContourBlock(frames == 0 ? Double.NaN : 10 * Math.log10(power / frames), pitch));
        }
        return out;
    }

    private static double percentile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
