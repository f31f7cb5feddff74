package io.earshot.analysis.events;

import io.earshot.schemas.Role;
import java.util.ArrayList;
import java.util.List;

/**
 * One speech-ingest event of a call, as the metric job consumes it: a call starting, a talk
 * spurt, a transcribed utterance, a report on how far transcription trails, or the call
 * ending; or a record that could not be decoded at all ({@link Kind#UNDECODABLE}), which the
 * job's validator sends to the dead letters. A Flink POJO (public fields, no-arg
 * constructor) so the job's state and network serialization need no Kryo for it; sources
 * turn the Avro contracts of {@code schemas/} into these.
 *
 * <p>{@code eventTimeMs} is the wall-clock instant the event describes: the call's media start
 * plus the media position it became known at (a spurt's or utterance's end, the call's end).
 * Watermarks follow it, so replayed calls compute exactly what they computed live.
 */
public class CallEvent {

    /**
     * What happened. {@code TRANSCRIPTION} is a {@code TranscriptionStatusReported};
     * {@code UNDECODABLE} is a source record that was not a valid Earshot record, with the
     * reason in {@link #reason} (never keyed or timed, only dead-lettered). {@code ASSIGNED} is a
     * {@code CallAssigned}: the call's agent, team and queue told separately from its start.
     */
    public enum Kind { STARTED, SEGMENT, UTTERANCE, TRANSCRIPTION, ENDED, UNDECODABLE, ASSIGNED }

    public Kind kind;
    public String callId;
    public long eventTimeMs;

    // STARTED, ASSIGNED
    public String agentId;
    public String team;
    public String queue;
    public long mediaStartEpochMs;
    /** How ingest redacted the call's transcript ({@code CallStarted.redaction}); null when unknown. */
    public String redaction;
    /**
     * STARTED: the source named no agent and {@link #agentId} is ingest's default, so the call's
     * agent is expected from an {@code ASSIGNED} event ({@code CallStarted.awaitingAssignment}).
     */
    public boolean awaitingAssignment;

    // ASSIGNED: when the source assigned the agent (for display), and who published it
    public long assignedAtMs;
    public String assignmentSource;

    // SEGMENT, UTTERANCE; ENDED uses endMs as the call's media length, TRANSCRIPTION as the report's atMs
    public Role role;
    public long startMs;
    public long endMs;

    /**
     * SEGMENT, UTTERANCE: the zero-based number of the spurt (utterance) within the call for its
     * role, as the Avro records carry it; -1 when the producer did not number it.
     */
    public int index = -1;

    // SEGMENT tone (NaN when unvoiced)
    public double pitchMedianHz = Double.NaN;
    public double pitchRangeSemitones = Double.NaN;
    public double loudnessDbfs = Double.NaN;
    /** Share of the spurt's frames that are voiced; NaN when the source did not say. */
    public double voicedRatio = Double.NaN;
    /** The length of the tone contour's blocks; 0 when the spurt carries no contour. */
    public long contourBlockMs;
    /** The spurt's tone contour in media time, in order; empty when the source sent none. */
    public List<ContourBlock> contour = new ArrayList<>();

    // UTTERANCE
    public String text;
    public List<WordItem> words = new ArrayList<>();

    // TRANSCRIPTION: the counts so far of the call (cumulative), the lag at the report
    public long lagMs;
    public int skippedRegions;
    public long skippedSpeechMs;

    // ENDED: why the audio ended; UNDECODABLE: why the record could not be read
    public String reason;

    public CallEvent() {
    }

    public static CallEvent started(String callId, String agentId, String team, String queue, long mediaStartEpochMs) {
        CallEvent e = of(Kind.STARTED, callId, mediaStartEpochMs);
        e.agentId = agentId;
        e.team = team;
        e.queue = queue;
        e.mediaStartEpochMs = mediaStartEpochMs;
        return e;
    }

    public static CallEvent segment(String callId, long mediaStartEpochMs, Role role, long startMs, long endMs,
            double pitchMedianHz, double pitchRangeSemitones, double loudnessDbfs) {
        CallEvent e = of(Kind.SEGMENT, callId, mediaStartEpochMs + endMs);
        e.role = role;
        e.startMs = startMs;
        e.endMs = endMs;
        e.pitchMedianHz = pitchMedianHz;
        e.pitchRangeSemitones = pitchRangeSemitones;
        e.loudnessDbfs = loudnessDbfs;
        return e;
    }

    public static CallEvent utterance(String callId, long mediaStartEpochMs, Role role, long startMs, long endMs,
            String text, List<WordItem> words) {
        CallEvent e = of(Kind.UTTERANCE, callId, mediaStartEpochMs + endMs);
        e.role = role;
        e.startMs = startMs;
        e.endMs = endMs;
        e.text = text;
        e.words = new ArrayList<>(words);
        return e;
    }

    /**
     * A transcription status report. Its event time is not derivable from the record (it holds
     * no media start), so the source gives it: the Kafka record's timestamp.
     */
    public static CallEvent transcription(String callId, long eventTimeMs, long lagMs, int skippedRegions,
            long skippedSpeechMs) {
        CallEvent e = of(Kind.TRANSCRIPTION, callId, eventTimeMs);
        e.lagMs = lagMs;
        e.skippedRegions = skippedRegions;
        e.skippedSpeechMs = skippedSpeechMs;
        return e;
    }

    /**
     * A source record that could not be decoded. {@code callId} is the record's key when it
     * had one (it may be null), {@code eventTimeMs} its timestamp (may be negative).
     */
    public static CallEvent undecodable(String callId, long eventTimeMs, String reason) {
        CallEvent e = of(Kind.UNDECODABLE, callId, eventTimeMs);
        e.reason = reason;
        return e;
    }

    /** The call's agent, team and queue, told separately from its start; event time as the source gives it. */
    public static CallEvent assigned(String callId, long eventTimeMs, String agentId, String team, String queue,
            long assignedAtMs, String source) {
        CallEvent e = of(Kind.ASSIGNED, callId, eventTimeMs);
        e.agentId = agentId;
        e.team = team;
        e.queue = queue;
        e.assignedAtMs = assignedAtMs;
        e.assignmentSource = source;
        return e;
    }

    public static CallEvent ended(String callId, long mediaStartEpochMs, long endMs, String reason) {
        CallEvent e = of(Kind.ENDED, callId, mediaStartEpochMs + endMs);
        e.endMs = endMs;
        e.reason = reason;
        return e;
    }

    private static CallEvent of(Kind kind, String callId, long eventTimeMs) {
        CallEvent e = new CallEvent();
        e.kind = kind;
        e.callId = callId;
        e.eventTimeMs = eventTimeMs;
        return e;
    }

    @Override
    public String toString() {
        return kind + " " + callId + (role == null ? "" : " " + role) + " " + startMs + "-" + endMs + " @" + eventTimeMs;
    }
}
