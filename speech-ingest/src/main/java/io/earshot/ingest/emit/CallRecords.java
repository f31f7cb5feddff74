package io.earshot.ingest.emit;

import io.earshot.ingest.asr.Utterance;
import io.earshot.ingest.call.CallAnalysis;
import io.earshot.ingest.dsp.ContourBlock;
import io.earshot.ingest.dsp.SpeechSegment;
import io.earshot.ingest.live.CallInfo;
import io.earshot.schemas.CallEnded;
import io.earshot.schemas.CallStarted;
import io.earshot.schemas.Role;
import io.earshot.schemas.SpeechActivityChanged;
import io.earshot.schemas.SpeechSegmentDetected;
import io.earshot.schemas.ToneBlock;
import io.earshot.schemas.TranscriptionStatusReported;
import io.earshot.schemas.UtteranceTranscribed;
import io.earshot.schemas.Word;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;

/**
 * The one mapping from what speech ingest finds about a call to the Avro contracts of
 * {@code schemas/}, each record stamped with its event time: the call's media start plus the
 * media position at which it became known (where the detector closed a spurt, an utterance's
 * end, an edge, the report's position, the call's end; the media start itself for
 * {@code CallStarted}). Every record of the
 * call carries that media start, so its event time is in its value.
 *
 * <p>Live ingest ({@code LiveCall}) publishes through it as the call goes, and {@code analyze}
 * maps a recorded call through {@link #publishRecording}, then reads the records back exactly as
 * the metric job reads them from Kafka: live, replayed and analysed calls are one mapping.
 *
 * <p>Not thread-safe by itself; a live call publishes under its own lock.
 */
public final class CallRecords {

    /** The {@code CallEnded} reason of a recorded call. */
    public static final String RECORDING_ENDED = "end of recording";

    private final String callId;
    private final long mediaStartEpochMs;
    private final Instant mediaStart;
    private final EventSink sink;

    /** Records of call {@code callId}, whose media position 0 is at {@code mediaStartEpochMs}, go to {@code sink}. */
    public CallRecords(String callId, long mediaStartEpochMs, EventSink sink) {
        this.callId = Objects.requireNonNull(callId, "callId");
        this.mediaStartEpochMs = mediaStartEpochMs;
        this.mediaStart = Instant.ofEpochMilli(mediaStartEpochMs);
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /**
     * The records of a recorded call, in the order of their event times (ties in the order
     * started, spurts, utterances, end): {@code CallStarted}, each spurt's
     * {@code SpeechSegmentDetected}, each utterance's {@code UtteranceTranscribed} numbered per
     * role in order of start, as a live call numbers them, and {@code CallEnded} at the recording's
     * length ({@link #RECORDING_ENDED}). Speech edges and transcription status are not among
     * them: edges serve live consumers while a spurt is still open, and a recording's
     * transcription never lags or skips.
     */
    public static void publishRecording(CallInfo info, CallAnalysis analysis, EventSink sink) {
        record Stamped(long eventTimeMs, SpecificRecord record) {
        }
        List<Stamped> stamped = new ArrayList<>();
        CallRecords records = new CallRecords(info.callId(), info.mediaStartEpochMs(),
                (id, at, record) -> stamped.add(new Stamped(at, record)));
        records.started(info, analysis.redaction());
        for (SpeechSegment s : analysis.segments()) {
            records.segment(s);
        }
        Map<Role, Integer> next = new EnumMap<>(Role.class);
        List<Utterance> transcript = new ArrayList<>(analysis.transcript());
        transcript.sort(Comparator.comparingLong(Utterance::startMs));
        for (Utterance u : transcript) {
            records.utterance(next.merge(u.role(), 1, Integer::sum) - 1, u);
        }
        records.ended(analysis.durationMs(), RECORDING_ENDED,
                Instant.ofEpochMilli(info.mediaStartEpochMs() + analysis.durationMs()));
        stamped.sort(Comparator.comparingLong(Stamped::eventTimeMs));
        for (Stamped s : stamped) {
            sink.publish(info.callId(), s.eventTimeMs(), s.record());
        }
    }

    /**
     * {@code CallStarted}, at the media start.
     *
     * @param redaction how the transcript is redacted ({@code Redactor.describe()}), null when
     *                  the call is not transcribed
     */
    public void started(CallInfo info, String redaction) {
        sink.publish(callId, mediaStartEpochMs, CallStarted.newBuilder()
                .setCallId(callId)
                .setAgentId(info.agentId())
                .setTeam(info.team())
                .setQueue(info.queue())
                .setSourceProtocol(info.protocol())
                .setChannels(info.channels())
                .setMediaStartTime(mediaStart)
                .setSampleRate(info.sampleRate())
                .setRedaction(redaction)
                .setAwaitingAssignment(info.awaitingAssignment())
                .build());
    }

    /** {@code SpeechActivityChanged}: {@code role} started or stopped speaking at {@code atMs}, as decided. */
    public void speaking(Role role, long atMs, boolean speaking) {
        speaking(role, atMs, speaking, false);
    }

    /**
     * {@code SpeechActivityChanged}: {@code role} started or stopped speaking at {@code atMs}, by
     * the detector's decision or, {@code provisional}, by its decision without look-ahead.
     */
    public void speaking(Role role, long atMs, boolean speaking, boolean provisional) {
        sink.publish(callId, mediaStartEpochMs + atMs, SpeechActivityChanged.newBuilder()
                .setCallId(callId)
                .setRole(role)
                .setAtMs(atMs)
                .setSpeaking(speaking)
                .setProvisional(provisional)
                .setMediaStartTime(mediaStart)
                .build());
    }

    /**
     * {@code SpeechSegmentDetected}, at the position the detector closed the spurt at
     * ({@link SpeechSegment#knownAtMs()}, live: when it became known, some 0.6 s after its end):
     * its tone with null where unvoiced, and its contour at single precision, as the contract
     * carries it. Stamping it when it became known, not at its end, keeps a call's records in
     * the order of their event times, each trailing the clock by ingest's and Kafka's transit
     * only, so the job's watermark need not wait for the slowest decision among the calls.
     */
    public void segment(SpeechSegment segment) {
        boolean voiced = !Double.isNaN(segment.pitchMedianHz());
        sink.publish(callId, mediaStartEpochMs + segment.knownAtMs(), SpeechSegmentDetected.newBuilder()
                .setCallId(callId)
                .setRole(segment.role())
                .setSegmentIndex(segment.index())
                .setStartMs(segment.startMs())
                .setEndMs(segment.endMs())
                .setPitchMedianHz(voiced ? segment.pitchMedianHz() : null)
                .setPitchMedianSemitones(voiced ? segment.pitchMedianSemitones() : null)
                .setPitchRangeSemitones(voiced && !Double.isNaN(segment.pitchRangeSemitones())
                        ? segment.pitchRangeSemitones() : null)
                .setLoudnessDbfs(segment.loudnessDbfs())
                .setVoicedRatio(segment.voicedRatio())
                .setContourBlockMs(segment.contourBlockMs())
                .setContour(toneBlocks(segment))
                .setMediaStartTime(mediaStart)
                .setKnownAtMs(segment.knownAtMs())
                .build());
    }

    /** A final {@code UtteranceTranscribed}, at the utterance's end; {@code index} numbers it within its role. */
    public void utterance(int index, Utterance u) {
        List<Word> words = new ArrayList<>(u.words().size());
        for (io.earshot.ingest.asr.Word w : u.words()) {
            words.add(new Word(w.word(), w.startMs(), w.endMs(), w.conf()));
        }
        sink.publish(callId, mediaStartEpochMs + u.endMs(), UtteranceTranscribed.newBuilder()
                .setCallId(callId)
                .setRole(u.role())
                .setUtteranceIndex(index)
                .setStartMs(u.startMs())
                .setEndMs(u.endMs())
                .setText(u.text())
                .setWords(words)
                .setIsFinal(true)
                .setMediaStartTime(mediaStart)
                .build());
    }

    /** {@code TranscriptionStatusReported} at media position {@code atMs}, with the call's counts so far. */
    public void status(long atMs, long lagMs, int pendingRegions, int transcribedRegions, int skippedRegions,
            long skippedSpeechMs, boolean isFinal) {
        sink.publish(callId, mediaStartEpochMs + atMs, TranscriptionStatusReported.newBuilder()
                .setCallId(callId)
                .setAtMs(atMs)
                .setLagMs(lagMs)
                .setPendingRegions(pendingRegions)
                .setTranscribedRegions(transcribedRegions)
                .setSkippedRegions(skippedRegions)
                .setSkippedSpeechMs(skippedSpeechMs)
                .setIsFinal(isFinal)
                .setMediaStartTime(mediaStart)
                .build());
    }

    /** {@code CallEnded} at media position {@code endMs} (the call's length), ended at {@code endedAt}. */
    public void ended(long endMs, String reason, Instant endedAt) {
        sink.publish(callId, mediaStartEpochMs + endMs, CallEnded.newBuilder()
                .setCallId(callId)
                .setEndMs(endMs)
                .setReason(reason)
                .setEndedAt(endedAt)
                .setMediaStartTime(mediaStart)
                .build());
    }

    /** A spurt's contour as the event carries it: single precision, null where unknown. */
    private static List<ToneBlock> toneBlocks(SpeechSegment segment) {
        List<ToneBlock> blocks = new ArrayList<>(segment.contour().size());
        for (ContourBlock b : segment.contour()) {
            blocks.add(new ToneBlock(Double.isNaN(b.loudnessDbfs()) ? null : (float) b.loudnessDbfs(),
                    Double.isNaN(b.pitchSemitones()) ? null : (float) b.pitchSemitones()));
        }
        return blocks;
    }
}
