package io.earshot.contracts;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;

/**
 * Avro binary decoding of one value held in memory that never allocates for more than the value
 * holds: a string or bytes length, or an array or map item count, larger than the bytes left is
 * refused with an {@link EOFException} before anything is allocated.
 *
 * <p>Why: Avro's decoders allocate what a length or count says first and find out the input is
 * short afterwards, so a corrupt Kafka value of a dozen bytes whose string length or array count
 * says a billion makes the consumer allocate gigabytes and end in an {@link OutOfMemoryError},
 * which no consumer catches. The bound is exact for every Earshot contract: each array item and
 * map entry takes at least one byte (no contract has arrays of {@code null} or of empty records).
 */
final class BoundedDecoder extends Decoder {

    private final ByteArrayInputStream bytes;
    private final BinaryDecoder in;

    /** Decodes {@code data} from {@code offset} to its end. */
    BoundedDecoder(byte[] data, int offset) {
        this.bytes = new ByteArrayInputStream(data, offset, data.length - offset);
        // The direct decoder reads no further ahead than asked, so bytes.available() is what is left.
        this.in = DecoderFactory.get().directBinaryDecoder(bytes, null);
    }

    private int left() {
        return bytes.available();
    }

    private long items(long count) throws EOFException {
        if (count > left()) {
            throw new EOFException("item count " + count + " exceeds the " + left() + " bytes left");
        }
        return count;
    }

    private int length() throws IOException {
        long length = in.readLong();
        if (length < 0 || length > left()) {
            throw new EOFException("length " + length + " exceeds the " + left() + " bytes left");
        }
        return (int) length;
    }

    @Override
    public Utf8 readString(Utf8 old) throws IOException {
        int length = length();
        Utf8 result = old != null ? old : new Utf8();
        result.setByteLength(length);
        in.readFixed(result.getBytes(), 0, length);
        return result;
    }

    @Override
    public String readString() throws IOException {
        return readString(null).toString();
    }

    @Override
    public ByteBuffer readBytes(ByteBuffer old) throws IOException {
        int length = length();
        ByteBuffer result = old != null && old.capacity() >= length ? old : ByteBuffer.allocate(length);
        result.clear();
        in.readFixed(result.array(), result.arrayOffset(), length);
        result.limit(length);
        return result;
    }

    @Override
    public long readArrayStart() throws IOException {
        return items(in.readArrayStart());
    }

    @Override
    public long arrayNext() throws IOException {
        return items(in.arrayNext());
    }

    @Override
    public long readMapStart() throws IOException {
        return items(in.readMapStart());
    }

    @Override
    public long mapNext() throws IOException {
        return items(in.mapNext());
    }

    @Override
    public long skipArray() throws IOException {
        return items(in.skipArray());
    }

    @Override
    public long skipMap() throws IOException {
        return items(in.skipMap());
    }

    @Override
    public void readNull() throws IOException {
        in.readNull();
    }

    @Override
    public boolean readBoolean() throws IOException {
        return in.readBoolean();
    }

    @Override
    public int readInt() throws IOException {
        return in.readInt();
    }

    @Override
    public long readLong() throws IOException {
        return in.readLong();
    }

    @Override
    public float readFloat() throws IOException {
        return in.readFloat();
    }

    @Override
    public double readDouble() throws IOException {
        return in.readDouble();
    }

    @Override
    public void skipString() throws IOException {
        in.skipString();
    }

    @Override
    public void skipBytes() throws IOException {
        in.skipBytes();
    }

    @Override
    public void readFixed(byte[] bytes, int start, int length) throws IOException {
        in.readFixed(bytes, start, length);
    }

    @Override
    public void skipFixed(int length) throws IOException {
        in.skipFixed(length);
    }

    @Override
    public int readEnum() throws IOException {
        return in.readEnum();
    }

    @Override
    public int readIndex() throws IOException {
        return in.readIndex();
    }
}
