package io.earshot.ingest.protocol.twilio;

import java.util.Objects;

/**
 * Settings of one {@link TwilioSession}.
 *
 * @param agentTrack       which media track is the agent. Twilio calls the audio coming from the
 *                         call leg that started the stream {@code inbound} and the audio sent to it
 *                         {@code outbound}; for an inbound contact-centre call the caller is that
 *                         leg, so the default is {@code OUTBOUND} = agent, {@code INBOUND} =
 *                         customer. Flip it for streams started on the agent's leg.
 * @param maxLagMs         how far (media time) one track may run ahead before the other is given
 *                         up for that span and released as silence; also how long (wall time)
 *                         buffered audio may wait for {@link TwilioSession#poll()}
 * @param maxGapMs         how far past where its track's audio ended a chunk may start (the gap
 *                         is silence, made as it is released); a larger jump is a protocol error
 * @param maxMessageChars  longest text frame accepted (close 1009 beyond it)
 */
public record TwilioSessionConfig(Messages.Track agentTrack, int maxLagMs, int maxGapMs, int maxMessageChars) {

    /** 500 ms: well above Twilio's 20 ms chunking and jitter, short enough for live feedback. */
    public static final int DEFAULT_MAX_LAG_MS = 500;
    /** 10 s of silence is the most one chunk may ask us to invent. */
    public static final int DEFAULT_MAX_GAP_MS = 10_000;
    /** 64 KiB: a 20 ms media frame is about 300 characters; start may carry custom parameters. */
    public static final int DEFAULT_MAX_MESSAGE_CHARS = 64 * 1024;

    public TwilioSessionConfig {
        Objects.requireNonNull(agentTrack, "agentTrack");
        if (maxLagMs <= 0 || maxGapMs < maxLagMs || maxMessageChars <= 0) {
            throw new IllegalArgumentException("need 0 < maxLagMs <= maxGapMs and maxMessageChars > 0");
        }
    }

    /** Outbound = agent, inbound = customer, and the default bounds. */
    public static TwilioSessionConfig defaults() {
        return new TwilioSessionConfig(Messages.Track.OUTBOUND, DEFAULT_MAX_LAG_MS, DEFAULT_MAX_GAP_MS,
                DEFAULT_MAX_MESSAGE_CHARS);
    }
}
