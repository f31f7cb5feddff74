package io.earshot.ingest.protocol;

import java.time.Duration;
import java.util.Objects;

/**
 * Per-call bounds every protocol endpoint enforces, so one caller cannot make the server hold
 * or process unbounded audio: how long a call may last, how far its media position may jump,
 * how far its media may run ahead of the wall clock, and how many messages per second its
 * connection may send.
 *
 * @param maxCallDuration      media time after which the call is ended cleanly, with the
 *                             protocol's normal close
 * @param maxGap               largest forward jump of the media position (audio the caller says
 *                             was lost, discarded or paused over) taken as silence; a larger jump
 *                             is refused with the protocol's error
 * @param realTimeMedia        whether media may only run a bounded amount ahead of the wall clock
 *                             since the call opened; off only for trusted clients that replay
 *                             recordings faster than real time (demo, benchmarks)
 * @param mediaAheadGrace      media time a call may have received before its wall-clock age is
 *                             looked at (a client's initial burst)
 * @param maxMediaAhead        how far media may run ahead of {@code max(wall-clock age, grace)}
 * @param maxMessagesPerSecond sustained messages per second one connection may send
 * @param messageBurst         messages one connection may send at once above that rate
 */
public record IngestLimits(Duration maxCallDuration, Duration maxGap, boolean realTimeMedia,
                           Duration mediaAheadGrace, Duration maxMediaAhead, int maxMessagesPerSecond,
                           int messageBurst) {

    /** Four hours: longer than any contact-centre conversation, bounded for a stuck or hostile stream. */
    public static final Duration DEFAULT_MAX_CALL_DURATION = Duration.ofHours(4);
    /** One minute of silence is the most one jump may ask the server to invent. */
    public static final Duration DEFAULT_MAX_GAP = Duration.ofSeconds(60);
    /** Ten seconds of media may arrive at once when a call opens. */
    public static final Duration DEFAULT_MEDIA_AHEAD_GRACE = Duration.ofSeconds(10);
    /** After that, media may lead the wall clock by ten seconds (network bursts, client buffers). */
    public static final Duration DEFAULT_MAX_MEDIA_AHEAD = Duration.ofSeconds(10);
    /** Twilio sends 50 media messages a second per track, AudioHook ten frames and a ping or two. */
    public static final int DEFAULT_MAX_MESSAGES_PER_SECOND = 200;
    /** A burst of a few seconds of Twilio media (a client catching up after a network stall). */
    public static final int DEFAULT_MESSAGE_BURST = 1_000;

    public IngestLimits {
        Objects.requireNonNull(maxCallDuration, "maxCallDuration");
        Objects.requireNonNull(maxGap, "maxGap");
        Objects.requireNonNull(mediaAheadGrace, "mediaAheadGrace");
        Objects.requireNonNull(maxMediaAhead, "maxMediaAhead");
        if (maxCallDuration.toMillis() < 1 || maxGap.toMillis() < 1) {
            throw new IllegalArgumentException("maxCallDuration and maxGap must be positive");
        }
        if (mediaAheadGrace.isNegative() || maxMediaAhead.isNegative()) {
            throw new IllegalArgumentException("mediaAheadGrace and maxMediaAhead must not be negative");
        }
        if (maxMessagesPerSecond < 1 || messageBurst < 1) {
            throw new IllegalArgumentException("maxMessagesPerSecond and messageBurst must be at least 1");
        }
    }

    /** Messages per second and burst of {@link #forTrustedReplay()}: no practical bound. */
    public static final int REPLAY_MESSAGES_PER_SECOND = 1_000_000;

    /**
     * The defaults without the real-time check and with no practical message rate: only for
     * trusted clients that replay recordings faster than real time on purpose (the embedded demo,
     * benchmarks, tests). Never what {@code serve} uses unless its configuration says so.
     */
    public static IngestLimits forTrustedReplay() {
        return new IngestLimits(DEFAULT_MAX_CALL_DURATION, DEFAULT_MAX_GAP, false, DEFAULT_MEDIA_AHEAD_GRACE,
                DEFAULT_MAX_MEDIA_AHEAD, REPLAY_MESSAGES_PER_SECOND, REPLAY_MESSAGES_PER_SECOND);
    }

    /** The defaults above, with the real-time check on. */
    public static IngestLimits defaults() {
        return new IngestLimits(DEFAULT_MAX_CALL_DURATION, DEFAULT_MAX_GAP, true, DEFAULT_MEDIA_AHEAD_GRACE,
                DEFAULT_MAX_MEDIA_AHEAD, DEFAULT_MAX_MESSAGES_PER_SECOND, DEFAULT_MESSAGE_BURST);
    }
}
