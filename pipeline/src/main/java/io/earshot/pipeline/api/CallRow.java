package io.earshot.pipeline.api;

import java.time.Instant;

/**
 * One call as the analysts list it: the {@code calls} row (its final summary) without the
 * thresholds blob. Nullable rates are null where they are undefined (nobody spoke, no
 * transfers); {@code talkShareLow}/{@code talkShareHigh} are the band this call was judged
 * against; {@code listeningScore} is the call's listening score (0-100), null when nothing could
 * be judged or for calls stored before listening scores existed; {@code redaction} is how ingest
 * redacted the call's transcript ("off", or the rules applied), null when it was not transcribed
 * or was stored before redaction was recorded.
 */
public record CallRow(String callId, String agentId, String team, String queue, Instant mediaStart,
        Instant emittedAt, String endReason, long durationMs, long agentTalkMs, long customerTalkMs,
        long overlapMs, long silenceMs, Double agentTalkShare, double talkShareLow, double talkShareHigh,
        long agentInterruptions, long customerInterruptions, Double agentInterruptionsPer10Min,
        long agentBackchannels, long customerBackchannels, long transfers, long respectedTransfers,
        Double pauseRespectRate, Long meanResponseGapMs, long pauseIntrusions, long deadAirCount,
        long deadAirMs, long longestAgentMonologueMs, long longestCustomerStoryMs,
        long transcriptionSkippedRegions, long transcriptionSkippedSpeechMs, long maxTranscriptionLagMs,
        Double listeningScore, String redaction) {
}
