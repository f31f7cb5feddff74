package io.earshot.pipeline.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.earshot.ingest.audio.G711;
import io.earshot.ingest.protocol.twilio.TwilioChannel;
import io.earshot.ingest.protocol.twilio.TwilioListener;
import io.earshot.ingest.protocol.twilio.TwilioSession;
import io.earshot.ingest.protocol.twilio.TwilioSessionConfig;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The Twilio client's message sequence, read back as JSON and replayed into the server's own
 * {@link TwilioSession} (default config: outbound = agent), so payloads, numbering and track
 * mapping are checked against what the ingest server accepts.
 */
class TwilioFramesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FRAME = 160; // 20 ms

    private final Random random = new Random(7);
    private final short[] agent = noise(1000); // 6 full frames and a 40-sample tail
    private final short[] customer = noise(1000);
    private final SimulatedCall call = new SimulatedCall("delivery-2", "agent-2", "team-a", "queue-b",
            new SimulatedCall.Recording("delivery", agent, customer));

    @Test
    void shouldCarryEachTracksSamplesAsBase64MuLawInboundCustomerOutboundAgent() throws Exception {
        List<JsonNode> media = new ArrayList<>();
        for (String m : stream(new TwilioFrames(call.callId()))) {
            JsonNode node = JSON.readTree(m);
            if (node.get("event").asText().equals("media")) {
                media.add(node);
            }
        }

        assertThat(media).hasSize(14);
        assertThat(decodeTrack(media, "inbound")).containsExactly(roundTrip(customer));
        assertThat(decodeTrack(media, "outbound")).containsExactly(roundTrip(agent));
    }

    @Test
    void shouldNumberMessagesStrictlyIncreasingWithPerTrackChunksAndMediaTimestamps() throws Exception {
        List<String> messages = stream(new TwilioFrames(call.callId()));
        List<Long> sequence = new ArrayList<>();
        List<Long> inboundChunks = new ArrayList<>();
        List<Long> outboundTimestamps = new ArrayList<>();
        for (String m : messages.subList(1, messages.size())) {
            JsonNode node = JSON.readTree(m);
            sequence.add(Long.parseLong(node.get("sequenceNumber").asText()));
            if (node.path("media").path("track").asText().equals("inbound")) {
                inboundChunks.add(Long.parseLong(node.at("/media/chunk").asText()));
            }
            if (node.path("media").path("track").asText().equals("outbound")) {
                outboundTimestamps.add(Long.parseLong(node.at("/media/timestamp").asText()));
            }
        }

        assertThat(JSON.readTree(messages.get(0)).get("event").asText()).isEqualTo("connected");
        assertThat(sequence).hasSize(messages.size() - 1);
        for (int i = 0; i < sequence.size(); i++) {
            assertThat(sequence.get(i)).isEqualTo(i + 1L);
        }
        assertThat(inboundChunks).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(outboundTimestamps).containsExactly(0L, 20L, 40L, 60L, 80L, 100L, 120L);
    }

    @Test
    void shouldStartWithMuLawBothTracksAndTheCallsMetadata() throws Exception {
        JsonNode start = JSON.readTree(new TwilioFrames(call.callId()).start(call));

        assertThat(start.get("event").asText()).isEqualTo("start");
        assertThat(start.at("/start/tracks").toString()).isEqualTo("[\"inbound\",\"outbound\"]");
        assertThat(start.at("/start/mediaFormat/encoding").asText()).isEqualTo("audio/x-mulaw");
        assertThat(start.at("/start/mediaFormat/sampleRate").asInt()).isEqualTo(8000);
        assertThat(start.at("/start/mediaFormat/channels").asInt()).isEqualTo(1);
        assertThat(start.at("/start/customParameters/agentId").asText()).isEqualTo("agent-2");
        assertThat(start.at("/start/customParameters/team").asText()).isEqualTo("team-a");
        assertThat(start.at("/start/customParameters/queue").asText()).isEqualTo("queue-b");
        assertThat(start.at("/start/streamSid").asText()).matches("MZ[0-9a-f]{32}");
        assertThat(start.at("/start/callSid").asText()).matches("CA[0-9a-f]{32}");
    }

    @Test
    void shouldBeAcceptedByTheServerSessionWithAgentAndCustomerOnTheRightSide() {
        Recorder recorder = new Recorder();
        List<String> closes = new ArrayList<>();
        TwilioSession session = new TwilioSession(new TwilioChannel() {
            @Override
            public void sendText(String text) {
            }

            @Override
            public void close(int code, String reason) {
                closes.add(code + " " + reason);
            }
        }, recorder, Clock.systemUTC(), TwilioSessionConfig.defaults());

        stream(new TwilioFrames(call.callId())).forEach(session::onText);

        assertThat(closes).isEmpty();
        assertThat(recorder.errors).isEmpty();
        assertThat(session.state()).isEqualTo(TwilioSession.State.STOPPED);
        assertThat(recorder.params).containsEntry("agentId", "agent-2").containsEntry("callId", "delivery-2");
        assertThat(recorder.agent.toArray()).containsExactly(boxed(roundTrip(agent)));
        assertThat(recorder.customer.toArray()).containsExactly(boxed(roundTrip(customer)));
    }

    private List<String> stream(TwilioFrames frames) {
        List<String> out = new ArrayList<>();
        out.add(frames.connected());
        out.add(frames.start(call));
        for (int from = 0; from < agent.length; from += FRAME) {
            out.addAll(frames.media(customer, agent, from, Math.min(agent.length, from + FRAME)));
        }
        out.add(frames.stop());
        return out;
    }

    private static short[] decodeTrack(List<JsonNode> media, String track) {
        List<Short> samples = new ArrayList<>();
        for (JsonNode m : media) {
            if (m.at("/media/track").asText().equals(track)) {
                for (byte b : Base64.getDecoder().decode(m.at("/media/payload").asText())) {
                    samples.add(G711.ulawToLinear(b));
                }
            }
        }
        short[] out = new short[samples.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = samples.get(i);
        }
        return out;
    }

    private short[] noise(int n) {
        short[] s = new short[n];
        for (int i = 0; i < n; i++) {
            s[i] = (short) (random.nextInt(40_000) - 20_000);
        }
        return s;
    }

    static short[] roundTrip(short[] samples) {
        short[] out = new short[samples.length];
        for (int i = 0; i < samples.length; i++) {
            out[i] = G711.ulawToLinear(G711.linearToUlaw(samples[i]));
        }
        return out;
    }

    private static Object[] boxed(short[] s) {
        Object[] out = new Object[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = s[i];
        }
        return out;
    }

    private static final class Recorder implements TwilioListener {
        final List<Short> agent = new ArrayList<>();
        final List<Short> customer = new ArrayList<>();
        final List<String> errors = new ArrayList<>();
        Map<String, String> params;

        @Override
        public void onStart(String callSid, String streamSid, Map<String, String> customParameters) {
            params = customParameters;
        }

        @Override
        public void onAudio(short[] a, short[] c, long positionSamples) {
            assertThat(positionSamples).isEqualTo(agent.size());
            for (short s : a) {
                agent.add(s);
            }
            for (short s : c) {
                customer.add(s);
            }
        }

        @Override
        public void onMark(String name) {
        }

        @Override
        public void onDtmf(String digit) {
        }

        @Override
        public void onStop() {
        }

        @Override
        public void onError(String reason) {
            errors.add(reason);
        }
    }
}
