package io.earshot.ingest.protocol.audiohook;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Every AudioHook protocol message (version "2"), one record per message type.
 *
 * <p>Client messages (sent by Genesys Cloud) carry {@code serverseq}, the last server sequence
 * number the client has seen, and {@code position}, the client's position in the audio stream.
 * Server messages carry {@code clientseq}, the last client sequence number the server has
 * processed. Both sides number their own messages {@code seq} = 1, 2, 3, ... Audio is not a
 * message: it arrives as binary WebSocket frames.
 *
 * <p>Note the direction of the pause family, which the specification fixes: the server
 * <em>asks</em> with {@link Pause}/{@link Resume}; the client <em>reports</em> with
 * {@link Paused}/{@link Resumed} (and with {@link Discarded} for audio it dropped).
 */
public sealed interface Messages permits Messages.ClientMessage, Messages.ServerMessage {

    /** The only protocol version this adapter speaks. */
    String VERSION = "2";

    /** The session id (a UUID, the same as the {@code Audiohook-Session-Id} request header). */
    String id();

    /** This sender's message sequence number, starting at 1. */
    long seq();

    /** The JSON {@code type} value. */
    String type();

    /** A message sent by the client (Genesys Cloud). */
    sealed interface ClientMessage extends Messages
            permits Open, Ping, Paused, Resumed, Discarded, Update, ClientError, Close {
        long serverseq();

        Duration position();
    }

    /** A message sent by this server. */
    sealed interface ServerMessage extends Messages
            permits Opened, Pong, Pause, Resume, Updated, Disconnect, Reconnect, Closed {
        long clientseq();
    }

    /** One media format: type "audio", format "PCMU" or "L16", channel names in interleave order, rate in Hz. */
    record MediaFormat(String type, String format, List<String> channels, int rate) {
        public MediaFormat {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(format, "format");
            channels = List.copyOf(channels);
        }

        /** Index of {@code name} in the interleaved frame, or -1 when the channel is absent. */
        public int channelIndex(String name) {
            return channels.indexOf(name);
        }
    }

    /** The customer-side participant of the conversation (ANI/DNIS as Genesys reports them). */
    record Participant(String id, String ani, String aniName, String dnis) {
    }

    // ---- client -> server ------------------------------------------------------------------

    /** Starts the open transaction; offers one or more media formats. */
    record Open(String id, long seq, long serverseq, Duration position,
                String organizationId, String conversationId, Participant participant,
                List<MediaFormat> media, String language, JsonNode customConfig) implements ClientMessage {
        public Open {
            media = List.copyOf(media);
        }

        @Override
        public String type() {
            return "open";
        }
    }

    /** Keep-alive; {@code rtt} is the client's last measured round trip, or null. */
    record Ping(String id, long seq, long serverseq, Duration position, Duration rtt) implements ClientMessage {
        @Override
        public String type() {
            return "ping";
        }
    }

    /** The client has paused the audio stream (its own pause or in answer to {@link Pause}). */
    record Paused(String id, long seq, long serverseq, Duration position) implements ClientMessage {
        @Override
        public String type() {
            return "paused";
        }
    }

    /** The client resumed; audio from {@code start} for {@code discarded} was not sent. */
    record Resumed(String id, long seq, long serverseq, Duration position,
                   Duration start, Duration discarded) implements ClientMessage {
        @Override
        public String type() {
            return "resumed";
        }
    }

    /** The client dropped audio (e.g. backpressure) from {@code start} for {@code discarded}. */
    record Discarded(String id, long seq, long serverseq, Duration position,
                     Duration start, Duration discarded) implements ClientMessage {
        @Override
        public String type() {
            return "discarded";
        }
    }

    /** The conversation language changed. */
    record Update(String id, long seq, long serverseq, Duration position, String language) implements ClientMessage {
        @Override
        public String type() {
            return "update";
        }
    }

    /** The client reports an error (HTTP-like {@code code}); {@code retryAfter} may be null. */
    record ClientError(String id, long seq, long serverseq, Duration position,
                       int code, String message, Duration retryAfter) implements ClientMessage {
        @Override
        public String type() {
            return "error";
        }
    }

    /** Starts the close transaction; reason is "end", "error", "disconnect" or "reconnect". */
    record Close(String id, long seq, long serverseq, Duration position, String reason) implements ClientMessage {
        @Override
        public String type() {
            return "close";
        }
    }

    // ---- server -> client ------------------------------------------------------------------

    /** Completes the open transaction with the one selected media format. */
    record Opened(String id, long seq, long clientseq, MediaFormat media, boolean startPaused) implements ServerMessage {
        @Override
        public String type() {
            return "opened";
        }
    }

    /** Answer to {@link Ping}. */
    record Pong(String id, long seq, long clientseq) implements ServerMessage {
        @Override
        public String type() {
            return "pong";
        }
    }

    /** Server asks the client to pause the audio stream. */
    record Pause(String id, long seq, long clientseq) implements ServerMessage {
        @Override
        public String type() {
            return "pause";
        }
    }

    /** Server asks the client to end a server-initiated pause. */
    record Resume(String id, long seq, long clientseq) implements ServerMessage {
        @Override
        public String type() {
            return "resume";
        }
    }

    /** Acknowledges {@link Update}. */
    record Updated(String id, long seq, long clientseq) implements ServerMessage {
        @Override
        public String type() {
            return "updated";
        }
    }

    /**
     * Server asks the client to end the session; reason is "completed", "unauthorized" or
     * "error". This is also how the server reports a protocol violation: the client then runs
     * the close transaction.
     */
    record Disconnect(String id, long seq, long clientseq, String reason, String info) implements ServerMessage {
        @Override
        public String type() {
            return "disconnect";
        }
    }

    /** Server asks the client to reconnect (to another instance). */
    record Reconnect(String id, long seq, long clientseq, String info) implements ServerMessage {
        @Override
        public String type() {
            return "reconnect";
        }
    }

    /** Completes the close transaction; the last message of a session. */
    record Closed(String id, long seq, long clientseq) implements ServerMessage {
        @Override
        public String type() {
            return "closed";
        }
    }
}
