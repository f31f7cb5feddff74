package io.earshot.ingest.protocol.twilio;

import java.util.List;
import java.util.Map;

/**
 * The messages Twilio sends on a unidirectional Media Stream, one record per {@code event}.
 *
 * <p>Field names follow Twilio's "Media Streams - WebSocket Messages" page. On the wire
 * {@code sequenceNumber}, {@code chunk} and {@code timestamp} are JSON strings holding decimal
 * numbers; here they are {@code long}. Media payloads stay base64 text, exactly as received: the
 * {@link TwilioSession} decides what an undecodable payload means.
 */
public sealed interface Messages {

    /** The audio direction of a media message. */
    enum Track {
        /** Audio Twilio receives from the call leg that started the stream (the caller). */
        INBOUND("inbound"),
        /** Audio Twilio sends to that leg (the far end). */
        OUTBOUND("outbound");

        private final String wire;

        Track(String wire) {
            this.wire = wire;
        }

        /** The value used in {@code start.tracks} and {@code media.track}. */
        public String wire() {
            return wire;
        }

        /** The track for a wire value, or {@code null} when it names none. */
        static Track fromWire(String value) {
            for (Track t : values()) {
                if (t.wire.equals(value)) {
                    return t;
                }
            }
            return null;
        }
    }

    /** {@code start.mediaFormat}: Twilio sends {@code audio/x-mulaw}, 8000 Hz, mono. */
    record MediaFormat(String encoding, int sampleRate, int channels) {
        /** The only format Twilio Media Streams deliver. */
        public static final MediaFormat MULAW_8K_MONO = new MediaFormat("audio/x-mulaw", 8000, 1);
    }

    /** First message on the socket; it carries no sequence number and no stream id. */
    record Connected(String protocol, String version) implements Messages {
    }

    /** Stream metadata, sent once right after {@link Connected}. */
    record Start(long sequenceNumber, String streamSid, String accountSid, String callSid,
                 List<Track> tracks, Map<String, String> customParameters, MediaFormat mediaFormat)
            implements Messages {
        public Start {
            tracks = List.copyOf(tracks);
            customParameters = Map.copyOf(customParameters);
        }
    }

    /** One chunk of one track; {@code timestampMs} is milliseconds from the start of the stream. */
    record Media(long sequenceNumber, String streamSid, Track track, long chunk, long timestampMs,
                 String payload) implements Messages {
    }

    /** A named mark (bidirectional streams echo the marks the server sent). */
    record Mark(long sequenceNumber, String streamSid, String name) implements Messages {
    }

    /** A key press detected on the call; {@code track} is {@code inbound_track} in practice. */
    record Dtmf(long sequenceNumber, String streamSid, String track, String digit) implements Messages {
    }

    /** The stream has ended (call hung up or stream stopped). */
    record Stop(long sequenceNumber, String streamSid, String accountSid, String callSid) implements Messages {
    }
}
