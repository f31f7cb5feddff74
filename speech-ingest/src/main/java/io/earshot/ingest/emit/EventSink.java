package io.earshot.ingest.emit;

import org.apache.avro.specific.SpecificRecord;

/**
 * Where live speech ingest sends what it finds about a call: the Avro contracts of
 * {@code schemas/} ({@code CallStarted}, {@code SpeechActivityChanged},
 * {@code SpeechSegmentDetected}, {@code UtteranceTranscribed}, {@code TranscriptionStatusReported},
 * {@code CallEnded}). Production publishes them to Kafka keyed by call id; tests and the
 * recording analyser may collect them in memory.
 *
 * <p>Implementations are thread-safe: socket threads and recogniser threads publish
 * concurrently. Events of one call are published in the order they must be consumed
 * ({@code CallStarted} first, {@code CallEnded} last).
 */
public interface EventSink {

    /**
     * @param callId      the call the event belongs to (the Kafka key)
     * @param eventTimeMs the wall-clock instant the event describes, in epoch ms: the call's
     *                    media start plus the media position at which the event became known
     *                    (a spurt's or utterance's end, an edge, the call's end; the media start
     *                    itself for {@code CallStarted}). Consumers take it as event time.
     * @param event       one of the records above
     */
    void publish(String callId, long eventTimeMs, SpecificRecord event);
}
