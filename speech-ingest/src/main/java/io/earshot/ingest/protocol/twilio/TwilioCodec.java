package io.earshot.ingest.protocol.twilio;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.earshot.ingest.protocol.twilio.Messages.Connected;
import io.earshot.ingest.protocol.twilio.Messages.Dtmf;
import io.earshot.ingest.protocol.twilio.Messages.Mark;
import io.earshot.ingest.protocol.twilio.Messages.Media;
import io.earshot.ingest.protocol.twilio.Messages.MediaFormat;
import io.earshot.ingest.protocol.twilio.Messages.Start;
import io.earshot.ingest.protocol.twilio.Messages.Stop;
import io.earshot.ingest.protocol.twilio.Messages.Track;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Twilio Media Streams JSON to {@link Messages} and back. Pure and stateless.
 *
 * <p>Strict where it matters: an unknown {@code event}, a missing or mistyped required field, a
 * non-numeric sequence number, chunk or timestamp, or an unknown media track is a
 * {@link TwilioDecodeException}. Fields this codec does not use are ignored, so additions on
 * Twilio's side do not break running streams. Numbers are accepted as Twilio sends them (decimal
 * strings) and as JSON integers; {@link #encode} writes them as strings, like Twilio.
 */
public final class TwilioCodec {

    private final ObjectMapper mapper = new ObjectMapper();

    /** Decodes one text frame. */
    public Messages decode(String text) throws TwilioDecodeException {
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new TwilioDecodeException("not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new TwilioDecodeException("not a JSON object");
        }
        String event = text(root, "event");
        return switch (event) {
            case "connected" -> new Connected(text(root, "protocol"), text(root, "version"));
            case "start" -> decodeStart(root);
            case "media" -> {
                JsonNode media = object(root, "media");
                String trackName = text(media, "track");
                Track track = Track.fromWire(trackName);
                if (track == null) {
                    throw new TwilioDecodeException("unknown media.track '" + trackName + "'");
                }
                yield new Media(number(root, "sequenceNumber"), text(root, "streamSid"), track,
                        number(media, "chunk"), number(media, "timestamp"), text(media, "payload"));
            }
            case "mark" -> new Mark(number(root, "sequenceNumber"), text(root, "streamSid"),
                    text(object(root, "mark"), "name"));
            case "dtmf" -> {
                JsonNode dtmf = object(root, "dtmf");
                yield new Dtmf(number(root, "sequenceNumber"), text(root, "streamSid"),
                        text(dtmf, "track"), text(dtmf, "digit"));
            }
            case "stop" -> {
                JsonNode stop = object(root, "stop");
                yield new Stop(number(root, "sequenceNumber"), text(root, "streamSid"),
                        text(stop, "accountSid"), text(stop, "callSid"));
            }
            default -> throw new TwilioDecodeException("unknown event '" + event + "'");
        };
    }

    /** Encodes a message the way Twilio sends it (used by tests and replay tools). */
    public String encode(Messages message) {
        ObjectNode root = mapper.createObjectNode();
        if (message instanceof Connected c) {
            root.put("event", "connected");
            root.put("protocol", c.protocol());
            root.put("version", c.version());
        } else if (message instanceof Start s) {
            root.put("event", "start");
            root.put("sequenceNumber", Long.toString(s.sequenceNumber()));
            ObjectNode start = root.putObject("start");
            start.put("accountSid", s.accountSid());
            start.put("streamSid", s.streamSid());
            start.put("callSid", s.callSid());
            ArrayNode tracks = start.putArray("tracks");
            s.tracks().forEach(t -> tracks.add(t.wire()));
            ObjectNode params = start.putObject("customParameters");
            s.customParameters().forEach(params::put);
            ObjectNode format = start.putObject("mediaFormat");
            format.put("encoding", s.mediaFormat().encoding());
            format.put("sampleRate", s.mediaFormat().sampleRate());
            format.put("channels", s.mediaFormat().channels());
            root.put("streamSid", s.streamSid());
        } else if (message instanceof Media m) {
            root.put("event", "media");
            root.put("sequenceNumber", Long.toString(m.sequenceNumber()));
            ObjectNode media = root.putObject("media");
            media.put("track", m.track().wire());
            media.put("chunk", Long.toString(m.chunk()));
            media.put("timestamp", Long.toString(m.timestampMs()));
            media.put("payload", m.payload());
            root.put("streamSid", m.streamSid());
        } else if (message instanceof Mark k) {
            root.put("event", "mark");
            root.put("sequenceNumber", Long.toString(k.sequenceNumber()));
            root.put("streamSid", k.streamSid());
            root.putObject("mark").put("name", k.name());
        } else if (message instanceof Dtmf d) {
            root.put("event", "dtmf");
            root.put("streamSid", d.streamSid());
            root.put("sequenceNumber", Long.toString(d.sequenceNumber()));
            ObjectNode dtmf = root.putObject("dtmf");
            dtmf.put("track", d.track());
            dtmf.put("digit", d.digit());
        } else if (message instanceof Stop s) {
            root.put("event", "stop");
            root.put("sequenceNumber", Long.toString(s.sequenceNumber()));
            ObjectNode stop = root.putObject("stop");
            stop.put("accountSid", s.accountSid());
            stop.put("callSid", s.callSid());
            root.put("streamSid", s.streamSid());
        }
        return root.toString();
    }

    private static Start decodeStart(JsonNode root) throws TwilioDecodeException {
        JsonNode start = object(root, "start");
        String streamSid = text(start, "streamSid");
        JsonNode outer = root.get("streamSid");
        if (outer != null && !(outer.isTextual() && outer.asText().equals(streamSid))) {
            throw new TwilioDecodeException("streamSid differs from start.streamSid");
        }
        JsonNode tracksNode = start.get("tracks");
        if (tracksNode == null || !tracksNode.isArray() || tracksNode.isEmpty()) {
            throw new TwilioDecodeException("start.tracks must be a non-empty array");
        }
        List<Track> tracks = new ArrayList<>();
        for (JsonNode t : tracksNode) {
            Track track = t.isTextual() ? Track.fromWire(t.asText()) : null;
            if (track == null) {
                throw new TwilioDecodeException("unknown track " + t + " in start.tracks");
            }
            if (!tracks.contains(track)) {
                tracks.add(track);
            }
        }
        Map<String, String> params = new LinkedHashMap<>();
        JsonNode paramsNode = start.get("customParameters");
        if (paramsNode != null && !paramsNode.isNull()) {
            if (!paramsNode.isObject()) {
                throw new TwilioDecodeException("start.customParameters must be an object");
            }
            for (Map.Entry<String, JsonNode> field : paramsNode.properties()) {
                if (!field.getValue().isValueNode() || field.getValue().isNull()) {
                    throw new TwilioDecodeException("custom parameter '" + field.getKey() + "' is not a value");
                }
                params.put(field.getKey(), field.getValue().asText());
            }
        }
        JsonNode format = object(start, "mediaFormat");
        MediaFormat mediaFormat = new MediaFormat(text(format, "encoding"),
                (int) integer(format, "sampleRate"), (int) integer(format, "channels"));
        return new Start(number(root, "sequenceNumber"), streamSid, text(start, "accountSid"),
                text(start, "callSid"), tracks, params, mediaFormat);
    }

    private static JsonNode object(JsonNode parent, String field) throws TwilioDecodeException {
        JsonNode node = parent.get(field);
        if (node == null || !node.isObject()) {
            throw new TwilioDecodeException("missing object '" + field + "'");
        }
        return node;
    }

    private static String text(JsonNode parent, String field) throws TwilioDecodeException {
        JsonNode node = parent.get(field);
        if (node == null || !node.isTextual()) {
            throw new TwilioDecodeException("missing string '" + field + "'");
        }
        return node.asText();
    }

    /** A decimal string (Twilio's form) or a JSON integer, at least 0. */
    private static long number(JsonNode parent, String field) throws TwilioDecodeException {
        JsonNode node = parent.get(field);
        if (node != null && node.isTextual()) {
            String s = node.asText();
            if (!s.isEmpty() && s.length() <= 18 && s.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
                return Long.parseLong(s);
            }
        } else if (node != null && node.isIntegralNumber() && node.canConvertToLong() && node.asLong() >= 0) {
            return node.asLong();
        }
        throw new TwilioDecodeException("'" + field + "' is not a non-negative number");
    }

    /** A JSON integer (Twilio's form for mediaFormat) that fits an int. */
    private static long integer(JsonNode parent, String field) throws TwilioDecodeException {
        JsonNode node = parent.get(field);
        if (node == null || !node.isIntegralNumber() || !node.canConvertToInt()) {
            throw new TwilioDecodeException("'" + field + "' is not an integer");
        }
        return node.asInt();
    }
}
