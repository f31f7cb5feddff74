package io.earshot.analysis.summary;

/**
 * How complete a call's transcript is, from its {@code TranscriptionStatusReported} events:
 * speech regions ingest skipped because recognition fell too far behind (their utterances are
 * missing, so word-based metrics such as backchannels and interruption words undercount),
 * and the worst lag seen. All zero when the call had no report, or nothing was skipped.
 *
 * @param skippedRegions  speech regions without a transcript (the latest cumulative count)
 * @param skippedSpeechMs their total length, in ms
 * @param maxLagMs        the largest transcription lag reported for the call, in ms
 */
public record TranscriptionStatus(int skippedRegions, long skippedSpeechMs, long maxLagMs)
        implements java.io.Serializable {

    /** No report, or nothing skipped and no lag. */
    public static final TranscriptionStatus NONE = new TranscriptionStatus(0, 0, 0);

    /**
     * This status and a later report together: the counts are cumulative per call (the larger
     * wins, so reports processed out of order cannot lower them), the lag is the maximum.
     */
    public TranscriptionStatus with(int reportedSkippedRegions, long reportedSkippedSpeechMs, long reportedLagMs) {
        return new TranscriptionStatus(Math.max(skippedRegions, reportedSkippedRegions),
                Math.max(skippedSpeechMs, reportedSkippedSpeechMs), Math.max(maxLagMs, reportedLagMs));
    }

    /** True when part of the call's speech has no transcript. */
    public boolean degraded() {
        return skippedRegions > 0;
    }
}
