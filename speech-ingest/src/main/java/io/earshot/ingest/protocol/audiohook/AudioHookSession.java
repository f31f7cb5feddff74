package io.earshot.ingest.protocol.audiohook;

import io.earshot.ingest.audio.G711;
import io.earshot.ingest.audio.Pcm16;
import io.earshot.ingest.protocol.CallRejectedException;
import io.earshot.ingest.protocol.IngestLimits;
import io.earshot.ingest.protocol.MediaBudget;
import io.earshot.ingest.protocol.LogSafe;
import io.earshot.ingest.protocol.audiohook.Messages.ClientError;
import io.earshot.ingest.protocol.audiohook.Messages.ClientMessage;
import io.earshot.ingest.protocol.audiohook.Messages.Close;
import io.earshot.ingest.protocol.audiohook.Messages.Closed;
import io.earshot.ingest.protocol.audiohook.Messages.Discarded;
import io.earshot.ingest.protocol.audiohook.Messages.Disconnect;
import io.earshot.ingest.protocol.audiohook.Messages.MediaFormat;
import io.earshot.ingest.protocol.audiohook.Messages.Open;
import io.earshot.ingest.protocol.audiohook.Messages.Opened;
import io.earshot.ingest.protocol.audiohook.Messages.Pause;
import io.earshot.ingest.protocol.audiohook.Messages.Paused;
import io.earshot.ingest.protocol.audiohook.Messages.Ping;
import io.earshot.ingest.protocol.audiohook.Messages.Pong;
import io.earshot.ingest.protocol.audiohook.Messages.Reconnect;
import io.earshot.ingest.protocol.audiohook.Messages.Resume;
import io.earshot.ingest.protocol.audiohook.Messages.Resumed;
import io.earshot.ingest.protocol.audiohook.Messages.ServerMessage;
import io.earshot.ingest.protocol.audiohook.Messages.Update;
import io.earshot.ingest.protocol.audiohook.Messages.Updated;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Server side of one AudioHook session, as an explicit state machine fed with the text and
 * binary frames of one WebSocket.
 *
 * <pre>
 * AWAITING_OPEN --open(acceptable media)--> ACTIVE <--paused / resumed--> PAUSED
 *      any state --close--> CLOSED (reply "closed"; final)
 *      any violation --> ERROR_SIGNALED (reply "disconnect" reason "error"; await the client's close)
 * </pre>
 *
 * <p>Checks, each answered with {@code disconnect} reason {@code error} (the specification's
 * way for a server to report a fault; the client then runs the close transaction, so the
 * server does not close the socket itself): a client {@code seq} that is not exactly one more
 * than the previous one; a {@code serverseq} above the last {@code seq} the server sent; a
 * session id other than the one the connection was opened for; malformed JSON, an unknown or
 * server-only message type, or missing parameters; a message the current state does not allow;
 * audio before {@code opened}, while paused, larger than the frame limit, or not a whole number
 * of sample frames. Messages arriving after {@code closed} get the socket closed with 1008.
 *
 * <p>Positions are counted in sample frames at the selected rate: every audio frame advances
 * the position by its length divided by the bytes per sample frame (PCMU: 1 per channel, L16:
 * 2 per channel), and {@code resumed}/{@code discarded} advance it over audio the client
 * dropped, so listener positions stay on the client's stream timeline.
 *
 * <p>Media bounds ({@link IngestLimits}, checked by a {@link MediaBudget}): an {@code open}
 * position, or a {@code resumed}/{@code discarded} jump, beyond the largest gap, and audio or a
 * jump that would put the position further ahead of the wall clock than allowed, are
 * violations like the others ({@code disconnect} reason {@code error}), because each would make
 * the server invent and process that much silence. At the call-duration bound the audio is cut
 * at the bound, the listener hears {@link AudioHookListener#onEndedByServer} and the client gets
 * {@code disconnect} reason {@code completed}. Nothing thrown escapes
 * {@link #onText} or {@link #onBinary}: a failing listener is reported to the client as a
 * server error.
 */
public final class AudioHookSession {

    /** Largest binary frame accepted: 64 KiB, about 4 s of stereo PCMU at 8 kHz (Genesys sends ~0.1-0.2 s). */
    public static final int DEFAULT_MAX_FRAME_BYTES = 64 * 1024;
    /** Largest text frame accepted, as in the reference implementation. */
    public static final int DEFAULT_MAX_TEXT_CHARS = 65_535;
    /**
     * Largest stream position a client may state, in samples: half the range of a long, so that
     * adding audio to it can never overflow (at 8 kHz it is millions of years; no real position
     * comes near).
     */
    static final long MAX_POSITION_SAMPLES = Long.MAX_VALUE / 2;
    /** WebSocket close code for messages after the session closed (policy violation). */
    public static final int CLOSE_POLICY_VIOLATION = 1008;

    /** Session states. */
    public enum State { AWAITING_OPEN, ACTIVE, PAUSED, ERROR_SIGNALED, CLOSED }

    /** Size limits on incoming frames. */
    public record Limits(int maxFrameBytes, int maxTextChars) {
        public static Limits defaults() {
            return new Limits(DEFAULT_MAX_FRAME_BYTES, DEFAULT_MAX_TEXT_CHARS);
        }
    }

    private static final List<String> STEREO = List.of("external", "internal");

    private final AudioHookCodec codec = new AudioHookCodec();
    private final AudioHookChannel channel;
    private final AudioHookListener listener;
    private final Clock clock;
    private final Limits limits;
    private final IngestLimits mediaLimits;
    private MediaBudget budget;

    private String sessionId;
    private State state = State.AWAITING_OPEN;
    private long serverSeq;
    private long clientSeq;
    private MediaFormat media;
    private String language;
    private long positionSamples;
    private Instant lastClientActivity;

    /**
     * @param sessionId the {@code Audiohook-Session-Id} header value, or null to adopt the id of
     *                  the first message
     */
    public AudioHookSession(String sessionId, Limits limits, AudioHookChannel channel,
                            AudioHookListener listener, Clock clock) {
        this(sessionId, limits, IngestLimits.defaults(), channel, listener, clock);
    }

    /**
     * @param sessionId   the {@code Audiohook-Session-Id} header value, or null to adopt the id of
     *                    the first message
     * @param mediaLimits the bounds on media time: gaps, lead over the wall clock, duration
     */
    public AudioHookSession(String sessionId, Limits limits, IngestLimits mediaLimits, AudioHookChannel channel,
                            AudioHookListener listener, Clock clock) {
        this.sessionId = sessionId;
        this.limits = Objects.requireNonNull(limits);
        this.mediaLimits = Objects.requireNonNull(mediaLimits);
        this.channel = Objects.requireNonNull(channel);
        this.listener = Objects.requireNonNull(listener);
        this.clock = Objects.requireNonNull(clock);
        this.lastClientActivity = clock.instant();
    }

    public State state() {
        return state;
    }

    /** The selected media, empty before {@code opened}. */
    public Optional<MediaFormat> media() {
        return Optional.ofNullable(media);
    }

    /** The conversation language from {@code open} or the latest {@code update}; null if none. */
    public String language() {
        return language;
    }

    /** Stream position in sample frames (audio received plus audio the client discarded). */
    public long positionSamples() {
        return positionSamples;
    }

    /**
     * The connection sent messages faster than its rate allows: answered like a protocol
     * violation, {@code disconnect} reason {@code error}.
     */
    public void rateExceeded(String info) {
        if (state != State.CLOSED) {
            violation(info);
        }
    }

    /** True when the client sent nothing (not even a ping) for at least {@code timeout}. */
    public boolean isIdleFor(Duration timeout) {
        return !Duration.between(lastClientActivity, clock.instant()).minus(timeout).isNegative();
    }

    // ---- inbound ---------------------------------------------------------------------------

    /** Handles one text frame. */
    public void onText(String json) {
        lastClientActivity = clock.instant();
        if (state == State.CLOSED) {
            channel.sendClose(CLOSE_POLICY_VIOLATION, "Message after 'closed'");
            return;
        }
        try {
            if (json.length() > limits.maxTextChars()) {
                violation("Text message too large (" + json.length() + " > " + limits.maxTextChars() + " characters)");
                return;
            }
            ClientMessage message;
            try {
                message = codec.decodeClient(json);
            } catch (AudioHookDecodeException e) {
                violation(e.getMessage());
                return;
            }
            if (state == State.ERROR_SIGNALED) {
                // After a disconnect the only thing left to do is the client's close transaction.
                clientSeq = Math.max(clientSeq, message.seq());
                if (message instanceof Close close) {
                    onClose(close);
                }
                return;
            }
            if (message.seq() != clientSeq + 1) {
                violation("Invalid seq value " + message.seq() + " (expected " + (clientSeq + 1) + ")");
                return;
            }
            clientSeq = message.seq();
            if (message.serverseq() > serverSeq) {
                violation("Invalid serverseq value " + message.serverseq() + " (last sent " + serverSeq + ")");
                return;
            }
            if (sessionId == null) {
                sessionId = message.id();
            } else if (!sessionId.equalsIgnoreCase(message.id())) {
                violation("Session identifier mismatch");
                return;
            }
            dispatch(message);
        } catch (RuntimeException e) {
            // A listener failed: the client must learn that the session is broken.
            serverFault(e);
        }
    }

    /** Handles one binary (audio) frame. */
    public void onBinary(byte[] frame) {
        lastClientActivity = clock.instant();
        if (state == State.CLOSED) {
            channel.sendClose(CLOSE_POLICY_VIOLATION, "Audio after 'closed'");
            return;
        }
        try {
            switch (state) {
                case ERROR_SIGNALED:
                    return; // audio still in flight after our disconnect
                case AWAITING_OPEN:
                    violation("Received audio before the session was opened");
                    return;
                case PAUSED:
                    violation("Received audio while the stream is paused");
                    return;
                default:
                    break;
            }
            if (frame.length > limits.maxFrameBytes()) {
                violation("Audio frame too large (" + frame.length + " > " + limits.maxFrameBytes() + " bytes)");
                return;
            }
            int bytesPerFrame = bytesPerSampleFrame(media);
            if (frame.length % bytesPerFrame != 0) {
                violation("Audio frame size " + frame.length + " is not a multiple of " + bytesPerFrame + " bytes");
                return;
            }
            long end = positionSamples + frame.length / bytesPerFrame;
            String ahead = budget.refuseAhead(end);
            if (ahead != null) {
                violation(ahead);
                return;
            }
            AudioBlock block = decode(frame, bytesPerFrame);
            long limit = budget.endLimitSamples();
            if (end > limit) {
                block = cut(block, (int) (limit - positionSamples));
            }
            positionSamples += block.sampleCount();
            if (block.sampleCount() > 0) {
                listener.onAudio(block);
            }
            if (positionSamples >= limit) {
                endAtDurationLimit();
            }
        } catch (RuntimeException e) {
            serverFault(e);
        }
    }

    // ---- server-initiated ------------------------------------------------------------------

    /** Asks the client to pause (e.g. the customer asked not to be recorded). */
    public void requestPause() {
        if (state == State.ACTIVE || state == State.PAUSED) {
            send(new Pause(sessionId, ++serverSeq, clientSeq));
        }
    }

    /** Asks the client to end a server-initiated pause. */
    public void requestResume() {
        if (state == State.ACTIVE || state == State.PAUSED) {
            send(new Resume(sessionId, ++serverSeq, clientSeq));
        }
    }

    /** Asks the client to end the session ("completed" or "unauthorized"); it answers with close. */
    public void disconnect(String reason, String info) {
        if (state == State.AWAITING_OPEN || state == State.ACTIVE || state == State.PAUSED) {
            send(new Disconnect(sessionId, ++serverSeq, clientSeq, reason, info));
            state = State.ERROR_SIGNALED;
        }
    }

    /**
     * Ends the session from the server side before the client did, e.g. when this instance is
     * shutting down: a live call ends with the audio received so far ({@link
     * AudioHookListener#onEndedByServer}) and the client gets {@code disconnect} reason
     * {@code completed} with {@code info}, to which it answers with its close transaction.
     */
    public void endByServer(String info) {
        if (state == State.ACTIVE || state == State.PAUSED) {
            try {
                listener.onEndedByServer(info);
            } catch (RuntimeException e) {
                serverFault(e);
                return;
            }
        }
        disconnect("completed", info);
    }

    /** Asks the client to reconnect, e.g. before this instance shuts down. */
    public void requestReconnect(String info) {
        if (state == State.ACTIVE || state == State.PAUSED) {
            send(new Reconnect(sessionId, ++serverSeq, clientSeq, info));
        }
    }

    // ---- transitions -----------------------------------------------------------------------

    private void dispatch(ClientMessage message) {
        if (message instanceof Open open) {
            onOpen(open);
        } else if (message instanceof Ping) {
            send(new Pong(sessionId, ++serverSeq, clientSeq));
        } else if (message instanceof Close close) {
            onClose(close);
        } else if (message instanceof ClientError error) {
            listener.onError(error.code(), error.message());
        } else if (message instanceof Paused) {
            requireState(message, State.ACTIVE, State.PAUSED);
            if (state == State.ACTIVE) {
                state = State.PAUSED;
                listener.onPaused();
            }
        } else if (message instanceof Resumed resumed) {
            requireState(message, State.PAUSED);
            if (state == State.PAUSED && skipDiscarded(resumed.start(), resumed.discarded())) {
                state = State.ACTIVE;
                listener.onResumed(resumed.discarded());
            }
        } else if (message instanceof Discarded discarded) {
            requireState(message, State.ACTIVE, State.PAUSED);
            if (state != State.ERROR_SIGNALED) {
                skipDiscarded(discarded.start(), discarded.discarded());
            }
        } else if (message instanceof Update update) {
            requireState(message, State.ACTIVE, State.PAUSED);
            if (state != State.ERROR_SIGNALED) {
                language = update.language();
                send(new Updated(sessionId, ++serverSeq, clientSeq));
            }
        }
    }

    private void onOpen(Open open) {
        if (state != State.AWAITING_OPEN) {
            violation("Unexpected 'open' in state " + state);
            return;
        }
        Optional<MediaFormat> selected = selectMedia(open.media());
        if (selected.isEmpty()) {
            violation("No supported media format offered (need PCMU or L16, 8000 Hz, external/internal channels)");
            return;
        }
        long start = samplesOrNegative(open.position(), selected.get().rate());
        if (start < 0) {
            violation("Invalid 'position' " + open.position() + ": beyond any stream");
            return;
        }
        media = selected.get();
        language = open.language();
        budget = new MediaBudget(mediaLimits, clock, media.rate());
        // the call's media starts at 0: an open position is silence before the first audio
        String jump = budget.refuseJump(0, start);
        if (jump == null && start >= budget.endLimitSamples()) {
            jump = "open position is beyond the maximum call duration";
        }
        if (jump != null) {
            violation("open " + jump);
            return;
        }
        positionSamples = start;
        budget.opened(start);
        state = State.ACTIVE;
        // The listener first: a call it refuses gets a disconnect instead of an 'opened'.
        listener.onOpen(open, media);
        send(new Opened(sessionId, ++serverSeq, clientSeq, media, false));
    }

    private void onClose(Close close) {
        state = State.CLOSED;
        send(new Closed(sessionId, ++serverSeq, clientSeq));
        listener.onClosed(close.reason());
    }

    private void requireState(ClientMessage message, State... allowed) {
        for (State s : allowed) {
            if (state == s) {
                return;
            }
        }
        violation("Unexpected '" + message.type() + "' in state " + state);
    }

    /** Moves the position over discarded audio; false (after a violation) when the jump is refused. */
    private boolean skipDiscarded(Duration start, Duration discarded) {
        long end = start.getSeconds() > MAX_POSITION_SAMPLES - discarded.getSeconds()
                ? -1 : samplesOrNegative(start.plus(discarded), media.rate());
        if (end < 0) {
            violation("Invalid 'start' " + start + " and 'discarded' " + discarded + ": beyond any stream");
            return false;
        }
        if (end <= positionSamples) {
            return true;
        }
        String refused = budget.refuseJump(positionSamples, end);
        if (refused == null) {
            refused = budget.refuseAhead(end);
        }
        if (refused != null) {
            violation(refused);
            return false;
        }
        long limit = budget.endLimitSamples();
        positionSamples = Math.min(end, limit);
        if (positionSamples >= limit) {
            endAtDurationLimit();
            return false;
        }
        return true;
    }

    /**
     * The sample count of a client-given position, or -1 when it is over
     * {@link #MAX_POSITION_SAMPLES}: such a position would overflow the arithmetic on positions.
     */
    private static long samplesOrNegative(Duration position, int rate) {
        if (position.getSeconds() > MAX_POSITION_SAMPLES / rate) {
            return -1;
        }
        long samples = AudioHookCodec.durationToSamples(position, rate);
        return samples > MAX_POSITION_SAMPLES ? -1 : samples;
    }

    /** Ends the session at the duration bound: the listener ends the call, the client closes. */
    private void endAtDurationLimit() {
        String reason = budget.durationReason();
        listener.onEndedByServer(reason);
        disconnect("completed", reason);
    }

    private static AudioBlock cut(AudioBlock block, int samples) {
        return new AudioBlock(Arrays.copyOf(block.external(), Math.min(samples, block.external().length)),
                Arrays.copyOf(block.internal(), Math.min(samples, block.internal().length)),
                block.startSample(), block.rate());
    }

    /**
     * Picks the format this server wants from an offer: 8 kHz audio, PCMU before L16, both
     * parties (external + internal, any order) before one. Empty if nothing is usable.
     */
    public static Optional<MediaFormat> selectMedia(List<MediaFormat> offered) {
        return offered.stream()
                .filter(m -> "audio".equals(m.type()) && m.rate() == 8000)
                .filter(m -> "PCMU".equals(m.format()) || "L16".equals(m.format()))
                .filter(m -> m.channels().size() == 2
                        ? m.channels().containsAll(STEREO)
                        : m.channels().size() == 1 && STEREO.contains(m.channels().get(0)))
                .min(Comparator.comparingInt((MediaFormat m) -> m.channels().size() == 2 ? 0 : 2)
                        .thenComparingInt(m -> "PCMU".equals(m.format()) ? 0 : 1));
    }

    private static int bytesPerSampleFrame(MediaFormat media) {
        return ("L16".equals(media.format()) ? 2 : 1) * media.channels().size();
    }

    private AudioBlock decode(byte[] frame, int bytesPerFrame) {
        int channels = media.channels().size();
        int frames = frame.length / bytesPerFrame;
        boolean l16 = "L16".equals(media.format());
        short[][] out = new short[channels][frames];
        for (int i = 0; i < frames; i++) {
            for (int c = 0; c < channels; c++) {
                if (l16) {
                    // L16 as the Genesys client sends it: little-endian 16-bit samples.
                    out[c][i] = Pcm16.sample(frame, (i * channels + c) * 2);
                } else {
                    out[c][i] = G711.ulawToLinear(frame[i * channels + c]);
                }
            }
        }
        int ext = media.channelIndex("external");
        int in = media.channelIndex("internal");
        return new AudioBlock(ext >= 0 ? out[ext] : new short[0], in >= 0 ? out[in] : new short[0],
                positionSamples, media.rate());
    }

    private void violation(String info) {
        if (state == State.ERROR_SIGNALED || state == State.CLOSED) {
            return;
        }
        send(new Disconnect(sessionIdForReply(), ++serverSeq, clientSeq, "error", "Client Error: " + info));
        state = State.ERROR_SIGNALED;
        listener.onError(-1, info);
    }

    private void serverFault(RuntimeException e) {
        if (state == State.ERROR_SIGNALED || state == State.CLOSED) {
            return;
        }
        if (e instanceof CallRejectedException rejected) {
            // the reason (an unknown agent, a call id in use) is for the log only: the client hears
            // "call refused", so it cannot probe the roster or which call ids are live
            System.getLogger(AudioHookSession.class.getName()).log(System.Logger.Level.INFO,
                    "AudioHook session {0}: call refused: {1}", LogSafe.quote(sessionId),
                    LogSafe.quote(rejected.getMessage()));
            send(new Disconnect(sessionIdForReply(), ++serverSeq, clientSeq, "error", "Client Error: call refused"));
            state = State.ERROR_SIGNALED;
            listener.onError(-1, rejected.getMessage());
            return;
        }
        System.getLogger(AudioHookSession.class.getName()).log(System.Logger.Level.ERROR,
                "AudioHook session " + LogSafe.quote(sessionId) + " failed", e);
        send(new Disconnect(sessionIdForReply(), ++serverSeq, clientSeq, "error", "Server error"));
        state = State.ERROR_SIGNALED;
    }

    private String sessionIdForReply() {
        return sessionId != null ? sessionId : "00000000-0000-0000-0000-000000000000";
    }

    private void send(ServerMessage message) {
        channel.sendText(codec.encode(message));
    }
}
