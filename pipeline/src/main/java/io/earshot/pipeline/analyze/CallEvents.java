package io.earshot.pipeline.analyze;

import io.earshot.analysis.avro.AvroInputs;
import io.earshot.analysis.events.CallEvent;
import io.earshot.analysis.events.UtteranceItem;
import io.earshot.ingest.asr.Utterance;
import io.earshot.ingest.call.CallAnalysis;
import io.earshot.ingest.emit.CallRecords;
import io.earshot.ingest.emit.EventSink;
import io.earshot.ingest.live.CallInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns what speech ingest found in a recording into the events the metric job consumes, by
 * the path a live call's take: speech ingest's {@link CallRecords} maps it to the Avro records
 * live ingest publishes, stamped as a live call would have stamped them (each spurt and
 * utterance at the media time it ended, counted from {@code mediaStartEpochMs}), and the job's
 * {@link AvroInputs} reads those as it reads them from Kafka. So {@code analyze} and live
 * ingest cannot map a result differently (the contour, for one, is at the contract's single
 * precision in both).
 */
public final class CallEvents {

    private CallEvents() {
    }

    /** An ingest utterance in the job's terms, through its Avro record. */
    public static UtteranceItem item(Utterance u) {
        List<CallEvent> read = new ArrayList<>(1);
        new CallRecords("utterance", 0, reader(read)).utterance(0, u);
        CallEvent e = read.get(0);
        return new UtteranceItem(e.role, e.startMs, e.endMs, e.text, e.words);
    }

    /** A recorded call's events in event-time order ({@link CallRecords#publishRecording}). */
    public static List<CallEvent> of(String callId, String agentId, String team, String queue, long mediaStartEpochMs,
            CallAnalysis analysis) {
        List<CallEvent> events = new ArrayList<>();
        CallRecords.publishRecording(
                CallInfo.ofRecording(callId, agentId, team, queue, mediaStartEpochMs, analysis.sampleRate()),
                analysis, reader(events));
        return events;
    }

    /** Reads each record as the Kafka job does, stamped with the event time it was published with. */
    private static EventSink reader(List<CallEvent> into) {
        return (callId, eventTimeMs, record) -> AvroInputs.toCallEvent(record, eventTimeMs).ifPresent(into::add);
    }
}
