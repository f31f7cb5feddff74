package io.earshot.ingest.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes PCM16, mu-law or A-law WAV files (used by the simulator, tests and benchmarks). */
public final class WavWriter {

    private WavWriter() {
    }

    /** Encodes the channels (equal length) as a WAV file image. */
    public static byte[] encode(int sampleRate, SampleEncoding encoding, short[]... channels) {
        int n = channels[0].length;
        int bytesPerSample = encoding == SampleEncoding.PCM16 ? 2 : 1;
        int dataSize = n * channels.length * bytesPerSample;
        boolean pcm = encoding == SampleEncoding.PCM16;
        int fmtSize = pcm ? 16 : 18;
        int factSize = pcm ? 0 : 12;
        ByteBuffer b = ByteBuffer.allocate(12 + 8 + fmtSize + factSize + 8 + dataSize)
                .order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        b.putInt(b.capacity() - 8);
        b.put("WAVE".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        b.put("fmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        b.putInt(fmtSize);
        b.putShort((short) (switch (encoding) {
            case PCM16 -> 1;
            case PCMA -> 6;
            case PCMU -> 7;
        }));
        b.putShort((short) channels.length);
        b.putInt(sampleRate);
        b.putInt(sampleRate * channels.length * bytesPerSample);
        b.putShort((short) (channels.length * bytesPerSample));
        b.putShort((short) (bytesPerSample * 8));
        if (!pcm) {
            b.putShort((short) 0);
            b.put("fact".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            b.putInt(4);
            b.putInt(n);
        }
        b.put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        b.putInt(dataSize);
        for (int i = 0; i < n; i++) {
            for (short[] channel : channels) {
                switch (encoding) {
                    case PCM16 -> b.putShort(channel[i]);
                    case PCMU -> b.put(G711.linearToUlaw(channel[i]));
                    case PCMA -> b.put(G711.linearToAlaw(channel[i]));
                }
            }
        }
        return b.array();
    }

    public static void write(Path file, int sampleRate, SampleEncoding encoding, short[]... channels)
            throws IOException {
        Files.write(file, encode(sampleRate, encoding, channels));
    }
}
