package io.earshot.pipeline.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.earshot.ingest.audio.G711;
import io.earshot.ingest.protocol.audiohook.AudioHookAuth;
import io.earshot.ingest.protocol.audiohook.AudioHookCodec;
import io.earshot.ingest.protocol.audiohook.AudioHookSession;
import io.earshot.ingest.protocol.audiohook.Messages;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The AudioHook client's wire output, checked against the server's own codec, media selection and
 * authentication, so the simulator speaks exactly what the ingest server accepts.
 */
class AudioHookFramesTest {

    private static final String SESSION = "3f2a8d5e-1c2b-4e6f-9a7b-0c1d2e3f4a5b";
    private static final String ORG = "d7934305-0972-4844-938e-9060eef73d05";
    private static final String KEY = "sim-key";
    private static final String SECRET = Base64.getEncoder().encodeToString("sim-secret-0123456789".getBytes());
    private static final URI URL = URI.create("ws://127.0.0.1:8123/audiohook");
    private static final Instant NOW = Instant.parse("2026-11-30T03:00:00Z");

    private final AudioHookCodec codec = new AudioHookCodec();

    @Test
    void shouldInterleaveCustomerFirstThenAgentAsMuLaw() {
        short[] customer = {1000, -2000, 3000, -4000};
        short[] agent = {-8000, 16000, -32000, 12};

        byte[] frame = AudioHookFrames.audio(customer, agent, 1, 4);

        assertThat(frame).hasSize(6).containsExactly(
                G711.linearToUlaw(customer[1]), G711.linearToUlaw(agent[1]),
                G711.linearToUlaw(customer[2]), G711.linearToUlaw(agent[2]),
                G711.linearToUlaw(customer[3]), G711.linearToUlaw(agent[3]));
    }

    @Test
    void shouldOpenAtZeroOfferingStereoPcmuThatTheServerSelectsWithExternalAsCustomer() throws Exception {
        SimulatedCall call = call();

        Messages.Open open = (Messages.Open) codec.decodeClient(AudioHookFrames.open(SESSION, ORG, call));

        assertThat(open.seq()).isEqualTo(1);
        assertThat(open.serverseq()).isZero();
        assertThat(open.position()).isEqualTo(Duration.ZERO);
        assertThat(open.id()).isEqualTo(SESSION);
        assertThat(open.organizationId()).isEqualTo(ORG);
        assertThat(open.conversationId()).isEqualTo(AudioHookFrames.conversationId("billing-1"));
        Messages.MediaFormat selected = AudioHookSession.selectMedia(open.media()).orElseThrow();
        assertThat(selected.format()).isEqualTo("PCMU");
        assertThat(selected.rate()).isEqualTo(8000);
        assertThat(selected.channels()).containsExactly("external", "internal");
        JsonNode custom = open.customConfig();
        assertThat(custom.get("agentId").asText()).isEqualTo("agent-7");
        assertThat(custom.get("team").asText()).isEqualTo("billing-team");
        assertThat(custom.get("queue").asText()).isEqualTo("billing-queue");
        assertThat(custom.get("callId").asText()).isEqualTo("billing-1");
    }

    @Test
    void shouldOpenACallWithoutAnAgentAsAMonitorIntegrationDoesWithoutAgentOrCallId() throws Exception {
        SimulatedCall call = new SimulatedCall("billing-1", "", "", "", call().audio());

        Messages.Open open = (Messages.Open) codec.decodeClient(AudioHookFrames.open(SESSION, ORG, call));

        assertThat(open.conversationId()).isEqualTo(AudioHookFrames.conversationId("billing-1"));
        assertThat(open.customConfig().size()).isZero();
    }

    @Test
    void shouldBuildPingAndCloseTheServerDecodes() throws Exception {
        Messages.Ping ping = (Messages.Ping) codec.decodeClient(
                AudioHookFrames.ping(SESSION, 2, 1, Duration.ofMillis(1500), Duration.ofMillis(42)));
        Messages.Ping firstPing = (Messages.Ping) codec.decodeClient(
                AudioHookFrames.ping(SESSION, 2, 1, Duration.ZERO, null));
        Messages.Close close = (Messages.Close) codec.decodeClient(
                AudioHookFrames.close(SESSION, 3, 2, Duration.ofMillis(20_125), "end"));

        assertThat(ping.seq()).isEqualTo(2);
        assertThat(ping.serverseq()).isEqualTo(1);
        assertThat(ping.position()).isEqualTo(Duration.ofMillis(1500));
        assertThat(ping.rtt()).isEqualTo(Duration.ofMillis(42));
        assertThat(firstPing.rtt()).isNull();
        assertThat(close.reason()).isEqualTo("end");
        assertThat(close.position()).isEqualTo(Duration.ofMillis(20_125));
    }

    @Test
    void shouldAnswerPauseWithPausedAndResumeWithResumedThatTheServerDecodes() throws Exception {
        Messages.Paused paused = (Messages.Paused) codec.decodeClient(
                AudioHookFrames.paused(SESSION, 4, 3, Duration.ofMillis(800)));
        Messages.Resumed resumed = (Messages.Resumed) codec.decodeClient(
                AudioHookFrames.resumed(SESSION, 5, 4, Duration.ofMillis(800)));

        assertThat(paused.position()).isEqualTo(Duration.ofMillis(800));
        assertThat(resumed.start()).isEqualTo(Duration.ofMillis(800));
        assertThat(resumed.discarded()).isEqualTo(Duration.ZERO);
    }

    @Test
    void shouldSignTheUpgradeSoTheServersAuthAcceptsIt() {
        Map<String, String> headers = AudioHookFrames.upgradeHeaders(URL, ORG, SESSION,
                UUID.randomUUID().toString(), KEY, SECRET, NOW, UUID.randomUUID().toString());

        AudioHookAuth.Result result = auth().verify("GET", "/audiohook", withHost(headers));

        assertThat(result.outcome()).isEqualTo(AudioHookAuth.Outcome.ACCEPTED);
        assertThat(headers).containsEntry("Audiohook-Organization-Id", ORG)
                .containsEntry("Audiohook-Session-Id", SESSION).containsEntry("X-API-KEY", KEY)
                .containsKeys("Audiohook-Correlation-Id", "Signature-Input", "Signature");
    }

    @Test
    void shouldProduceASignatureTheServerRefusesWhenTheSecretIsWrong() {
        String wrong = Base64.getEncoder().encodeToString("not-the-secret".getBytes());
        Map<String, String> headers = AudioHookFrames.upgradeHeaders(URL, ORG, SESSION,
                UUID.randomUUID().toString(), KEY, wrong, NOW, UUID.randomUUID().toString());

        AudioHookAuth.Result result = auth().verify("GET", "/audiohook", withHost(headers));

        assertThat(result.outcome()).isEqualTo(AudioHookAuth.Outcome.BAD_SIGNATURE);
        assertThat(result.httpStatus()).isEqualTo(401);
    }

    @Test
    void shouldParseTheServersDisconnectWithReasonAndInfo() {
        AudioHookFrames.ServerMessage m = AudioHookFrames.parseServer(
                "{\"version\":\"2\",\"type\":\"disconnect\",\"seq\":3,\"clientseq\":7,\"id\":\"" + SESSION
                        + "\",\"parameters\":{\"reason\":\"error\",\"info\":\"Client Error: bad seq\"}}");

        assertThat(m).isEqualTo(new AudioHookFrames.ServerMessage("disconnect", 3, 7, "error", "Client Error: bad seq"));
    }

    private static AudioHookAuth auth() {
        return new AudioHookAuth(AudioHookAuth.Config.of(Map.of(KEY, SECRET)), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static Map<String, String> withHost(Map<String, String> headers) {
        Map<String, String> h = new java.util.LinkedHashMap<>(headers);
        h.put("Host", "127.0.0.1:8123");
        return h;
    }

    private static SimulatedCall call() {
        SimulatedCall.Recording recording = new SimulatedCall.Recording("billing", new short[8], new short[8]);
        return new SimulatedCall("billing-1", "agent-7", "billing-team", "billing-queue", recording);
    }
}
