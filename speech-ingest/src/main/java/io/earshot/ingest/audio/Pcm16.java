package io.earshot.ingest.audio;

/**
 * L16 as Earshot's sources send it: signed 16-bit linear PCM, little-endian (the byte order of
 * Genesys AudioHook's L16 and of {@code RawAudioChunk}'s L16 payloads). The one place that turns
 * such bytes into samples.
 */
public final class Pcm16 {

    private Pcm16() {
    }

    /** The sample whose two bytes start at {@code at}. */
    public static short sample(byte[] bytes, int at) {
        return (short) ((bytes[at] & 0xFF) | (bytes[at + 1] << 8));
    }

    /**
     * Decodes {@code length} bytes from {@code offset}, one channel.
     *
     * @throws IllegalArgumentException when {@code length} is odd (half a sample)
     */
    public static short[] decode(byte[] bytes, int offset, int length) {
        if (length % 2 != 0) {
            throw new IllegalArgumentException("L16 payload of odd length " + length);
        }
        short[] out = new short[length / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = sample(bytes, offset + 2 * i);
        }
        return out;
    }
}
