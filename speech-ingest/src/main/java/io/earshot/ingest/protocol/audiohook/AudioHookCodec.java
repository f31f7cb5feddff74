package io.earshot.ingest.protocol.audiohook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.earshot.ingest.protocol.audiohook.Messages.ClientError;
import io.earshot.ingest.protocol.audiohook.Messages.ClientMessage;
import io.earshot.ingest.protocol.audiohook.Messages.Close;
import io.earshot.ingest.protocol.audiohook.Messages.Closed;
import io.earshot.ingest.protocol.audiohook.Messages.Discarded;
import io.earshot.ingest.protocol.audiohook.Messages.Disconnect;
import io.earshot.ingest.protocol.audiohook.Messages.MediaFormat;
import io.earshot.ingest.protocol.audiohook.Messages.Open;
import io.earshot.ingest.protocol.audiohook.Messages.Opened;
import io.earshot.ingest.protocol.audiohook.Messages.Participant;
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
import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Pure JSON codec for AudioHook: client text frames to {@link ClientMessage} records, server
 * records to text frames, and the ISO-8601 durations ({@code "PT12.34S"}) the protocol uses for
 * stream positions.
 *
 * <p>Decoding is strict: wrong version, a non-UUID id, a missing or non-integer sequence number,
 * an unparseable position, missing required parameters or a type that is not a client message
 * all fail with {@link AudioHookDecodeException}, which the session turns into a
 * {@code disconnect} with reason {@code error}. Unknown extra parameters are tolerated, because
 * the specification lets Genesys add optional parameters without a version change.
 */
public final class AudioHookCodec {

    private static final Pattern UUID_PATTERN =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final ObjectMapper mapper = new ObjectMapper();

    /** Decodes one client text frame. */
    public ClientMessage decodeClient(String json) throws AudioHookDecodeException {
        JsonNode root;
        try {
            root = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new AudioHookDecodeException("Text message not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new AudioHookDecodeException("Text message is not a JSON object");
        }
        if (!Messages.VERSION.equals(text(root, "version"))) {
            throw new AudioHookDecodeException("Unsupported protocol version: " + root.get("version"));
        }
        String id = text(root, "id");
        if (id == null || !UUID_PATTERN.matcher(id).matches()) {
            throw new AudioHookDecodeException("Missing or invalid 'id' (must be a UUID)");
        }
        String type = text(root, "type");
        if (type == null) {
            throw new AudioHookDecodeException("Missing 'type'");
        }
        long seq = sequence(root, "seq", 1);
        long serverseq = sequence(root, "serverseq", 0);
        Duration position = parseDuration(requiredText(root, "position"), "position");
        JsonNode p = root.get("parameters");
        if (p == null || !p.isObject()) {
            throw new AudioHookDecodeException("Missing 'parameters' object");
        }
        switch (type) {
            case "open":
                return new Open(id, seq, serverseq, position,
                        requiredText(p, "organizationId"), requiredText(p, "conversationId"),
                        participant(p.get("participant")), media(p.get("media")),
                        text(p, "language"), p.has("customConfig") ? p.get("customConfig").deepCopy() : null);
            case "ping":
                return new Ping(id, seq, serverseq, position, optionalDuration(p, "rtt"));
            case "paused":
                return new Paused(id, seq, serverseq, position);
            case "resumed":
                return new Resumed(id, seq, serverseq, position,
                        parseDuration(requiredText(p, "start"), "start"),
                        parseDuration(requiredText(p, "discarded"), "discarded"));
            case "discarded":
                return new Discarded(id, seq, serverseq, position,
                        parseDuration(requiredText(p, "start"), "start"),
                        parseDuration(requiredText(p, "discarded"), "discarded"));
            case "update":
                return new Update(id, seq, serverseq, position, requiredText(p, "language"));
            case "error":
                JsonNode code = p.get("code");
                if (code == null || !code.canConvertToInt() || !code.isIntegralNumber()) {
                    throw new AudioHookDecodeException("Invalid 'error' message: missing integer 'code'");
                }
                return new ClientError(id, seq, serverseq, position, code.intValue(),
                        requiredText(p, "message"), optionalDuration(p, "retryAfter"));
            case "close":
                String reason = requiredText(p, "reason");
                if (!List.of("end", "error", "disconnect", "reconnect").contains(reason)) {
                    throw new AudioHookDecodeException("Invalid 'close' reason: " + reason);
                }
                return new Close(id, seq, serverseq, position, reason);
            default:
                throw new AudioHookDecodeException("'" + type + "' is not a supported client message");
        }
    }

    /** Encodes one server message as a text frame. */
    public String encode(ServerMessage message) {
        ObjectNode root = mapper.createObjectNode();
        root.put("version", Messages.VERSION);
        root.put("type", message.type());
        root.put("seq", message.seq());
        root.put("clientseq", message.clientseq());
        root.put("id", message.id());
        ObjectNode p = root.putObject("parameters");
        if (message instanceof Opened o) {
            ArrayNode media = p.putArray("media");
            if (o.media() != null) {
                ObjectNode m = media.addObject();
                m.put("type", o.media().type());
                m.put("format", o.media().format());
                ArrayNode channels = m.putArray("channels");
                o.media().channels().forEach(channels::add);
                m.put("rate", o.media().rate());
            }
            p.put("startPaused", o.startPaused());
        } else if (message instanceof Disconnect d) {
            p.put("reason", d.reason());
            if (d.info() != null) {
                p.put("info", d.info());
            }
        } else if (message instanceof Reconnect r) {
            if (r.info() != null) {
                p.put("info", r.info());
            }
        } else if (!(message instanceof Pong || message instanceof Pause || message instanceof Resume
                || message instanceof Updated || message instanceof Closed)) {
            throw new IllegalStateException("unhandled server message " + message);
        }
        return root.toString();
    }

    /**
     * Parses an ISO-8601 duration as AudioHook writes it ({@code "PT0S"}, {@code "PT12.34S"},
     * {@code "PT1M2.5S"}); negative durations are rejected because positions never go back.
     */
    public static Duration parseDuration(String text) {
        Duration d = Duration.parse(text);
        if (d.isNegative()) {
            throw new DateTimeParseException("negative duration", text, 0);
        }
        return d;
    }

    /** Formats a duration the way AudioHook peers do: seconds only, no trailing zeros ({@code "PT12.34S"}). */
    public static String formatDuration(Duration duration) {
        BigDecimal seconds = BigDecimal.valueOf(duration.getSeconds())
                .add(BigDecimal.valueOf(duration.getNano(), 9))
                .stripTrailingZeros();
        return "PT" + seconds.toPlainString() + "S";
    }

    /** The duration of {@code samples} sample frames at {@code rate} Hz. */
    public static Duration samplesToDuration(long samples, int rate) {
        return Duration.ofSeconds(samples / rate, (samples % rate) * 1_000_000_000L / rate);
    }

    /** The number of sample frames in {@code duration} at {@code rate} Hz, rounded to the nearest. */
    public static long durationToSamples(Duration duration, int rate) {
        BigDecimal seconds = BigDecimal.valueOf(duration.getSeconds()).add(BigDecimal.valueOf(duration.getNano(), 9));
        return seconds.multiply(BigDecimal.valueOf(rate)).setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
    }

    private static Duration parseDuration(String text, String field) throws AudioHookDecodeException {
        try {
            return parseDuration(text);
        } catch (DateTimeParseException e) {
            throw new AudioHookDecodeException("Invalid duration in '" + field + "': " + text);
        }
    }

    private static Duration optionalDuration(JsonNode node, String field) throws AudioHookDecodeException {
        String value = text(node, field);
        return value == null ? null : parseDuration(value, field);
    }

    private static long sequence(JsonNode root, String field, long min) throws AudioHookDecodeException {
        JsonNode n = root.get(field);
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < min) {
            throw new AudioHookDecodeException("Missing or invalid '" + field + "'");
        }
        return n.longValue();
    }

    private static Participant participant(JsonNode n) throws AudioHookDecodeException {
        if (n == null || !n.isObject()) {
            throw new AudioHookDecodeException("Invalid 'open' message: missing 'participant'");
        }
        return new Participant(text(n, "id"), text(n, "ani"), text(n, "aniName"), text(n, "dnis"));
    }

    private static List<MediaFormat> media(JsonNode n) throws AudioHookDecodeException {
        if (n == null || !n.isArray()) {
            throw new AudioHookDecodeException("Invalid 'open' message: 'media' must be an array");
        }
        List<MediaFormat> offered = new ArrayList<>();
        for (JsonNode m : n) {
            JsonNode channels = m.get("channels");
            JsonNode rate = m.get("rate");
            if (!m.isObject() || channels == null || !channels.isArray() || rate == null || !rate.isInt()) {
                throw new AudioHookDecodeException("Invalid 'open' message: malformed media entry " + m);
            }
            List<String> names = new ArrayList<>();
            for (JsonNode c : channels) {
                if (!c.isTextual()) {
                    throw new AudioHookDecodeException("Invalid 'open' message: channel names must be strings");
                }
                names.add(c.textValue());
            }
            offered.add(new MediaFormat(requiredText(m, "type"), requiredText(m, "format"), names, rate.intValue()));
        }
        return offered;
    }

    private static String requiredText(JsonNode node, String field) throws AudioHookDecodeException {
        String value = text(node, field);
        if (value == null) {
            throw new AudioHookDecodeException("Missing or non-string '" + field + "'");
        }
        return value;
    }

    private static String text(JsonNode node, String field) {
        JsonNode n = node.get(field);
        return n != null && n.isTextual() ? n.textValue() : null;
    }
}
