package io.earshot.pipeline.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.earshot.ingest.audio.G711;
import io.earshot.ingest.protocol.audiohook.AudioHookAuth;
import io.earshot.ingest.protocol.audiohook.AudioHookCodec;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What an AudioHook client (Genesys Cloud) puts on the wire, as pure functions: the signed upgrade
 * headers, the client's JSON messages (version "2") and the binary audio frames.
 *
 * <p>The media offered is the one Genesys offers for a conversation: PCMU, 8000 Hz, stereo with
 * {@code external} (the customer) first and {@code internal} (the agent) second, so every audio
 * frame interleaves customer, agent, customer, agent, ... one mu-law byte each.
 */
public final class AudioHookFrames {

    /** The channel order offered in {@code open} and used in every audio frame. */
    public static final List<String> CHANNELS = List.of("external", "internal");

    private static final ObjectMapper JSON = new ObjectMapper();

    private AudioHookFrames() {
    }

    /**
     * The upgrade headers Genesys sends, signed per RFC 9421 with HMAC-SHA256 keyed by the
     * base64-decoded client secret, covering {@link AudioHookAuth#REQUIRED_COMPONENTS}. An empty
     * secret sends no signature (an API key configured with an empty secret needs none).
     */
    public static Map<String, String> upgradeHeaders(URI uri, String organizationId, String sessionId, String correlationId,
                                              String apiKey, String clientSecret, Instant now, String nonce) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Audiohook-Organization-Id", organizationId);
        h.put("Audiohook-Correlation-Id", correlationId);
        h.put("Audiohook-Session-Id", sessionId);
        h.put("X-API-KEY", apiKey);
        if (clientSecret == null || clientSecret.isEmpty()) {
            return h;
        }
        StringBuilder components = new StringBuilder("(");
        for (String c : AudioHookAuth.REQUIRED_COMPONENTS) {
            components.append(components.length() > 1 ? " " : "").append('"').append(c).append('"');
        }
        String params = components.append(')') + ";keyid=\"" + apiKey + "\";nonce=\"" + nonce
                + "\";alg=\"hmac-sha256\";created=" + now.getEpochSecond() + ";expires=" + (now.getEpochSecond() + 10);
        Map<String, String> signed = new LinkedHashMap<>(h);
        // The JDK client sends Host itself, as the URI's authority.
        signed.put("Host", uri.getRawAuthority());
        String target = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            target += "?" + uri.getRawQuery();
        }
        String base = AudioHookAuth.signatureBase(AudioHookAuth.REQUIRED_COMPONENTS, params, "GET", target, signed);
        byte[] mac = AudioHookAuth.hmacSha256(Base64.getDecoder().decode(clientSecret), base);
        h.put("Signature-Input", "sig1=" + params);
        h.put("Signature", "sig1=:" + Base64.getEncoder().encodeToString(mac) + ":");
        return h;
    }

    /**
     * {@code open} at position PT0S, offering stereo PCMU at 8 kHz; the call's metadata in
     * customConfig. A call with a blank agent id is opened as a Genesys AudioHook Monitor
     * integration opens every call: its customConfig names no agent and no call id, so the server
     * takes the conversation id ({@link #conversationId}) as the call id and its default agent.
     */
    public static String open(String sessionId, String organizationId, SimulatedCall call) {
        ObjectNode p = JSON.createObjectNode();
        p.put("organizationId", organizationId);
        p.put("conversationId", conversationId(call.callId()));
        ObjectNode participant = p.putObject("participant");
        participant.put("id", UUID.nameUUIDFromBytes(("participant:" + call.callId()).getBytes()).toString());
        participant.put("ani", "+15555550100");
        participant.put("aniName", "Simulated Customer");
        participant.put("dnis", "+18005550199");
        ObjectNode media = p.putArray("media").addObject();
        media.put("type", "audio");
        media.put("format", "PCMU");
        CHANNELS.forEach(media.putArray("channels")::add);
        media.put("rate", SimulatedCall.SAMPLE_RATE);
        p.put("language", "en-US");
        ObjectNode custom = p.putObject("customConfig");
        if (!call.agentId().isBlank()) {
            custom.put("agentId", call.agentId());
            custom.put("callId", call.callId());
        }
        if (!call.team().isBlank()) {
            custom.put("team", call.team());
        }
        if (!call.queue().isBlank()) {
            custom.put("queue", call.queue());
        }
        return message("open", 1, 0, sessionId, Duration.ZERO, p);
    }

    /** {@code ping}, with the last measured round trip when there is one. */
    public static String ping(String sessionId, long seq, long serverSeq, Duration position, Duration rtt) {
        ObjectNode p = JSON.createObjectNode();
        if (rtt != null) {
            p.put("rtt", AudioHookCodec.formatDuration(rtt));
        }
        return message("ping", seq, serverSeq, sessionId, position, p);
    }

    /** {@code close} with reason "end", "error", "disconnect" or "reconnect". */
    public static String close(String sessionId, long seq, long serverSeq, Duration position, String reason) {
        ObjectNode p = JSON.createObjectNode();
        p.put("reason", reason);
        return message("close", seq, serverSeq, sessionId, position, p);
    }

    /** {@code paused}: the client's answer to the server's {@code pause}. */
    static String paused(String sessionId, long seq, long serverSeq, Duration position) {
        return message("paused", seq, serverSeq, sessionId, position, JSON.createObjectNode());
    }

    /** {@code resumed}: audio continues from {@code position}; nothing was discarded (the simulator holds it). */
    static String resumed(String sessionId, long seq, long serverSeq, Duration position) {
        ObjectNode p = JSON.createObjectNode();
        p.put("start", AudioHookCodec.formatDuration(position));
        p.put("discarded", "PT0S");
        return message("resumed", seq, serverSeq, sessionId, position, p);
    }

    /** The conversation id for a call id: a name-based UUID, so the same call id maps to the same conversation. */
    public static String conversationId(String callId) {
        return UUID.nameUUIDFromBytes(("conversation:" + callId).getBytes()).toString();
    }

    /**
     * One binary frame: samples {@code [from, to)} of both channels as interleaved mu-law,
     * customer (external) first, then agent (internal).
     */
    public static byte[] audio(short[] customer, short[] agent, int from, int to) {
        byte[] frame = new byte[2 * (to - from)];
        for (int i = from, at = 0; i < to; i++) {
            frame[at++] = G711.linearToUlaw(customer[i]);
            frame[at++] = G711.linearToUlaw(agent[i]);
        }
        return frame;
    }

    /** A server message as far as the client needs it. */
    public record ServerMessage(String type, long seq, long clientseq, String reason, String info) {
    }

    /** Parses a server text frame; throws IllegalArgumentException when it is not an AudioHook message. */
    public static ServerMessage parseServer(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("server sent text that is not JSON: " + abbreviate(json));
        }
        if (root == null || !root.isObject() || !root.path("type").isTextual() || !root.path("seq").canConvertToLong()) {
            throw new IllegalArgumentException("server sent a message without type/seq: " + abbreviate(json));
        }
        JsonNode p = root.path("parameters");
        return new ServerMessage(root.get("type").asText(), root.get("seq").asLong(), root.path("clientseq").asLong(),
                p.path("reason").isTextual() ? p.get("reason").asText() : null,
                p.path("info").isTextual() ? p.get("info").asText() : null);
    }

    private static String message(String type, long seq, long serverSeq, String id, Duration position, ObjectNode p) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "2");
        root.put("type", type);
        root.put("seq", seq);
        root.put("serverseq", serverSeq);
        root.put("id", id);
        root.put("position", AudioHookCodec.formatDuration(position));
        root.set("parameters", p);
        return root.toString();
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
