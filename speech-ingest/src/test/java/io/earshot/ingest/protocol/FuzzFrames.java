package io.earshot.ingest.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How the session fuzz tests cut one fuzz input into the WebSocket frames of a connection:
 * each frame is a kind byte (even: text, odd: binary), a two-byte big-endian length, then that
 * many bytes; a frame whose length runs past the end takes what is left. The seed corpora are
 * written in this form ({@link #join}), so a seed is a recorded conversation.
 */
public final class FuzzFrames {

    /** One WebSocket frame: text (UTF-8 bytes, decoded with replacement) or binary. */
    public record Frame(boolean binary, byte[] bytes) {

        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        public static Frame text(String text) {
            return new Frame(false, text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private FuzzFrames() {
    }

    /** The frames of one fuzz input, in order. */
    public static List<Frame> split(byte[] data) {
        List<Frame> frames = new ArrayList<>();
        int at = 0;
        while (at < data.length) {
            boolean binary = (data[at] & 1) == 1;
            int length = at + 2 < data.length ? ((data[at + 1] & 0xFF) << 8) | (data[at + 2] & 0xFF) : 0;
            int from = Math.min(at + 3, data.length);
            int to = (int) Math.min((long) from + length, data.length);
            frames.add(new Frame(binary, Arrays.copyOfRange(data, from, to)));
            at = to;
        }
        return frames;
    }

    /** The fuzz input that {@link #split} cuts into {@code frames}. */
    public static byte[] join(List<Frame> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Frame f : frames) {
            if (f.bytes().length > 0xFFFF) {
                throw new IllegalArgumentException("a frame of more than 65535 bytes cannot be written");
            }
            out.write(f.binary() ? 1 : 0);
            out.write(f.bytes().length >>> 8);
            out.write(f.bytes().length & 0xFF);
            out.writeBytes(f.bytes());
        }
        return out.toByteArray();
    }
}
