package io.earshot.analysis.summary;

import io.earshot.analysis.events.SegmentItem;
import io.earshot.analysis.events.UtteranceItem;
import io.earshot.analysis.listening.CallListening;
import io.earshot.analysis.metrics.CallMetrics;
import java.util.ArrayList;
import java.util.List;

/**
 * The metric job's output for one call: running values while it is live ({@code isFinal}
 * false) and one final summary when it ends ({@code endReason} "ended") or falls silent for
 * the inactivity timeout ("inactivity").
 *
 * @param emittedAtMs   event time (epoch ms) at which these values hold
 * @param segments      the call's spurts (without tone contours): the evidence, in the final
 *                      summary only; running values carry an empty list
 * @param transcript    the call's final utterances, in the final summary only; running values
 *                      carry an empty list (their consumers read the metrics, and the live
 *                      transcript comes from the utterances topic)
 * @param transcription how complete the transcript behind these values is, from the call's
 *                      transcription reports known by {@code emittedAtMs}
 * @param listening     behaviours, tone, listening score and coaching over the same events; null
 *                      only in summaries built without a listening analysis
 * @param redaction     how ingest redacted the transcript, as the call's {@code CallStarted} says;
 *                      null when it did not say
 * @param kept          for a running value as the live topic carries it: how many leading items
 *                      of each evidence list the call's previous running value already carried
 *                      (see {@link EvidenceSent}); null when every list goes out whole. The lists
 *                      here are whole either way: only their encoding for the topic leaves the
 *                      kept items out
 */
public record CallSummary(String callId, String agentId, String team, String queue, long mediaStartEpochMs,
        boolean isFinal, String endReason, long emittedAtMs, CallMetrics metrics, List<SegmentItem> segments,
        List<UtteranceItem> transcript, TranscriptionStatus transcription, CallListening listening,
        String redaction, KeptEvidence kept) {

    public CallSummary {
        segments = new ArrayList<>(segments);
        transcript = new ArrayList<>(transcript);
        transcription = transcription == null ? TranscriptionStatus.NONE : transcription;
    }

    /** A summary whose lists all go out whole. */
    public CallSummary(String callId, String agentId, String team, String queue, long mediaStartEpochMs,
            boolean isFinal, String endReason, long emittedAtMs, CallMetrics metrics, List<SegmentItem> segments,
            List<UtteranceItem> transcript, TranscriptionStatus transcription, CallListening listening,
            String redaction) {
        this(callId, agentId, team, queue, mediaStartEpochMs, isFinal, endReason, emittedAtMs, metrics, segments,
                transcript, transcription, listening, redaction, null);
    }

    /** The same values, sent as keeping {@code kept} of the call's previous running value (null: whole). */
    public CallSummary withKept(KeptEvidence kept) {
        return new CallSummary(callId, agentId, team, queue, mediaStartEpochMs, isFinal, endReason, emittedAtMs,
                metrics, segments, transcript, transcription, listening, redaction, kept);
    }

    /** A summary that does not know how its transcript was redacted. */
    public CallSummary(String callId, String agentId, String team, String queue, long mediaStartEpochMs,
            boolean isFinal, String endReason, long emittedAtMs, CallMetrics metrics, List<SegmentItem> segments,
            List<UtteranceItem> transcript, TranscriptionStatus transcription, CallListening listening) {
        this(callId, agentId, team, queue, mediaStartEpochMs, isFinal, endReason, emittedAtMs, metrics, segments,
                transcript, transcription, listening, null);
    }

    /** A summary without a listening analysis. */
    public CallSummary(String callId, String agentId, String team, String queue, long mediaStartEpochMs,
            boolean isFinal, String endReason, long emittedAtMs, CallMetrics metrics, List<SegmentItem> segments,
            List<UtteranceItem> transcript, TranscriptionStatus transcription) {
        this(callId, agentId, team, queue, mediaStartEpochMs, isFinal, endReason, emittedAtMs, metrics, segments,
                transcript, transcription, null);
    }

    /** A summary of a call without transcription reports. */
    public CallSummary(String callId, String agentId, String team, String queue, long mediaStartEpochMs,
            boolean isFinal, String endReason, long emittedAtMs, CallMetrics metrics, List<SegmentItem> segments,
            List<UtteranceItem> transcript) {
        this(callId, agentId, team, queue, mediaStartEpochMs, isFinal, endReason, emittedAtMs, metrics, segments,
                transcript, TranscriptionStatus.NONE);
    }
}
