package io.earshot.ingest.protocol.twilio;

import io.earshot.ingest.protocol.twilio.Messages.Track;
import java.util.Arrays;
import java.util.Set;

/**
 * Places each track's chunks on the common stream timeline and releases spans of both tracks in
 * lockstep.
 *
 * <p>Positions are samples from the stream start. A track's chunk goes at its timestamp; a
 * timestamp within {@link #JITTER_SAMPLES} of where the track's previous chunk ended is taken as
 * contiguous (Twilio's millisecond timestamps round the 20 ms chunk boundaries), a later one leaves
 * a gap that reads as silence, and samples that would land before the track's end or before the
 * released position are dropped (first write wins, released audio is never revised).
 *
 * <p>A span is released once every expected track has covered it, or once the leading track is more
 * than {@code maxLag} samples ahead, in which case the lagging track's part of the span is silence.
 */
final class TrackAligner {

    /** 10 ms at 8 kHz. */
    static final int JITTER_SAMPLES = 80;

    /** Receives released spans: equal length, contiguous positions. */
    interface Sink {
        void accept(short[] inbound, short[] outbound, long position);
    }

    private final Set<Track> expected;
    private final long maxLag;
    private final long maxGap;
    private final short[][] buffers = new short[Track.values().length][];
    private final long[] ends = new long[Track.values().length];
    private final boolean[] seen = new boolean[Track.values().length];
    private long released;

    TrackAligner(Set<Track> expected, long maxLagSamples, long maxGapSamples) {
        this.expected = Set.copyOf(expected);
        this.maxLag = maxLagSamples;
        this.maxGap = maxGapSamples;
        for (Track t : Track.values()) {
            buffers[t.ordinal()] = new short[1024];
        }
    }

    boolean expects(Track track) {
        return expected.contains(track);
    }

    /** First sample not yet released. */
    long releasedPosition() {
        return released;
    }

    /** True when some track holds samples not yet released. */
    boolean hasPending() {
        return lead() > released;
    }

    /**
     * Adds one chunk. Returns {@code null}, or why the chunk cannot be placed (it would start more
     * than {@code maxGap} samples past the released position).
     */
    String add(Track track, long position, short[] samples) {
        String gap = refuseGap(track, position);
        if (gap != null) {
            return gap;
        }
        int t = track.ordinal();
        long end = ends[t];
        long start = startOf(t, position);
        seen[t] = true;
        int skip = (int) Math.min(samples.length, Math.max(0, Math.max(end, released) - start));
        start += skip;
        int count = samples.length - skip;
        if (count == 0) {
            return null;
        }
        ensureCapacity(t, start + count - released);
        System.arraycopy(samples, skip, buffers[t], (int) (start - released), count);
        ends[t] = start + count;
        return null;
    }

    /** Why a chunk at {@code position} would start too far past the released audio, or null. */
    String refuseGap(Track track, long position) {
        if (startOf(track.ordinal(), position) - released > maxGap) {
            return "chunk at " + position / 8 + " ms is more than " + maxGap / 8 + " ms past the released audio at "
                    + released / 8 + " ms";
        }
        return null;
    }

    private long startOf(int t, long position) {
        long end = ends[t];
        return seen[t] && Math.abs(position - end) <= JITTER_SAMPLES ? end : position;
    }

    /** Releases what both tracks cover, and whatever lies more than maxLag behind the lead. */
    void release(Sink sink) {
        long lead = lead();
        long common = Long.MAX_VALUE;
        for (Track t : expected) {
            common = Math.min(common, ends[t.ordinal()]);
        }
        releaseTo(Math.max(common, lead - maxLag), sink);
    }

    /** Releases everything buffered, padding the shorter track with silence. */
    void flush(Sink sink) {
        releaseTo(lead(), sink);
    }

    private long lead() {
        long lead = released;
        for (Track t : expected) {
            lead = Math.max(lead, ends[t.ordinal()]);
        }
        return lead;
    }

    private void releaseTo(long target, Sink sink) {
        if (target <= released) {
            return;
        }
        int n = (int) (target - released);
        short[][] out = new short[buffers.length][];
        for (Track t : Track.values()) {
            int i = t.ordinal();
            ensureCapacity(i, n);
            out[i] = Arrays.copyOf(buffers[i], n);
            short[] buf = buffers[i];
            int keep = (int) Math.max(0, ends[i] - target);
            System.arraycopy(buf, n, buf, 0, keep);
            Arrays.fill(buf, keep, Math.min(buf.length, keep + n), (short) 0);
            ends[i] = Math.max(ends[i], target);
        }
        long position = released;
        released = target;
        sink.accept(out[Track.INBOUND.ordinal()], out[Track.OUTBOUND.ordinal()], position);
    }

    private void ensureCapacity(int track, long needed) {
        short[] buf = buffers[track];
        if (needed > buf.length) {
            buffers[track] = Arrays.copyOf(buf, (int) Math.max(needed, 2L * buf.length));
        }
    }
}
