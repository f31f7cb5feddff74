package io.earshot.pipeline.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BiFunction;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The AudioHook client against a scripted server (plain Jetty, not the ingest server), for the
 * server requests the ingest server does not make on its own: {@code pause}/{@code resume} and a
 * {@code disconnect} instead of {@code opened}. The script sees what the client sent.
 */
class AudioHookClientIT {

    private static final String SESSION_FIELD = "id";

    private final List<String> fromClient = Collections.synchronizedList(new ArrayList<>());
    private Server server;

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    @Test
    void shouldAnswerPauseWithPausedHoldAudioUntilResumeAndStillSendEverySample() throws Exception {
        // opened; after the 2nd audio frame: pause; on paused: resume; on close: closed
        URI url = start((type, message) -> switch (type) {
            case "open" -> reply("opened", message, ",\"parameters\":{\"media\":[],\"startPaused\":false}");
            case "binary#2" -> reply("pause", message, ",\"parameters\":{}");
            case "paused" -> reply("resume", message, ",\"parameters\":{}");
            case "close" -> reply("closed", message, ",\"parameters\":{}");
            default -> null;
        });
        SimulatedCall.Recording recording = new SimulatedCall.Recording("tone", new short[4000], new short[4000]);

        // Paced at a quarter of real time: the pause, sent the moment frame 2 arrives, reaches the
        // client long (400 ms) before frame 3 is due, as it would on a live call.
        CallResult result = client(url, 0.25).stream(CallMetadata.DEFAULTS.call(1, recording), FrameListener.NONE);

        assertThat(result.closedCleanly()).as(String.valueOf(result.failure())).isTrue();
        assertThat(result.samplesSent()).isEqualTo(4000);
        assertThat(result.framesSent()).isEqualTo(5);
        List<String> types = new ArrayList<>(fromClient);
        int paused = types.indexOf("paused");
        int resumed = types.indexOf("resumed");
        assertThat(paused).isPositive();
        assertThat(resumed).isGreaterThan(paused);
        // no audio between paused and resumed: the server would call that a protocol violation
        assertThat(types.subList(paused, resumed)).doesNotContain("binary");
        assertThat(types).containsSubsequence("open", "binary", "binary", "paused", "resumed", "binary", "close");
        assertThat(types.stream().filter("binary"::equals).count()).isEqualTo(5);
    }

    @Test
    void shouldCloseWithReasonDisconnectWhenTheServerDisconnectsInsteadOfOpening() throws Exception {
        List<String> closeReasons = Collections.synchronizedList(new ArrayList<>());
        URI url = start((type, message) -> switch (type) {
            case "open" -> reply("disconnect", message, ",\"parameters\":{\"reason\":\"unauthorized\",\"info\":\"no licence\"}");
            case "close" -> {
                closeReasons.add(message.at("/parameters/reason").asText());
                yield reply("closed", message, ",\"parameters\":{}");
            }
            default -> null;
        });
        SimulatedCall.Recording recording = new SimulatedCall.Recording("tone", new short[800], new short[800]);

        CallResult result = client(url, 0).stream(CallMetadata.DEFAULTS.call(1, recording), FrameListener.NONE);

        assertThat(result.closedCleanly()).isFalse();
        assertThat(result.failure()).isEqualTo("server disconnected: unauthorized (no licence)");
        assertThat(result.openedLatencyNanos()).isEqualTo(-1);
        assertThat(result.framesSent()).isZero();
        assertThat(closeReasons).containsExactly("disconnect");
    }

    private static AudioHookClient client(URI url, double speed) {
        return new AudioHookClient(new AudioHookClient.Config(url, "key", "", AudioHookClient.DEFAULT_ORGANIZATION_ID,
                100, speed, Duration.ofHours(1), Duration.ofSeconds(10)), HttpClient.newHttpClient(), Clock.systemUTC());
    }

    private static String reply(String type, JsonNode message, String parameters) {
        return "{\"version\":\"2\",\"type\":\"" + type + "\",\"seq\":" + (message.path("seq").asLong() + 100)
                + ",\"clientseq\":" + message.path("seq").asLong() + ",\"" + SESSION_FIELD + "\":\""
                + message.path(SESSION_FIELD).asText() + "\"" + parameters + "}";
    }

    /** Starts a Jetty server whose AudioHook path answers per {@code script} (see {@link ScriptedEndpoint}). */
    private URI start(BiFunction<String, JsonNode, String> script) throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(WebSocketUpgradeHandler.from(server, container -> container.addMapping("/audiohook",
                (request, response, callback) -> new ScriptedEndpoint(script, fromClient))));
        server.start();
        return URI.create("ws://127.0.0.1:" + connector.getLocalPort() + "/audiohook");
    }
}
