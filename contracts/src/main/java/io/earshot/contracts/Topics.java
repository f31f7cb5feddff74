package io.earshot.contracts;

import java.util.List;

/**
 * Earshot's Kafka topics: the integration surface between speech ingest, the Flink jobs and
 * whoever publishes audio or reads metrics (see {@code docs/kafka.md}).
 *
 * <p>Every value is one Avro record from the {@code schemas} module, encoded by
 * {@link AvroSerde}. Every key is a UTF-8 string (Kafka's {@code StringSerializer}): the
 * call id on call-scoped topics, so that everything about one call lands in one partition and
 * keeps its order; the record's own {@code key} field (agent id, team or queue) on agent
 * metrics. A producer that keys differently breaks the per-call order the jobs rely on.
 */
public final class Topics {

    /** {@code CallStarted} and {@code CallEnded}, keyed by call id; the start precedes every speech event of the call, the end follows them. */
    public static final String CALLS = "earshot.calls";

    /** {@code SpeechSegmentDetected} and {@code SpeechActivityChanged}, keyed by call id. */
    public static final String SPEECH = "earshot.speech";

    /** {@code UtteranceTranscribed}, keyed by call id. */
    public static final String UTTERANCES = "earshot.utterances";

    /**
     * {@code RawAudioChunk}, keyed by call id: audio published by integrators themselves, one
     * party's channel per chunk, announced by a {@code CallStarted} with source protocol
     * {@code KAFKA_RAW} on {@link #CALLS}.
     */
    public static final String AUDIO_RAW = "earshot.audio-raw";

    /** {@code CallSummaryComputed} with {@code isFinal} false (running values of a live call), keyed by call id; a later record of a call supersedes earlier ones, and carries only the evidence that changed since the previous one ({@link RunningValues} rebuilds them). */
    public static final String CALL_LIVE = "earshot.call-live";

    /** {@code CallSummaryComputed} with {@code isFinal} true, one per call, keyed by call id. */
    public static final String CALL_SUMMARIES = "earshot.call-summaries";

    /** {@code AgentMetricsComputed}, keyed by the record's {@code key} field: the agent id, team or queue its {@code scope} names. */
    public static final String AGENT_METRICS = "earshot.agent-metrics";

    /**
     * {@code CallAssigned}, keyed by call id: who handles a call, published by a contact-center
     * notification bridge or CTI when the call's source could not name the agent (Genesys
     * AudioHook Monitor). The metric job reads it with the call's other events.
     */
    public static final String CALL_ASSIGNMENTS = "earshot.call-assignments";

    /** {@code EventRejected}: events that could not be used, keyed by call id when known, otherwise unkeyed. */
    public static final String DEAD_LETTERS = "earshot.dead-letters";

    /** Every topic above, in the order of the data flow. */
    public static final List<String> ALL = List.of(
            CALLS, SPEECH, UTTERANCES, AUDIO_RAW, CALL_LIVE, CALL_SUMMARIES, AGENT_METRICS, DEAD_LETTERS,
            CALL_ASSIGNMENTS);

    private Topics() {
    }
}
