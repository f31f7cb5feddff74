package io.earshot.ingest.audio;

import io.earshot.schemas.Role;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * Lines up a two-party call whose parties arrive as separate mono chunks (Twilio's tracks, raw
 * Kafka audio) and releases both channels in lockstep, equal in length and contiguous from
 * position 0, as {@code LiveCall.push} takes them. Positions are samples from the call's start.
 *
 * <p>The rules, chosen so that neither party can stall, distort or blow up the call:
 * <ul>
 * <li><b>Placement.</b> A chunk goes at its position. One within {@code jitter} samples of
 *     where its party's audio ended is taken as contiguous (a protocol whose positions are
 *     rounded, such as Twilio's millisecond timestamps, neither doubles nor loses a sample).</li>
 * <li><b>Gaps.</b> What no chunk of a party covers is that party's silence. A gap is not
 *     stored: silence is made only as it is released, at most {@link #SLICE_MS} at a time, so a
 *     long gap costs time, not memory. How long a gap a caller accepts is its own bound, checked
 *     with {@link #end} before {@link #add}.</li>
 * <li><b>Overlap.</b> First write wins: samples of a chunk that fall before its party's end, or
 *     before the released position, are dropped, and {@link #add} says how many, so the caller
 *     can report it. Released audio is never revised.</li>
 * <li><b>A lagging party.</b> A span is released once every expected party covers it, or
 *     once the leading party is more than {@code maxLag} samples ahead: then the lagging
 *     party's part of the span is silence, and its samples arriving for it later are dropped.
 *     The lagging party keeps the last {@code maxLag} to catch up in.</li>
 * <li><b>A party that ends early, or never speaks.</b> The same rule: the other party's audio
 *     flows {@code maxLag} behind. A party the stream never announces is not waited for at all
 *     (a Twilio stream of one track). {@link #flush} releases everything at the end, the
 *     shorter party padded with silence.</li>
 * <li><b>Bounded buffering.</b> After each {@link #release} at most {@code maxLag} samples of
 *     each party are held, whatever the parties do.</li>
 * </ul>
 *
 * <p>Not thread-safe: one call's chunks come from one thread.
 */
public final class PartyAligner {

    /** Silence and audio are released at most this much media time per {@link Sink} call. */
    public static final long SLICE_MS = 1_000;

    /** Receives released spans: equal length, contiguous positions. */
    @FunctionalInterface
    public interface Sink {
        void accept(short[] agent, short[] customer, long positionSamples);
    }

    private record Chunk(long start, short[] samples) {
        long end() {
            return start + samples.length;
        }
    }

    private static final class Party {
        /** Chunks not yet wholly released, in position order, not overlapping. */
        final ArrayDeque<Chunk> chunks = new ArrayDeque<>();
        /** Position after the party's last sample received, or the released position if later. */
        long end;
        boolean seen;
    }

    private final Set<Role> expected;
    private final long maxLag;
    private final long jitter;
    private final int slice;
    private final Party[] parties = {new Party(), new Party()};
    private long released;

    /**
     * @param expected      the parties whose audio is waited for (the others are silence)
     * @param sampleRate    the call's sample rate, for {@link #SLICE_MS}
     * @param maxLagSamples how far the leading party may run ahead of a lagging one
     * @param jitterSamples how far off a party's end a chunk may start and still be contiguous
     */
    public PartyAligner(Set<Role> expected, int sampleRate, long maxLagSamples, long jitterSamples) {
        if (expected.isEmpty()) {
            throw new IllegalArgumentException("no party expected");
        }
        if (sampleRate <= 0 || maxLagSamples <= 0 || jitterSamples < 0) {
            throw new IllegalArgumentException("need a positive sample rate and lag, and a jitter of 0 or more");
        }
        this.expected = EnumSet.copyOf(expected);
        this.maxLag = maxLagSamples;
        this.jitter = jitterSamples;
        this.slice = (int) Math.max(1, sampleRate * SLICE_MS / 1000);
    }

    public boolean expects(Role role) {
        return expected.contains(role);
    }

    /** First sample not yet released. */
    public long releasedPosition() {
        return released;
    }

    /** Where {@code role}'s audio ends: after its last sample received, or the released position if later. */
    public long end(Role role) {
        return party(role).end;
    }

    /** True when some party holds samples not yet released. */
    public boolean hasPending() {
        return lead() > released;
    }

    /**
     * Places one chunk of {@code role} at {@code position}.
     *
     * @return how many of its samples were dropped because they fell on audio already received
     *         or released (0 for a chunk that fits)
     * @throws IllegalArgumentException for a negative position or a party not expected
     */
    public int add(Role role, long position, short[] samples) {
        if (position < 0) {
            throw new IllegalArgumentException("negative position " + position);
        }
        if (!expects(role)) {
            throw new IllegalArgumentException(role + " is not a party of this stream");
        }
        Party p = party(role);
        long end = end(role);
        long start = p.seen && Math.abs(position - p.end) <= jitter ? p.end : position;
        p.seen = true;
        int skip = (int) Math.min(samples.length, Math.max(0, end - start));
        if (skip == samples.length) {
            return skip;
        }
        start += skip;
        p.chunks.add(new Chunk(start, skip == 0 ? samples.clone() : Arrays.copyOfRange(samples, skip, samples.length)));
        p.end = start + samples.length - skip;
        return skip;
    }

    /** Releases what every expected party covers, and whatever lies more than {@code maxLag} behind the lead. */
    public void release(Sink sink) {
        long common = Long.MAX_VALUE;
        for (Role r : expected) {
            common = Math.min(common, end(r));
        }
        releaseTo(Math.max(common, lead() - maxLag), sink);
    }

    /** Releases everything received, padding the shorter party with silence. */
    public void flush(Sink sink) {
        releaseTo(lead(), sink);
    }

    private long lead() {
        long lead = released;
        for (Role r : expected) {
            lead = Math.max(lead, party(r).end);
        }
        return lead;
    }

    private void releaseTo(long target, Sink sink) {
        while (released < target) {
            long from = released;
            long to = Math.min(target, from + slice);
            short[] agent = take(parties[0], from, to);
            short[] customer = take(parties[1], from, to);
            released = to;
            for (Party p : parties) {
                // a party given up for the span now continues from here
                p.end = Math.max(p.end, released);
            }
            sink.accept(agent, customer, from);
        }
    }

    /** The party's samples of {@code [from, to)}, silence where it sent none; drops what is wholly released. */
    private static short[] take(Party p, long from, long to) {
        short[] out = new short[(int) (to - from)];
        for (Chunk c : p.chunks) {
            if (c.start() >= to) {
                break;
            }
            long a = Math.max(from, c.start());
            long b = Math.min(to, c.end());
            if (b > a) {
                System.arraycopy(c.samples(), (int) (a - c.start()), out, (int) (a - from), (int) (b - a));
            }
        }
        while (!p.chunks.isEmpty() && p.chunks.peekFirst().end() <= to) {
            p.chunks.removeFirst();
        }
        return out;
    }

    private Party party(Role role) {
        return parties[role == Role.AGENT ? 0 : 1];
    }
}
