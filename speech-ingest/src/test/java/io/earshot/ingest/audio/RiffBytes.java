package io.earshot.ingest.audio;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Hand-built RIFF/WAVE images for tests that need files {@link WavWriter} would never write:
 * unsupported formats, odd chunks, truncation. Chunks are laid out exactly as given, with the
 * RIFF pad byte after odd-sized bodies unless the chunk is declared with a size that lies.
 */
final class RiffBytes {

    static final int TAG_PCM = 1;
    static final int TAG_ALAW = 6;
    static final int TAG_ULAW = 7;
    static final int TAG_MPEG_LAYER3 = 0x55;
    static final int TAG_EXTENSIBLE = 0xFFFE;

    private final ByteArrayOutputStream chunks = new ByteArrayOutputStream();
    private String form = "WAVE";

    static RiffBytes wave() {
        return new RiffBytes();
    }

    RiffBytes form(String fourCc) {
        this.form = fourCc;
        return this;
    }

    /** A plain {@code fmt } chunk (16 bytes, or 18 with a zero cbSize for non-PCM tags). */
    RiffBytes fmt(int tag, int channels, int rate, int bits) {
        int blockAlign = channels * bits / 8;
        ByteBuffer b = le(tag == TAG_PCM ? 16 : 18);
        b.putShort((short) tag).putShort((short) channels).putInt(rate).putInt(rate * blockAlign)
                .putShort((short) blockAlign).putShort((short) bits);
        if (tag != TAG_PCM) {
            b.putShort((short) 0);
        }
        return chunk("fmt ", b.array());
    }

    /** A WAVE_FORMAT_EXTENSIBLE {@code fmt } chunk whose sub-format GUID carries {@code subTag}. */
    RiffBytes fmtExtensible(int subTag, int channels, int rate, int bits) {
        int blockAlign = channels * bits / 8;
        ByteBuffer b = le(40);
        b.putShort((short) TAG_EXTENSIBLE).putShort((short) channels).putInt(rate).putInt(rate * blockAlign)
                .putShort((short) blockAlign).putShort((short) bits);
        b.putShort((short) 22); // cbSize
        b.putShort((short) bits); // valid bits per sample
        b.putInt(channels == 2 ? 0x3 : 0x4); // FL|FR, or FC
        // KSDATAFORMAT_SUBTYPE_*: {tag-0000-0010-8000-00AA00389B71}
        b.putInt(subTag).putShort((short) 0x0000).putShort((short) 0x0010);
        b.put(new byte[] {(byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71});
        return chunk("fmt ", b.array());
    }

    /** A {@code data} chunk of interleaved little-endian PCM16 frames. */
    RiffBytes pcm16Data(short... interleaved) {
        ByteBuffer b = le(2 * interleaved.length);
        for (short s : interleaved) {
            b.putShort(s);
        }
        return chunk("data", b.array());
    }

    /** A chunk with its true size (and a pad byte when that size is odd). */
    RiffBytes chunk(String id, byte[] body) {
        return chunk(id, body.length, body);
    }

    /** A chunk that declares {@code declaredSize} whatever the body holds; no pad byte. */
    RiffBytes chunk(String id, long declaredSize, byte[] body) {
        chunks.writeBytes(id.getBytes(StandardCharsets.US_ASCII));
        chunks.writeBytes(le(4).putInt((int) declaredSize).array());
        chunks.writeBytes(body);
        if (declaredSize == body.length && (body.length & 1) == 1) {
            chunks.write(0);
        }
        return this;
    }

    byte[] bytes() {
        byte[] body = chunks.toByteArray();
        ByteBuffer b = le(12 + body.length);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(4 + body.length)
                .put(form.getBytes(StandardCharsets.US_ASCII)).put(body);
        return b.array();
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
