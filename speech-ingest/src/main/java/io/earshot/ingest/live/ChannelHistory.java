package io.earshot.ingest.live;

import java.util.Arrays;

/**
 * The recent audio of one channel of a live call, addressed by stream sample position. The
 * call trims it behind the earliest sample a pending or future speech region may still need,
 * so an hour-long call holds seconds of audio, not an hour.
 */
final class ChannelHistory {

    private short[] buf;
    private int head;
    private int len;
    private long base;

    ChannelHistory(int initialCapacity) {
        this.buf = new short[Math.max(16, initialCapacity)];
    }

    /** Position of the first sample still held. */
    long firstSample() {
        return base;
    }

    /** Position just after the last sample appended. */
    long endSample() {
        return base + len;
    }

    /** Samples the buffer holds without growing. */
    int capacity() {
        return buf.length;
    }

    int retainedSamples() {
        return len;
    }

    void append(short[] samples, int offset, int length) {
        ensureRoom(length);
        System.arraycopy(samples, offset, buf, head + len, length);
        len += length;
    }

    void appendSilence(int length) {
        ensureRoom(length);
        Arrays.fill(buf, head + len, head + len + length, (short) 0);
        len += length;
    }

    /** A copy of samples {@code [from, to)}; they must still be held. */
    short[] copy(long from, long to) {
        if (from < base || to > base + len || from > to) {
            throw new IllegalStateException("samples " + from + "-" + to + " not held (holding " + base + "-"
                    + (base + len) + ")");
        }
        int at = head + (int) (from - base);
        return Arrays.copyOfRange(buf, at, at + (int) (to - from));
    }

    /** Forgets the samples before {@code position}. */
    void trimBefore(long position) {
        long drop = Math.min(len, position - base);
        if (drop > 0) {
            head += (int) drop;
            len -= (int) drop;
            base += drop;
        }
    }

    private void ensureRoom(int length) {
        if (head + len + length <= buf.length) {
            return;
        }
        if (len + length <= buf.length / 2) {
            System.arraycopy(buf, head, buf, 0, len);
        } else {
            short[] bigger = new short[Math.max(buf.length * 2, len + length)];
            System.arraycopy(buf, head, bigger, 0, len);
            buf = bigger;
        }
        head = 0;
    }
}
