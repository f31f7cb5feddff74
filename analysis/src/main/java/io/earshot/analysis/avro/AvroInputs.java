package io.earshot.analysis.avro;

import io.earshot.analysis.events.CallEvent;
import io.earshot.analysis.events.ContourBlock;
import io.earshot.analysis.events.WordItem;
import io.earshot.contracts.Topics;
import io.earshot.schemas.CallAssigned;
import io.earshot.schemas.CallEnded;
import io.earshot.schemas.CallStarted;
import io.earshot.schemas.SourceProtocol;
import io.earshot.schemas.SpeechActivityChanged;
import io.earshot.schemas.SpeechSegmentDetected;
import io.earshot.schemas.ToneBlock;
import io.earshot.schemas.TranscriptionStatusReported;
import io.earshot.schemas.UtteranceTranscribed;
import io.earshot.schemas.Word;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/**
 * The job's inputs from the Avro contracts of {@code schemas/}, the mirror of
 * {@link AvroOutputs}: {@code CallStarted} and {@code CallEnded} (earshot.calls),
 * {@code SpeechSegmentDetected} (earshot.speech), {@code UtteranceTranscribed} and
 * {@code TranscriptionStatusReported} (earshot.utterances) and {@code CallAssigned}
 * (earshot.call-assignments) to {@link CallEvent}s, and back.
 *
 * <p>Event time. Every input record carries its call's {@code mediaStartTime}, and its event
 * time is that plus the media position at which the event became known (a spurt's or
 * utterance's end, the report's {@code atMs}, the call's end; the media start itself for
 * {@code CallStarted}), exactly as the batch {@code analyze} stamps recorded calls. It comes
 * from the value, not from the Kafka record's timestamp, which is the time the record was
 * published: a backfill of month-old recordings is then as old as its calls for the job, yet
 * new for the topics' time-based retention. Records written by earlier Earshot versions, whose
 * value has no {@code mediaStartTime}, carried their event time as the record timestamp, and
 * that is still taken for them. See {@code docs/kafka.md}.
 *
 * <p>Not read: {@code SpeechActivityChanged} (speech edges, for live interruption alerts; the
 * metric job computes everything from the finished spurts) and partial
 * {@code UtteranceTranscribed} results ({@code isFinal} false), which the final result of
 * the same utterance supersedes; counting them would count the utterance twice.
 */
public final class AvroInputs {

    private AvroInputs() {
    }

    /**
     * The call event of one record, stamped with its event time ({@link #eventTimeOf}); empty
     * for a record the metric job does not read (see above).
     *
     * @param recordTimestampMs the Kafka record's timestamp: the event time of a record of an
     *                          earlier version, which does not carry its own
     * @throws IllegalArgumentException for a record type that is no input of the job
     */
    public static Optional<CallEvent> toCallEvent(SpecificRecord record, long recordTimestampMs) {
        long eventTimeMs = record == null ? recordTimestampMs : eventTimeOf(record, recordTimestampMs);
        CallEvent e;
        if (record instanceof CallStarted s) {
            e = CallEvent.started(s.getCallId(), s.getAgentId(), s.getTeam(), s.getQueue(),
                    s.getMediaStartTime().toEpochMilli());
            e.redaction = s.getRedaction();
            e.awaitingAssignment = s.getAwaitingAssignment();
        } else if (record instanceof CallAssigned a) {
            e = CallEvent.assigned(a.getCallId(), eventTimeMs, a.getAgentId(), a.getTeam(), a.getQueue(),
                    a.getAssignedAt().toEpochMilli(), a.getSource());
        } else if (record instanceof SpeechSegmentDetected s) {
            e = CallEvent.segment(s.getCallId(), 0, s.getRole(), s.getStartMs(), s.getEndMs(),
                    orNaN(s.getPitchMedianHz()), orNaN(s.getPitchRangeSemitones()), s.getLoudnessDbfs());
            e.index = s.getSegmentIndex();
            e.voicedRatio = s.getVoicedRatio();
            e.contourBlockMs = s.getContourBlockMs();
            int n = s.getContour().size();
            double[] loudness = new double[n];
            double[] pitch = new double[n];
            for (int i = 0; i < n; i++) {
                ToneBlock b = s.getContour().get(i);
                loudness[i] = b.getLoudnessDbfs() == null ? Double.NaN : b.getLoudnessDbfs();
                pitch[i] = b.getPitchSemitones() == null ? Double.NaN : b.getPitchSemitones();
            }
            e.contour = new ArrayList<>(ContourBlock.onGrid(s.getStartMs(), s.getEndMs(), e.contourBlockMs,
                    loudness, pitch));
        } else if (record instanceof UtteranceTranscribed u) {
            if (!u.getIsFinal()) {
                return Optional.empty();
            }
            List<WordItem> words = new ArrayList<>(u.getWords().size());
            for (Word w : u.getWords()) {
                words.add(new WordItem(w.getWord(), w.getStartMs(), w.getEndMs(), w.getConf()));
            }
            e = CallEvent.utterance(u.getCallId(), 0, u.getRole(), u.getStartMs(), u.getEndMs(), u.getText(), words);
            e.index = u.getUtteranceIndex();
        } else if (record instanceof TranscriptionStatusReported t) {
            e = CallEvent.transcription(t.getCallId(), eventTimeMs, t.getLagMs(), t.getSkippedRegions(),
                    t.getSkippedSpeechMs());
            e.endMs = t.getAtMs();
        } else if (record instanceof CallEnded c) {
            e = CallEvent.ended(c.getCallId(), 0, c.getEndMs(), c.getReason());
        } else if (record instanceof SpeechActivityChanged) {
            return Optional.empty();
        } else {
            throw new IllegalArgumentException("not an input of the metric job: "
                    + (record == null ? "null" : record.getClass().getName()));
        }
        e.eventTimeMs = eventTimeMs;
        return Optional.of(e);
    }

    /**
     * The event time of an input record from its own fields: its {@code mediaStartTime} plus
     * the media position at which it became known (a segment's {@code knownAtMs}, or its
     * {@code endMs} in records without one; an utterance's or end's {@code endMs}; {@code atMs}); the
     * {@code mediaStartTime} itself for a {@code CallStarted}, {@code assignedAt} for a
     * {@code CallAssigned}. {@code fallbackMs} (the Kafka
     * record's timestamp) for a record of an earlier version without {@code mediaStartTime}.
     *
     * @throws IllegalArgumentException for a record that is none of the input records
     */
    public static long eventTimeOf(SpecificRecord record, long fallbackMs) {
        Instant start;
        long positionMs;
        if (record instanceof CallStarted s) {
            start = s.getMediaStartTime();
            positionMs = 0;
        } else if (record instanceof SpeechSegmentDetected s) {
            start = s.getMediaStartTime();
            // closed once the detector had heard the silence after it; earlier versions: its end
            positionMs = s.getKnownAtMs() != null ? s.getKnownAtMs() : s.getEndMs();
        } else if (record instanceof UtteranceTranscribed u) {
            start = u.getMediaStartTime();
            positionMs = u.getEndMs();
        } else if (record instanceof TranscriptionStatusReported t) {
            start = t.getMediaStartTime();
            positionMs = t.getAtMs();
        } else if (record instanceof CallEnded c) {
            start = c.getMediaStartTime();
            positionMs = c.getEndMs();
        } else if (record instanceof SpeechActivityChanged a) {
            start = a.getMediaStartTime();
            positionMs = a.getAtMs();
        } else if (record instanceof CallAssigned a) {
            // an assignment is not on the call's media clock: it holds from when it was made
            start = a.getAssignedAt();
            positionMs = 0;
        } else {
            throw new IllegalArgumentException("not an input record: " + record.getClass().getName());
        }
        return start == null ? fallbackMs : start.toEpochMilli() + positionMs;
    }

    /**
     * The event a source record that could not be decoded becomes: it carries where the record
     * was and why it failed, and the validator sends it to the dead letters.
     *
     * @param key         the record's key as text (the call id, if the producer keyed it), or null
     * @param timestampMs the record's timestamp
     */
    public static CallEvent undecodable(String topic, int partition, long offset, String key, long timestampMs,
            String message) {
        return CallEvent.undecodable(key, timestampMs,
                topic + " partition " + partition + " offset " + offset + ": " + message);
    }

    /** The topic a call event's record belongs on. */
    public static String topicOf(CallEvent e) {
        return switch (e.kind) {
            case STARTED, ENDED -> Topics.CALLS;
            case SEGMENT -> Topics.SPEECH;
            case UTTERANCE, TRANSCRIPTION -> Topics.UTTERANCES;
            case ASSIGNED -> Topics.CALL_ASSIGNMENTS;
            case UNDECODABLE -> throw new IllegalArgumentException("an undecodable record has no Avro form");
        };
    }

    /**
     * The Avro record of a call event, for tests and replays; publish it on {@link #topicOf},
     * keyed by the call id. It carries the event time in its {@code mediaStartTime}: the
     * event's {@code eventTimeMs} less its media position ({@code endMs}).
     * {@link CallEvent} does not carry everything the contracts hold, so: a
     * {@code CallStarted} says source protocol {@code FILE} with no channels and sample rate 0;
     * a {@code CallEnded}'s {@code endedAt} is its event time; a segment's unknown voiced
     * ratio is written as NaN; an utterance is final; a transcription report says 0 pending
     * and 0 transcribed regions and is not final.
     *
     * @throws IllegalArgumentException for a spurt or utterance without its {@code index}
     *         (the contracts identify them by it), or an {@code UNDECODABLE} event
     */
    public static SpecificRecord toAvro(CallEvent e) {
        return switch (e.kind) {
            case STARTED -> CallStarted.newBuilder()
                    .setCallId(e.callId).setAgentId(e.agentId).setTeam(e.team).setQueue(e.queue)
                    .setSourceProtocol(SourceProtocol.FILE).setChannels(new ArrayList<>())
                    .setMediaStartTime(Instant.ofEpochMilli(e.mediaStartEpochMs)).setSampleRate(0)
                    .setRedaction(e.redaction)
                    .setAwaitingAssignment(e.awaitingAssignment)
                    .build();
            case ASSIGNED -> CallAssigned.newBuilder()
                    .setCallId(e.callId).setAgentId(e.agentId).setTeam(e.team).setQueue(e.queue)
                    .setAssignedAt(Instant.ofEpochMilli(e.assignedAtMs)).setSource(e.assignmentSource)
                    .build();
            case SEGMENT -> SpeechSegmentDetected.newBuilder()
                    .setCallId(e.callId).setRole(e.role).setSegmentIndex(index(e))
                    .setStartMs(e.startMs).setEndMs(e.endMs)
                    .setPitchMedianHz(orNull(e.pitchMedianHz))
                    .setPitchMedianSemitones(Double.isNaN(e.pitchMedianHz) ? null
                            : 12 * Math.log(e.pitchMedianHz / 55.0) / Math.log(2))
                    .setPitchRangeSemitones(orNull(e.pitchRangeSemitones))
                    .setLoudnessDbfs(e.loudnessDbfs).setVoicedRatio(e.voicedRatio)
                    .setContourBlockMs(e.contour.isEmpty() ? 0 : e.contourBlockMs)
                    .setContour(toneBlocks(e.contour))
                    .setMediaStartTime(mediaStart(e))
                    .build();
            case UTTERANCE -> {
                List<Word> words = new ArrayList<>(e.words.size());
                for (WordItem w : e.words) {
                    words.add(new Word(w.word(), w.startMs(), w.endMs(), w.conf()));
                }
                yield UtteranceTranscribed.newBuilder()
                        .setCallId(e.callId).setRole(e.role).setUtteranceIndex(index(e))
                        .setStartMs(e.startMs).setEndMs(e.endMs).setText(e.text).setWords(words).setIsFinal(true)
                        .setMediaStartTime(mediaStart(e))
                        .build();
            }
            case TRANSCRIPTION -> TranscriptionStatusReported.newBuilder()
                    .setCallId(e.callId).setAtMs(e.endMs).setLagMs(e.lagMs).setPendingRegions(0)
                    .setTranscribedRegions(0).setSkippedRegions(e.skippedRegions)
                    .setSkippedSpeechMs(e.skippedSpeechMs).setIsFinal(false)
                    .setMediaStartTime(mediaStart(e))
                    .build();
            case ENDED -> CallEnded.newBuilder()
                    .setCallId(e.callId).setEndMs(e.endMs).setReason(e.reason)
                    .setEndedAt(Instant.ofEpochMilli(e.eventTimeMs))
                    .setMediaStartTime(mediaStart(e))
                    .build();
            case UNDECODABLE -> throw new IllegalArgumentException("an undecodable record has no Avro form: " + e);
        };
    }

    /** The call's media start, from an event whose event time is media start + {@code endMs}. */
    private static Instant mediaStart(CallEvent e) {
        return Instant.ofEpochMilli(e.eventTimeMs - e.endMs);
    }

    private static int index(CallEvent e) {
        if (e.index < 0) {
            throw new IllegalArgumentException(e.kind + " without its index: " + e);
        }
        return e.index;
    }

    private static List<ToneBlock> toneBlocks(List<ContourBlock> contour) {
        List<ToneBlock> out = new ArrayList<>(contour.size());
        for (ContourBlock b : contour) {
            out.add(new ToneBlock(Double.isNaN(b.loudnessDbfs()) ? null : (float) b.loudnessDbfs(),
                    Double.isNaN(b.pitchSemitones()) ? null : (float) b.pitchSemitones()));
        }
        return out;
    }

    private static double orNaN(Double v) {
        return v == null ? Double.NaN : v;
    }

    private static Double orNull(double v) {
        return Double.isNaN(v) ? null : v;
    }
}
