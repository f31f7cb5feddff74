package io.earshot.jobs.common;

import io.earshot.analysis.avro.AvroInputs;
import io.earshot.analysis.events.CallEvent;
import io.earshot.contracts.AvroSerde;
import io.earshot.contracts.Topics;
import io.earshot.schemas.CallAssigned;
import io.earshot.schemas.CallEnded;
import io.earshot.schemas.CallStarted;
import io.earshot.schemas.SpeechActivityChanged;
import io.earshot.schemas.SpeechSegmentDetected;
import io.earshot.schemas.TranscriptionStatusReported;
import io.earshot.schemas.UtteranceTranscribed;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Reads the metric job's input topics ({@link Topics#CALLS}, {@link Topics#SPEECH},
 * {@link Topics#UTTERANCES}, {@link Topics#CALL_ASSIGNMENTS}) into {@link CallEvent}s with {@link AvroSerde} and
 * {@link AvroInputs}, each stamped with its Kafka record's timestamp (the event time by the
 * topics' contract, see {@code docs/kafka.md}).
 *
 * <p>Each topic accepts only its own record types. A value that cannot be decoded never fails
 * the job: it becomes an {@link CallEvent.Kind#UNDECODABLE} event naming the topic, partition,
 * offset and the serde's message, which the job's validator turns into a dead letter. Tombstones
 * ({@code null} values) and records the job does not read (speech edges, partial transcripts)
 * produce nothing.
 */
public final class CallEventDeserializer implements KafkaRecordDeserializationSchema<CallEvent> {

    private static final long serialVersionUID = 1L;

    private transient Map<String, AvroSerde<SpecificRecord>> serdes;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<CallEvent> out) {
        if (record.value() == null) {
            return;
        }
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        AvroSerde<SpecificRecord> serde = serdes().get(record.topic());
        if (serde == null) {
            out.collect(AvroInputs.undecodable(record.topic(), record.partition(), record.offset(), key,
                    record.timestamp(), "not an input topic of the metric job"));
            return;
        }
        SpecificRecord value;
        try {
            value = serde.deserialize(record.topic(), record.value());
        } catch (SerializationException e) {
            out.collect(AvroInputs.undecodable(record.topic(), record.partition(), record.offset(), key,
                    record.timestamp(), e.getMessage()));
            return;
        }
        AvroInputs.toCallEvent(value, record.timestamp()).ifPresent(out::collect);
    }

    private Map<String, AvroSerde<SpecificRecord>> serdes() {
        if (serdes == null) {
            // built on first use in the task: AvroSerde is not serializable, this schema must be
            serdes = Map.of(
                    Topics.CALLS, AvroSerde.ofAny(CallStarted.class, CallEnded.class),
                    Topics.SPEECH, AvroSerde.ofAny(SpeechSegmentDetected.class, SpeechActivityChanged.class),
                    Topics.UTTERANCES, AvroSerde.ofAny(UtteranceTranscribed.class, TranscriptionStatusReported.class),
                    Topics.CALL_ASSIGNMENTS, AvroSerde.ofAny(CallAssigned.class));
        }
        return serdes;
    }

    @Override
    public TypeInformation<CallEvent> getProducedType() {
        return TypeInformation.of(CallEvent.class);
    }
}
