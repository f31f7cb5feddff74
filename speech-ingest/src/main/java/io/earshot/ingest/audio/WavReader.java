package io.earshot.ingest.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;

/**
 * Reads RIFF/WAVE files holding PCM16, G.711 mu-law or A-law telephone audio at 8 or 16 kHz,
 * mono or stereo. Everything else is refused with an {@link AudioFormatException} that names
 * the file and the problem, so a caller can show it as one line.
 */
public final class WavReader {

    /** Sample rates the voice-activity and ASR stages are built for. */
    public static final Set<Integer> SUPPORTED_RATES = Set.of(8000, 16000);

    private static final int FORMAT_PCM = 1;
    private static final int FORMAT_ALAW = 6;
    private static final int FORMAT_ULAW = 7;
    private static final int FORMAT_EXTENSIBLE = 0xFFFE;

    private WavReader() {
    }

    /** Reads and decodes a WAV file. */
    public static WavAudio read(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new AudioFormatException(file.toString(), "is a directory, not a WAV file");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new AudioFormatException(file.toString(), "no such file");
        } catch (AccessDeniedException e) {
            throw new AudioFormatException(file.toString(), "permission denied");
        } catch (IOException e) {
            throw new AudioFormatException(file.toString(), "cannot be read: " + e.getMessage());
        }
        return parse(file.toString(), bytes);
    }

    /** Decodes WAV bytes; {@code source} names them in error messages. */
    public static WavAudio parse(String source, byte[] bytes) throws AudioFormatException {
        if (bytes.length == 0) {
            throw new AudioFormatException(source, "empty file");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 12 || !"RIFF".equals(tag(bytes, 0)) || !"WAVE".equals(tag(bytes, 8))) {
            throw new AudioFormatException(source, "not a WAV file (no RIFF/WAVE header)");
        }
        int pos = 12;
        Format format = null;
        while (pos + 8 <= bytes.length) {
            String id = tag(bytes, pos);
            long size = Integer.toUnsignedLong(buf.getInt(pos + 4));
            int body = pos + 8;
            if ("fmt ".equals(id)) {
                if (size < 16 || body + 16 > bytes.length) {
                    throw new AudioFormatException(source, "truncated WAV: fmt chunk is incomplete");
                }
                format = readFormat(source, buf, body, size);
            } else if ("data".equals(id)) {
                if (format == null) {
                    throw new AudioFormatException(source, "malformed WAV: data chunk before fmt chunk");
                }
                long available = bytes.length - body;
                if (size > available) {
                    throw new AudioFormatException(source, String.format(
                            "truncated WAV: data chunk declares %d bytes but only %d are present",
                            size, available));
                }
                return decode(source, format, bytes, body, (int) size);
            }
            pos = (int) Math.min((long) bytes.length, body + size + (size & 1));
        }
        throw new AudioFormatException(source, format == null
                ? "malformed WAV: no fmt chunk"
                : "truncated WAV: no data chunk");
    }

    private record Format(SampleEncoding encoding, int channels, int sampleRate, int bitsPerSample) {
    }

    private static Format readFormat(String source, ByteBuffer buf, int at, long size)
            throws AudioFormatException {
        int tag = Short.toUnsignedInt(buf.getShort(at));
        int channels = Short.toUnsignedInt(buf.getShort(at + 2));
        int rate = buf.getInt(at + 4);
        int bits = Short.toUnsignedInt(buf.getShort(at + 14));
        if (tag == FORMAT_EXTENSIBLE) {
            if (size < 40 || at + 26 > buf.capacity()) {
                throw new AudioFormatException(source, "truncated WAV: extensible fmt chunk is incomplete");
            }
            tag = Short.toUnsignedInt(buf.getShort(at + 24));
        }
        SampleEncoding encoding = switch (tag) {
            case FORMAT_PCM -> SampleEncoding.PCM16;
            case FORMAT_ULAW -> SampleEncoding.PCMU;
            case FORMAT_ALAW -> SampleEncoding.PCMA;
            default -> throw new AudioFormatException(source, String.format(
                    "unsupported encoding (WAV format tag 0x%04X); use PCM16, G.711 mu-law or A-law", tag));
        };
        int expectedBits = encoding == SampleEncoding.PCM16 ? 16 : 8;
        if (bits != expectedBits) {
            throw new AudioFormatException(source, String.format(
                    "unsupported sample size: %d-bit %s; expected %d-bit", bits,
                    encoding == SampleEncoding.PCM16 ? "PCM" : encoding.name(), expectedBits));
        }
        if (channels != 1 && channels != 2) {
            throw new AudioFormatException(source,
                    "unsupported channel count " + channels + "; expected mono or stereo");
        }
        if (!SUPPORTED_RATES.contains(rate)) {
            throw new AudioFormatException(source,
                    "unsupported sample rate " + rate + " Hz; expected 8000 or 16000 Hz");
        }
        return new Format(encoding, channels, rate, bits);
    }

    private static WavAudio decode(String source, Format f, byte[] bytes, int at, int size)
            throws AudioFormatException {
        int bytesPerFrame = f.channels() * f.bitsPerSample() / 8;
        int frames = size / bytesPerFrame;
        if (frames == 0) {
            throw new AudioFormatException(source, "WAV holds no audio samples");
        }
        short[][] out = new short[f.channels()][frames];
        if (f.encoding() == SampleEncoding.PCM16) {
            for (int i = 0; i < frames; i++) {
                for (int c = 0; c < f.channels(); c++) {
                    out[c][i] = Pcm16.sample(bytes, at + 2 * (i * f.channels() + c));
                }
            }
        } else {
            boolean alaw = f.encoding() == SampleEncoding.PCMA;
            for (int i = 0; i < frames; i++) {
                for (int c = 0; c < f.channels(); c++) {
                    byte code = bytes[at + i * f.channels() + c];
                    out[c][i] = alaw ? G711.alawToLinear(code) : G711.ulawToLinear(code);
                }
            }
        }
        return new WavAudio(f.sampleRate(), f.encoding(), out);
    }

    private static String tag(byte[] bytes, int at) {
        if (at + 4 > bytes.length) {
            return "";
        }
        return new String(bytes, at, 4, java.nio.charset.StandardCharsets.US_ASCII);
    }
}
