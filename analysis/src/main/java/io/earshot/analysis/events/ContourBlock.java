package io.earshot.analysis.events;

import java.util.ArrayList;
import java.util.List;

/**
 * One block of a talk spurt's tone contour in media time: the spurt cut into fixed blocks
 * from its start (the last one shorter), each with the level and median pitch of the speaker's
 * own speech frames in it ({@code SpeechSegmentDetected.contour}).
 *
 * @param startMs        media position of the block's start
 * @param endMs          media position of its end
 * @param loudnessDbfs   level of the block's own speech, dBFS; NaN when it holds no speech frame
 * @param pitchSemitones median pitch of its voiced frames, semitones over 55 Hz; NaN when unvoiced
 */
public record ContourBlock(long startMs, long endMs, double loudnessDbfs, double pitchSemitones)
        implements java.io.Serializable {

    public long durationMs() {
        return endMs - startMs;
    }

    /**
     * The blocks of a spurt {@code [startMs, endMs)} cut every {@code blockMs}, from the values
     * in order ({@code NaN} where unknown); values past the spurt's end are ignored.
     */
    public static List<ContourBlock> onGrid(long startMs, long endMs, long blockMs, double[] loudness,
            double[] pitch) {
        List<ContourBlock> out = new ArrayList<>(loudness.length);
        if (blockMs <= 0) {
            return out;
        }
        for (int i = 0; i < loudness.length && startMs + i * blockMs < endMs; i++) {
            long from = startMs + i * blockMs;
            out.add(new ContourBlock(from, Math.min(endMs, from + blockMs), loudness[i], pitch[i]));
        }
        return out;
    }
}
