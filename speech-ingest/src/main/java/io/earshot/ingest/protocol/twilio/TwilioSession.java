package io.earshot.ingest.protocol.twilio;

import io.earshot.ingest.audio.G711;
import io.earshot.ingest.audio.PartyAligner;
import io.earshot.ingest.protocol.CallRejectedException;
import io.earshot.ingest.protocol.IngestLimits;
import io.earshot.ingest.protocol.MediaBudget;
import io.earshot.ingest.protocol.LogSafe;
import io.earshot.ingest.protocol.twilio.Messages.Connected;
import io.earshot.ingest.protocol.twilio.Messages.Dtmf;
import io.earshot.ingest.protocol.twilio.Messages.Mark;
import io.earshot.ingest.protocol.twilio.Messages.Media;
import io.earshot.ingest.protocol.twilio.Messages.MediaFormat;
import io.earshot.ingest.protocol.twilio.Messages.Start;
import io.earshot.ingest.protocol.twilio.Messages.Stop;
import io.earshot.ingest.protocol.twilio.Messages.Track;
import io.earshot.schemas.Role;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.Objects;

/**
 * The receiving side of one Twilio Media Stream ({@code track="both_tracks"}), as a state machine.
 *
 * <pre>
 * AWAITING_CONNECTED --connected--> AWAITING_START --start--> STREAMING --stop--> STOPPED
 *                                                      media, mark, dtmf (stay)
 * any violation, from any state -----------------------------------------------> CLOSED
 * </pre>
 *
 * <p>Checks: {@code connected} first; {@code start} next with sequence number 1, the mu-law
 * 8 kHz mono format and only known tracks; every later message has the previous sequence number
 * plus one and the start's {@code streamSid}; media only while streaming, only on a track the start
 * announced, with chunk numbers increasing per track and a payload that is valid base64. A
 * violation closes the socket through the {@link TwilioChannel} with a WebSocket close code (1002
 * protocol error, 1003 unsupported data, 1009 message too big, 1011 if a listener fails), tells the
 * listener {@link TwilioListener#onError} and ignores all later input. Any message after
 * {@code stop} closes with 1002 without further listener calls. Nothing is thrown to the caller.
 *
 * <p>What the caller is told is only the close code and a fixed reason per code
 * ({@link #publicReason}): "bad request", "call refused", "internal error"... The detail (which
 * check failed, the listener's reason for refusing the call, an exception) goes to the listener
 * and to the log, escaped, never into the close frame: it could name roster members, say whether
 * a call id is live, or carry exception text.
 *
 * <p>When the upgrade was authenticated by an account's signature, {@code start.accountSid} must
 * be that account (1008 otherwise): a stream signed by one account cannot speak for another.
 *
 * <p>Audio of the two tracks, mapped to agent and customer by {@link TwilioSessionConfig#agentTrack()},
 * is aligned by a {@link PartyAligner} on the media timestamps (a timestamp within
 * {@link #JITTER_MS} of where its track ended is contiguous: Twilio's millisecond timestamps
 * round the 20 ms chunk boundaries; late samples of a track are dropped) and handed to
 * {@link TwilioListener#onAudio} in lockstep. The injected clock bounds how long buffered audio may
 * wait: the Endpoint calls {@link #poll()} periodically, and audio held longer than
 * {@code maxLagMs} of wall time is released with silence for the missing track.
 *
 * <p>Media bounds ({@link IngestLimits}, checked by a {@link MediaBudget} before a chunk is
 * buffered): media whose end would run further ahead of the wall clock since {@code start} than
 * allowed closes with 1008, as does a connection over its message rate ({@link #rateExceeded});
 * a timestamp jump beyond {@link TwilioSessionConfig#maxGapMs()} closes with 1002. At the
 * call-duration bound the buffered audio is delivered, the listener hears
 * {@link TwilioListener#onEndedByServer} and the socket is closed normally (1000).
 *
 * <p>Not thread-safe: one socket's callbacks must be serialized, as WebSocket containers do.
 */
public final class TwilioSession {

    /** RFC 6455 close codes this session uses. */
    /** The server ended the stream at a bound such as the call duration. */
    public static final int CLOSE_NORMAL = 1000;
    /** The server is shutting down ({@link #endByServer}). */
    public static final int CLOSE_GOING_AWAY = 1001;
    public static final int CLOSE_PROTOCOL_ERROR = 1002;
    public static final int CLOSE_UNSUPPORTED_DATA = 1003;
    /** The listener refused the call or its data ({@link CallRejectedException}). */
    public static final int CLOSE_POLICY_VIOLATION = 1008;
    public static final int CLOSE_MESSAGE_TOO_BIG = 1009;
    public static final int CLOSE_INTERNAL_ERROR = 1011;

    /** Where the stream is; see the class comment for the transitions. */
    public enum State { AWAITING_CONNECTED, AWAITING_START, STREAMING, STOPPED, CLOSED }

    private static final System.Logger LOG = System.getLogger(TwilioSession.class.getName());
    private static final int SAMPLES_PER_MS = 8;
    /** How far off where its track ended a chunk's timestamp may be and still be contiguous. */
    static final int JITTER_MS = 10;

    private final TwilioChannel channel;
    private final TwilioListener listener;
    private final Clock clock;
    private final TwilioSessionConfig config;
    private final String accountSid;
    private final TwilioCodec codec = new TwilioCodec();
    private final IngestLimits limits;
    private MediaBudget budget;

    private State state = State.AWAITING_CONNECTED;
    private long lastSequence;
    private String streamSid;
    private PartyAligner aligner;
    private final long[] lastChunk = new long[Track.values().length];
    private long lastReleaseMillis;

    /** A session that accepts a stream of any account. */
    public TwilioSession(TwilioChannel channel, TwilioListener listener, Clock clock, TwilioSessionConfig config) {
        this(channel, listener, clock, config, IngestLimits.defaults(), null);
    }

    /** @param limits the bounds on media time and duration (the gap bound is the config's) */
    public TwilioSession(TwilioChannel channel, TwilioListener listener, Clock clock, TwilioSessionConfig config,
                         IngestLimits limits) {
        this(channel, listener, clock, config, limits, null);
    }

    /**
     * @param accountSid the account whose signature authenticated the upgrade, which
     *                   {@code start.accountSid} must name; null to accept any
     */
    public TwilioSession(TwilioChannel channel, TwilioListener listener, Clock clock, TwilioSessionConfig config,
            String accountSid) {
        this(channel, listener, clock, config, IngestLimits.defaults(), accountSid);
    }

    /**
     * @param limits     the bounds on media time and duration (the gap bound is the config's)
     * @param accountSid the account whose signature authenticated the upgrade, which
     *                   {@code start.accountSid} must name; null to accept any
     */
    public TwilioSession(TwilioChannel channel, TwilioListener listener, Clock clock, TwilioSessionConfig config,
            IngestLimits limits, String accountSid) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.channel = Objects.requireNonNull(channel, "channel");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.config = Objects.requireNonNull(config, "config");
        this.accountSid = accountSid;
    }

    /** The close reason the caller gets for a close code: fixed text, no detail. */
    public static String publicReason(int code) {
        return switch (code) {
            case CLOSE_PROTOCOL_ERROR -> "bad request";
            case CLOSE_UNSUPPORTED_DATA -> "unsupported data";
            case CLOSE_POLICY_VIOLATION -> "call refused";
            case CLOSE_MESSAGE_TOO_BIG -> "message too big";
            case CLOSE_GOING_AWAY -> "going away";
            default -> "internal error";
        };
    }

    public State state() {
        return state;
    }

    /** Handles one text frame from Twilio. */
    public void onText(String text) {
        if (state == State.CLOSED) {
            return;
        }
        try {
            if (state == State.STOPPED) {
                state = State.CLOSED;
                LOG.log(System.Logger.Level.INFO, "Twilio stream {0}: message after stop, closing",
                        LogSafe.quote(streamSid));
                channel.close(CLOSE_PROTOCOL_ERROR, publicReason(CLOSE_PROTOCOL_ERROR));
                return;
            }
            if (text.length() > config.maxMessageChars()) {
                fail(CLOSE_MESSAGE_TOO_BIG, "message of " + text.length() + " chars exceeds "
                        + config.maxMessageChars());
                return;
            }
            Messages message;
            try {
                message = codec.decode(text);
            } catch (TwilioDecodeException e) {
                fail(CLOSE_PROTOCOL_ERROR, e.getMessage());
                return;
            }
            if (message instanceof Connected c) {
                onConnected(c);
            } else if (message instanceof Start s) {
                onStart(s);
            } else if (message instanceof Media m) {
                onMedia(m);
            } else if (message instanceof Mark m) {
                if (checkStreaming(m.sequenceNumber(), m.streamSid(), "mark")) {
                    listener.onMark(m.name());
                }
            } else if (message instanceof Dtmf d) {
                if (checkStreaming(d.sequenceNumber(), d.streamSid(), "dtmf")) {
                    listener.onDtmf(d.digit());
                }
            } else if (message instanceof Stop s) {
                onStop(s);
            }
        } catch (RuntimeException e) {
            failInternal(e);
        }
    }

    /** The connection sent messages faster than its rate allows: closes with 1008. */
    public void rateExceeded(String reason) {
        if (state != State.CLOSED && state != State.STOPPED) {
            try {
                fail(CLOSE_POLICY_VIOLATION, reason);
            } catch (RuntimeException e) {
                failInternal(e);
            }
        }
    }

    /** Releases audio that has waited longer than {@code maxLagMs} of wall time. */
    public void poll() {
        if (state != State.STREAMING) {
            return;
        }
        try {
            if (aligner.hasPending() && clock.millis() - lastReleaseMillis >= config.maxLagMs()) {
                aligner.flush(this::deliver);
            }
        } catch (RuntimeException e) {
            failInternal(e);
        }
    }

    /** The socket closed without a {@code stop}: buffered audio is delivered, then onError. */
    public void onTransportClosed(int code, String reason) {
        if (state == State.STOPPED || state == State.CLOSED) {
            state = State.CLOSED;
            return;
        }
        try {
            if (state == State.STREAMING) {
                aligner.flush(this::deliver);
            }
            state = State.CLOSED;
            listener.onError("socket closed before stop: " + code + " " + reason);
        } catch (RuntimeException e) {
            state = State.CLOSED;
        }
    }

    private void onConnected(Connected c) {
        if (state != State.AWAITING_CONNECTED) {
            fail(CLOSE_PROTOCOL_ERROR, "unexpected connected in state " + state);
            return;
        }
        state = State.AWAITING_START;
    }

    private void onStart(Start s) {
        if (state != State.AWAITING_START) {
            fail(CLOSE_PROTOCOL_ERROR, "unexpected start in state " + state);
            return;
        }
        if (s.sequenceNumber() != 1) {
            fail(CLOSE_PROTOCOL_ERROR, "start has sequenceNumber " + s.sequenceNumber() + ", expected 1");
            return;
        }
        if (!MediaFormat.MULAW_8K_MONO.equals(s.mediaFormat())) {
            fail(CLOSE_UNSUPPORTED_DATA, "unsupported mediaFormat " + s.mediaFormat());
            return;
        }
        if (accountSid != null && !accountSid.equals(s.accountSid())) {
            fail(CLOSE_POLICY_VIOLATION, "start for account " + LogSafe.quote(s.accountSid())
                    + " on an upgrade signed by account " + accountSid);
            return;
        }
        lastSequence = s.sequenceNumber();
        streamSid = s.streamSid();
        aligner = new PartyAligner(roles(s.tracks()), SAMPLES_PER_MS * 1000,
                (long) config.maxLagMs() * SAMPLES_PER_MS, (long) JITTER_MS * SAMPLES_PER_MS);
        Arrays.fill(lastChunk, -1);
        lastReleaseMillis = clock.millis();
        budget = new MediaBudget(limits, clock, SAMPLES_PER_MS * 1000);
        budget.opened(0);
        state = State.STREAMING;
        listener.onStart(s.accountSid(), s.callSid(), s.streamSid(), s.customParameters());
    }

    private void onMedia(Media m) {
        if (!checkStreaming(m.sequenceNumber(), m.streamSid(), "media")) {
            return;
        }
        int t = m.track().ordinal();
        Role role = role(m.track());
        if (!aligner.expects(role)) {
            fail(CLOSE_PROTOCOL_ERROR, "media on track " + m.track().wire() + " not announced in start");
            return;
        }
        if (m.chunk() <= lastChunk[t]) {
            fail(CLOSE_PROTOCOL_ERROR, m.track().wire() + " chunk " + m.chunk() + " does not follow chunk "
                    + lastChunk[t]);
            return;
        }
        byte[] ulaw;
        try {
            ulaw = Base64.getDecoder().decode(m.payload());
        } catch (IllegalArgumentException e) {
            fail(CLOSE_UNSUPPORTED_DATA, m.track().wire() + " chunk " + m.chunk() + ": payload is not base64");
            return;
        }
        lastChunk[t] = m.chunk();
        long position = m.timestampMs() * SAMPLES_PER_MS;
        long trackEnd = aligner.end(role);
        if (position - trackEnd > (long) config.maxGapMs() * SAMPLES_PER_MS) {
            fail(CLOSE_PROTOCOL_ERROR, "chunk at " + m.timestampMs() + " ms is more than " + config.maxGapMs()
                    + " ms past the " + m.track().wire() + " track's audio at " + trackEnd / SAMPLES_PER_MS + " ms");
            return;
        }
        String ahead = budget.refuseAhead(position + ulaw.length);
        if (ahead != null) {
            fail(CLOSE_POLICY_VIOLATION, ahead);
            return;
        }
        if (position >= budget.endLimitSamples()) {
            endAtDurationLimit();
            return;
        }
        short[] samples = G711.decode(ulaw, 0, ulaw.length, false);
        // samples falling on audio already released (a track that lagged) are dropped, as documented
        aligner.add(role, position, samples);
        aligner.release(this::deliver);
    }

    private void onStop(Stop s) {
        if (!checkStreaming(s.sequenceNumber(), s.streamSid(), "stop")) {
            return;
        }
        aligner.flush(this::deliver);
        state = State.STOPPED;
        listener.onStop();
    }

    /**
     * Ends the stream from the server side, e.g. when this instance is shutting down: what is
     * buffered is delivered, a started call ends ({@link TwilioListener#onEndedByServer}) and
     * the socket is closed with 1001 (going away), on which Twilio ends the stream. Twilio's
     * protocol has no message asking the client to stop, so the close is the request.
     */
    public void endByServer(String reason) {
        if (state == State.CLOSED) {
            return;
        }
        boolean started = state == State.STREAMING;
        try {
            if (started) {
                aligner.flush(this::deliver);
                state = State.CLOSED;
                listener.onEndedByServer(reason);
            }
        } finally {
            state = State.CLOSED;
            channel.close(CLOSE_GOING_AWAY, publicReason(CLOSE_GOING_AWAY));
        }
    }

    /** Delivers what is buffered and ends the stream normally at the duration bound. */
    private void endAtDurationLimit() {
        aligner.flush(this::deliver);
        state = State.CLOSED;
        String reason = budget.durationReason();
        try {
            listener.onEndedByServer(reason);
        } finally {
            channel.close(CLOSE_NORMAL, reason); // our own short text, no caller data
        }
    }

    /** The checks shared by every message after start; false when the session has closed. */
    private boolean checkStreaming(long sequenceNumber, String sid, String event) {
        if (state != State.STREAMING) {
            fail(CLOSE_PROTOCOL_ERROR, event + " before start");
            return false;
        }
        if (sequenceNumber != lastSequence + 1) {
            fail(CLOSE_PROTOCOL_ERROR, event + " has sequenceNumber " + sequenceNumber + ", expected "
                    + (lastSequence + 1));
            return false;
        }
        if (!streamSid.equals(sid)) {
            fail(CLOSE_PROTOCOL_ERROR, event + " for streamSid " + sid + ", expected " + streamSid);
            return false;
        }
        lastSequence = sequenceNumber;
        return true;
    }

    private void deliver(short[] agent, short[] customer, long position) {
        lastReleaseMillis = clock.millis();
        listener.onAudio(agent, customer, position);
    }

    private Role role(Track track) {
        return track == config.agentTrack() ? Role.AGENT : Role.CUSTOMER;
    }

    private Set<Role> roles(List<Track> tracks) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (Track t : tracks) {
            roles.add(role(t));
        }
        return roles;
    }

    private void fail(int code, String reason) {
        state = State.CLOSED;
        LOG.log(System.Logger.Level.INFO, "Twilio stream {0}: closing with {1}: {2}", LogSafe.quote(streamSid),
                String.valueOf(code),
                LogSafe.quote(reason));
        try {
            listener.onError(reason);
        } finally {
            channel.close(code, publicReason(code));
        }
    }

    private void failInternal(RuntimeException e) {
        if (state == State.CLOSED) {
            return;
        }
        if (e instanceof CallRejectedException rejected) {
            fail(CLOSE_POLICY_VIOLATION, rejected.getMessage());
            return;
        }
        state = State.CLOSED;
        LOG.log(System.Logger.Level.ERROR, "Twilio stream " + LogSafe.quote(streamSid) + " failed", e);
        try {
            channel.close(CLOSE_INTERNAL_ERROR, publicReason(CLOSE_INTERNAL_ERROR));
        } catch (RuntimeException ignored) {
            // the socket is unusable; there is no one left to tell
        }
    }
}
