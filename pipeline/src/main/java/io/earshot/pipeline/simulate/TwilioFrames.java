package io.earshot.pipeline.simulate;

import io.earshot.ingest.audio.G711;
import io.earshot.ingest.protocol.twilio.Messages.Connected;
import io.earshot.ingest.protocol.twilio.Messages.Media;
import io.earshot.ingest.protocol.twilio.Messages.MediaFormat;
import io.earshot.ingest.protocol.twilio.Messages.Start;
import io.earshot.ingest.protocol.twilio.Messages.Stop;
import io.earshot.ingest.protocol.twilio.Messages.Track;
import io.earshot.ingest.protocol.twilio.TwilioCodec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What Twilio puts on a {@code both_tracks} Media Stream, for one call: {@code connected},
 * {@code start} (sequence number 1), then per frame one {@code media} message per track, then
 * {@code stop}. Sequence numbers count every message after {@code connected}; chunk numbers count
 * per track from 1; timestamps are milliseconds of media time. Encoding goes through the ingest
 * module's {@link TwilioCodec}, so field names and number formats are the ones the server decodes.
 *
 * <p>Tracks follow the server's default {@code TwilioSessionConfig}: {@code inbound} is the caller
 * (the customer), {@code outbound} the agent. Not thread-safe: one instance per stream.
 */
public final class TwilioFrames {

    private final TwilioCodec codec = new TwilioCodec();
    private final String accountSid;
    private final String callSid;
    private final String streamSid;
    private long sequence;
    private long chunk;

    public TwilioFrames(String callId) {
        this.accountSid = sid("AC", "account");
        this.callSid = sid("CA", "call:" + callId);
        this.streamSid = sid("MZ", "stream:" + callId + ":" + UUID.randomUUID());
    }

    public String streamSid() {
        return streamSid;
    }

    public String connected() {
        return codec.encode(new Connected("Call", "1.0.0"));
    }

    /** {@code start}: both tracks, mu-law 8 kHz mono, the call's metadata as custom parameters. */
    public String start(SimulatedCall call) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("agentId", call.agentId());
        params.put("team", call.team());
        params.put("queue", call.queue());
        params.put("callId", call.callId());
        return codec.encode(new Start(++sequence, streamSid, accountSid, callSid,
                List.of(Track.INBOUND, Track.OUTBOUND), params, MediaFormat.MULAW_8K_MONO));
    }

    /**
     * The two media messages of samples {@code [from, to)}: inbound (customer) first, then outbound
     * (agent), with the next chunk number and the timestamp of {@code from}.
     */
    public List<String> media(short[] customer, short[] agent, int from, int to) {
        long timestampMs = from * 1000L / SimulatedCall.SAMPLE_RATE;
        chunk++;
        return List.of(
                codec.encode(new Media(++sequence, streamSid, Track.INBOUND, chunk, timestampMs,
                        payload(customer, from, to))),
                codec.encode(new Media(++sequence, streamSid, Track.OUTBOUND, chunk, timestampMs,
                        payload(agent, from, to))));
    }

    public String stop() {
        return codec.encode(new Stop(++sequence, streamSid, accountSid, callSid));
    }

    /** Base64 mu-law of samples {@code [from, to)}, as in {@code media.payload}. */
    public static String payload(short[] samples, int from, int to) {
        byte[] ulaw = new byte[to - from];
        for (int i = from; i < to; i++) {
            ulaw[i - from] = G711.linearToUlaw(samples[i]);
        }
        return Base64.getEncoder().encodeToString(ulaw);
    }

    /** A Twilio-shaped sid: two letters and 32 hex digits. */
    private static String sid(String prefix, String name) {
        return prefix + UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString().replace("-", "");
    }
}
