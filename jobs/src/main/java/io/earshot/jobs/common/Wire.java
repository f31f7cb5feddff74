package io.earshot.jobs.common;

import java.io.IOException;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * A record type as it travels between the job's operators, written by hand: the fields in a
 * fixed order, numbers as variable-length integers, and fields that are mostly zero or absent
 * left out behind a mask. Flink's own serializers for these records write every field at full
 * width through reflection; on the job's two busiest edges (the call events to the call
 * operator, each call's activity to its agent's, team's and queue's windows) that cost a
 * sizeable part of the job's time per event (docs/benchmarks.md).
 *
 * <p>A wire type is set on a stream, never registered for a class: the same classes kept in
 * keyed state keep the serializer their state was written with, so savepoints of earlier
 * releases still restore. Network data is not kept across a restart, so the wire format is free
 * to change between releases.
 *
 * @param <T> the record type
 */
public abstract class Wire<T> extends SingleType<T> {

    private static final long serialVersionUID = 1L;

    protected Wire(Class<T> type) {
        super(type);
    }

    /** Writes {@code value}. */
    protected abstract void write(T value, DataOutputView out) throws IOException;

    /** Reads what {@link #write} wrote. */
    protected abstract T read(DataInputView in) throws IOException;

    /** Whether a value can never change once built, so a copy may be the value itself. */
    protected abstract boolean immutable();

    /** This type's serializer. */
    protected abstract TypeSerializer<T> serializer();

    @Override
    public TypeSerializer<T> createSerializer(SerializerConfig config) {
        return serializer();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "<" + getTypeClass().getSimpleName() + ">";
    }

    /**
     * The serializer of a wire type: one instance per type, without configuration. A copy of a
     * mutable value goes through its bytes (used only where a job does not reuse objects).
     */
    public abstract static class Serializer<T> extends TypeSerializerSingleton<T> {

        private static final long serialVersionUID = 1L;

        /** The wire type this serializer writes. */
        protected abstract Wire<T> wire();

        @Override
        public boolean isImmutableType() {
            return wire().immutable();
        }

        @Override
        public T createInstance() {
            return null;
        }

        @Override
        public T copy(T from) {
            if (from == null || wire().immutable()) {
                return from;
            }
            try {
                DataOutputSerializer out = new DataOutputSerializer(256);
                wire().write(from, out);
                return wire().read(new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
            } catch (IOException e) {
                throw new IllegalStateException("could not copy " + from, e);
            }
        }

        @Override
        public T copy(T from, T reuse) {
            return copy(from);
        }

        @Override
        public int getLength() {
            return -1;
        }

        @Override
        public void serialize(T record, DataOutputView out) throws IOException {
            wire().write(record, out);
        }

        @Override
        public T deserialize(DataInputView in) throws IOException {
            return wire().read(in);
        }

        @Override
        public T deserialize(T reuse, DataInputView in) throws IOException {
            return wire().read(in);
        }

        @Override
        public void copy(DataInputView in, DataOutputView out) throws IOException {
            serialize(deserialize(in), out);
        }
    }

    /** A long as a variable-length integer of 1 to 10 bytes, small magnitudes (either sign) shortest. */
    public static void writeLong(long v, DataOutputView out) throws IOException {
        long z = (v << 1) ^ (v >> 63);
        while ((z & ~0x7FL) != 0) {
            out.writeByte((int) (z & 0x7F) | 0x80);
            z >>>= 7;
        }
        out.writeByte((int) z);
    }

    /** Reads what {@link #writeLong} wrote. */
    public static long readLong(DataInputView in) throws IOException {
        long z = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            int b = in.readUnsignedByte();
            z |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return (z >>> 1) ^ -(z & 1);
            }
        }
        throw new IOException("malformed variable-length integer");
    }

    /** A string or null, as Flink writes strings. */
    public static void writeString(String s, DataOutputView out) throws IOException {
        StringValue.writeString(s, out);
    }

    /** Reads what {@link #writeString} wrote. */
    public static String readString(DataInputView in) throws IOException {
        return StringValue.readString(in);
    }

    /** An enum constant or null, as its ordinal (null: -1). */
    public static void writeEnum(Enum<?> e, DataOutputView out) throws IOException {
        writeLong(e == null ? -1 : e.ordinal(), out);
    }

    /** Reads what {@link #writeEnum} wrote, among {@code values}. */
    public static <E extends Enum<E>> E readEnum(E[] values, DataInputView in) throws IOException {
        long i = readLong(in);
        if (i < -1 || i >= values.length) {
            throw new IOException("no constant " + i + " among " + values.length);
        }
        return i < 0 ? null : values[(int) i];
    }
}
