package io.earshot.contracts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.DatumReader;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serializer and deserializer for Earshot's Avro records (the generated SpecificRecords
 * of the {@code schemas} module), in Avro's
 * <a href="https://avro.apache.org/docs/1.12.0/specification/#single-object-encoding">single-object
 * encoding</a>: the two marker bytes {@code C3 01}, the 8-byte little-endian CRC-64-AVRO
 * fingerprint of the writer's schema, then the record in plain Avro binary.
 *
 * <p>Why this encoding: it needs no schema registry (the embedded default has none, and
 * integrators may not run one), yet the fingerprint tells a consumer which record a value
 * is. That lets one topic carry more than one record type ({@link Topics#CALLS} holds
 * {@code CallStarted} and {@code CallEnded}; use {@link #ofAny}), and turns a value of the
 * wrong type, or one written with a schema this build does not know, into a clear error
 * instead of garbage decoded with the wrong schema. The price: the fingerprint is of the
 * exact writer schema, so after a schema change a consumer reads values of the older
 * version only if it is given that version's schema ({@link #withWriterSchemas}).
 *
 * <p>A value that cannot be decoded (not single-object encoded, a fingerprint of none of the
 * expected records, a truncated or corrupt body) raises a {@link SerializationException}
 * whose message names the topic and the expected records; the consumer of the topic is
 * expected to catch it and publish a dead letter ({@link Topics#DEAD_LETTERS}), never to
 * stop on it. A string length or item count larger than the value itself counts as corrupt and
 * is refused before it is allocated ({@link BoundedDecoder}), so a short value cannot exhaust the
 * consumer's memory. A {@code null} value (a tombstone) maps to {@code null} both ways.
 *
 * <p>Instances are immutable and thread-safe (Avro's message encoders and decoders are), so
 * one serde may serve many producers and consumers.
 *
 * @param <T> the record type, or {@link SpecificRecord} for a serde of several types
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T>, Serializer<T>, Deserializer<T> {

    private static final byte[] MAGIC = {(byte) 0xC3, (byte) 0x01};
    private static final int HEADER_LENGTH = MAGIC.length + Long.BYTES;

    private final List<Class<? extends T>> types;
    private final Map<Class<?>, BinaryMessageEncoder<T>> encoders;
    /** By writer-schema fingerprint: the decoder that reads it into its record class. */
    private final Map<Long, Reader<T>> readers;

    private AvroSerde(List<Class<? extends T>> types, List<Schema> olderWriterSchemas) {
        if (types.isEmpty()) {
            throw new IllegalArgumentException("an AvroSerde needs at least one record type");
        }
        this.types = List.copyOf(types);
        Map<Class<?>, BinaryMessageEncoder<T>> encoders = new LinkedHashMap<>();
        Map<Long, Reader<T>> readers = new LinkedHashMap<>();
        for (Class<? extends T> type : this.types) {
            // The class's own model carries the logical-type conversions (timestamp-millis -> Instant).
            SpecificData model = SpecificData.getForClass(type);
            Schema schema = model.getSchema(type);
            encoders.put(type, new BinaryMessageEncoder<>(model, schema));
            readers.put(SchemaNormalization.parsingFingerprint64(schema), new Reader<>(type, model, schema, schema));
            List<Schema> older = new ArrayList<>(olderWriterSchemas);
            older.addAll(earlierVersions(type));
            for (Schema writer : older) {
                if (writer.getFullName().equals(schema.getFullName())) {
                    readers.putIfAbsent(SchemaNormalization.parsingFingerprint64(writer),
                            new Reader<>(type, model, writer, schema));
                }
            }
        }
        this.encoders = Map.copyOf(encoders);
        this.readers = Map.copyOf(readers);
    }

    /**
     * The earlier versions of {@code type}'s schema that Earshot ships (resources
     * {@code io/earshot/schemas/earlier/<Record>-1.avsc}, {@code -2}, ... of the schemas module),
     * so that values an earlier Earshot wrote stay readable, e.g. records from before the input
     * events carried their call's {@code mediaStartTime}.
     */
    static List<Schema> earlierVersions(Class<?> type) {
        List<Schema> out = new ArrayList<>();
        for (int n = 1; ; n++) {
            String name = "earlier/" + type.getSimpleName() + "-" + n + ".avsc";
            try (java.io.InputStream in = type.getResourceAsStream(name)) {
                if (in == null) {
                    return out;
                }
                out.add(new Schema.Parser().parse(in));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot read " + name + " next to " + type.getName(), e);
            }
        }
    }

    /** A serde for one record type, e.g. {@code AvroSerde.of(SpeechSegmentDetected.class)}. */
    public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
        return new AvroSerde<>(List.of(Objects.requireNonNull(type, "type")), List.of());
    }

    /**
     * A serde for a topic that carries several record types, e.g.
     * {@code AvroSerde.ofAny(CallStarted.class, CallEnded.class)} for {@link Topics#CALLS}; the
     * consumer tells them apart with {@code instanceof}.
     */
    @SafeVarargs
    public static AvroSerde<SpecificRecord> ofAny(Class<? extends SpecificRecord>... types) {
        List<Class<? extends SpecificRecord>> list = new ArrayList<>(types.length);
        for (Class<? extends SpecificRecord> type : types) {
            list.add(Objects.requireNonNull(type, "type"));
        }
        return new AvroSerde<>(list, List.of());
    }

    /**
     * This serde, also accepting values written with the given earlier versions of its record
     * schemas (matched by full name), resolved to the current classes by Avro's schema
     * resolution. Schemas of other records are ignored.
     */
    public AvroSerde<T> withWriterSchemas(List<Schema> olderWriterSchemas) {
        return new AvroSerde<>(types, olderWriterSchemas);
    }

    /** The record types this serde writes and reads. */
    public List<Class<? extends T>> types() {
        return types;
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        BinaryMessageEncoder<T> encoder = encoders.get(record.getClass());
        if (encoder == null) {
            throw new SerializationException(topic + ": cannot write a " + record.getClass().getName()
                    + " with a serde for " + typeNames());
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try {
            encoder.encode(record, bytes);
        } catch (IOException | AvroRuntimeException | NullPointerException | ClassCastException e) {
            // A record that breaks its own schema (a null in a required field, a wrong type).
            throw new SerializationException(topic + ": cannot encode " + record.getClass().getSimpleName()
                    + ": " + e.getMessage(), e);
        }
        return bytes.toByteArray();
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length < HEADER_LENGTH || data[0] != MAGIC[0] || data[1] != MAGIC[1]) {
            throw new SerializationException(topic + ": value of " + data.length
                    + " bytes is not Avro single-object encoded (expected " + typeNames() + ")");
        }
        long fingerprint = ByteBuffer.wrap(data, MAGIC.length, Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).getLong();
        Reader<T> reader = readers.get(fingerprint);
        if (reader == null) {
            throw new SerializationException(String.format(
                    "%s: value has schema fingerprint %016x, which is none of %s (a record of another type, or of a schema version this build does not know)",
                    topic, fingerprint, typeNames()));
        }
        try {
            return reader.read(data, HEADER_LENGTH);
        } catch (IOException | RuntimeException e) {
            // Truncated or corrupt body: EOFException, AvroRuntimeException, or worse from a bad length.
            throw new SerializationException(topic + ": corrupt " + reader.type().getSimpleName() + " value of "
                    + data.length + " bytes: " + e, e);
        }
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }

    /** Nothing to configure: the record types are fixed at construction. */
    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
    }

    /** Holds no resources. */
    @Override
    public void close() {
    }

    private String typeNames() {
        return types.stream().map(Class::getSimpleName).toList().toString();
    }

    /**
     * Reads the body of one record type written with one writer schema. Avro's datum readers are
     * not thread-safe, hence one per thread.
     */
    private static final class Reader<T> {

        private final Class<? extends T> type;
        private final ThreadLocal<DatumReader<T>> reader;

        Reader(Class<? extends T> type, SpecificData model, Schema writer, Schema reader) {
            this.type = type;
            this.reader = ThreadLocal.withInitial(() -> new SpecificDatumReader<>(writer, reader, model));
        }

        Class<? extends T> type() {
            return type;
        }

        T read(byte[] data, int offset) throws IOException {
            return reader.get().read(null, new BoundedDecoder(data, offset));
        }
    }
}
