package io.earshot.jobs.common;

import io.earshot.contracts.AvroSerde;
import java.nio.charset.StandardCharsets;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes one of the job's outputs to Kafka: converted to its Avro contract (e.g. with
 * {@link AvroOutputs}), encoded by {@link AvroSerde}, keyed by a UTF-8 string, on the topic the
 * element names. The record timestamp is left to the producer, the time of publishing: the
 * value carries its own event time ({@code emittedAt}, the window's bounds, {@code eventTime}),
 * and a backfill's outputs, as old as its calls, must not fall to the topics' time-based
 * retention at once (docs/kafka.md).
 *
 * @param <T> the job's output type
 * @param <R> its Avro record
 */
public final class AvroKafkaSerializer<T, R extends SpecificRecord> implements KafkaRecordSerializationSchema<T> {

    private static final long serialVersionUID = 1L;

    private final Class<R> type;
    private final SerializableFunction<T, R> toAvro;
    private final SerializableFunction<T, String> topic;
    private final SerializableFunction<T, String> key;
    private transient AvroSerde<R> serde;

    /**
     * @param key the record key, or a function returning null for an unkeyed record
     */
    public AvroKafkaSerializer(Class<R> type, SerializableFunction<T, R> toAvro, SerializableFunction<T, String> topic,
            SerializableFunction<T, String> key) {
        this.type = type;
        this.toAvro = toAvro;
        this.topic = topic;
        this.key = key;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
        if (serde == null) {
            serde = AvroSerde.of(type);
        }
        String to = topic.apply(element);
        String k = key.apply(element);
        return new ProducerRecord<>(to, null, null,
                k == null ? null : k.getBytes(StandardCharsets.UTF_8), serde.serialize(to, toAvro.apply(element)));
    }
}
