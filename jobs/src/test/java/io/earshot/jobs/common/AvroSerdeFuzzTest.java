package io.earshot.jobs.common;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.earshot.analysis.events.CallEvent;
import io.earshot.contracts.AvroSerde;
import io.earshot.contracts.Topics;
import io.earshot.schemas.AgentMetricsComputed;
import io.earshot.schemas.CallAssigned;
import io.earshot.schemas.CallEnded;
import io.earshot.schemas.CallStarted;
import io.earshot.schemas.CallSummaryComputed;
import io.earshot.schemas.EventRejected;
import io.earshot.schemas.RawAudioChunk;
import io.earshot.schemas.SpeechActivityChanged;
import io.earshot.schemas.SpeechSegmentDetected;
import io.earshot.schemas.TranscriptionStatusReported;
import io.earshot.schemas.UtteranceTranscribed;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Coverage-guided fuzzing of the Avro decoding of every topic's value, as the consumers read
 * them: the first input byte picks one of {@link Topics#ALL}, the rest is the Kafka value.
 *
 * <p>{@link AvroSerde#deserialize} with the topic's value types (the serde every consumer of that
 * topic uses: store, dashboard, live watcher, raw-audio ingest) must return one of those records
 * or throw a {@link SerializationException} that names the topic; the metric job's
 * {@link CallEventDeserializer} on its four input topics must turn any value into events without
 * throwing, an undecodable one into an {@code UNDECODABLE} event naming the topic. Anything else
 * thrown is a finding. The seeds ({@code AvroSerdeFuzzTestInputs/}) are valid single-object
 * encoded records of every value type on its topic.
 */
class AvroSerdeFuzzTest {

    /** Each topic's value types, as {@link Topics} documents them. */
    private static final Map<String, AvroSerde<SpecificRecord>> SERDES = Map.of(
            Topics.CALLS, AvroSerde.ofAny(CallStarted.class, CallEnded.class),
            Topics.SPEECH, AvroSerde.ofAny(SpeechSegmentDetected.class, SpeechActivityChanged.class),
            Topics.UTTERANCES, AvroSerde.ofAny(UtteranceTranscribed.class, TranscriptionStatusReported.class),
            Topics.AUDIO_RAW, AvroSerde.ofAny(RawAudioChunk.class),
            Topics.CALL_LIVE, AvroSerde.ofAny(CallSummaryComputed.class),
            Topics.CALL_SUMMARIES, AvroSerde.ofAny(CallSummaryComputed.class),
            Topics.AGENT_METRICS, AvroSerde.ofAny(AgentMetricsComputed.class),
            Topics.DEAD_LETTERS, AvroSerde.ofAny(EventRejected.class),
            Topics.CALL_ASSIGNMENTS, AvroSerde.ofAny(CallAssigned.class));
    private static final List<String> JOB_INPUTS = List.of(Topics.CALLS, Topics.SPEECH, Topics.UTTERANCES,
            Topics.CALL_ASSIGNMENTS);
    private static final CallEventDeserializer JOB_INPUT = new CallEventDeserializer();

    @FuzzTest(maxDuration = "30s")
    void decodesEveryValueOrRejectsItWithAnErrorNamingTheTopic(byte[] data) {
        if (data.length == 0) {
            return;
        }
        String topic = Topics.ALL.get((data[0] & 0xFF) % Topics.ALL.size());
        byte[] value = Arrays.copyOfRange(data, 1, data.length);
        AvroSerde<SpecificRecord> serde = SERDES.get(topic);

        try {
            SpecificRecord record = serde.deserialize(topic, value);
            assertThat(serde.types()).contains(record.getClass());
        } catch (SerializationException e) {
            assertThat(e.getMessage()).startsWith(topic + ": ");
        }

        if (JOB_INPUTS.contains(topic)) {
            List<CallEvent> events = new ArrayList<>();
            JOB_INPUT.deserialize(new ConsumerRecord<>(topic, 0, 7L, "call-1".getBytes(StandardCharsets.UTF_8),
                    value), new Collector<>() {
                        @Override
                        public void collect(CallEvent event) {
                            events.add(event);
                        }

                        @Override
                        public void close() {
                        }
                    });
            assertThat(events).hasSizeLessThanOrEqualTo(1);
            for (CallEvent e : events) {
                if (e.kind == CallEvent.Kind.UNDECODABLE) {
                    assertThat(e.reason).startsWith(topic + " partition 0 offset 7: ");
                }
            }
        }
    }
}
