package io.earshot.pipeline.cli;

import io.earshot.ingest.audio.AgentChannel;
import io.earshot.pipeline.simulate.AudioHookClient;
import io.earshot.pipeline.simulate.CallClient;
import io.earshot.pipeline.simulate.CallMetadata;
import io.earshot.pipeline.simulate.FrameListener;
import io.earshot.pipeline.simulate.SimulatedCall;
import io.earshot.pipeline.simulate.SimulationReport;
import io.earshot.pipeline.simulate.Simulator;
import io.earshot.pipeline.simulate.TwilioClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code earshot simulate}: streams recordings to an ingest server as Genesys AudioHook or Twilio
 * Media Streams would, N calls at once; exits 0 only when every call closed cleanly.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Stream recorded calls to a live ingest server as a telephony platform would.")
final class SimulateCommand implements Callable<Integer> {

    enum Protocol { audiohook, twilio }

    @Option(names = "--protocol", required = true, paramLabel = "audiohook|twilio",
            description = "Which platform to play: Genesys AudioHook or Twilio Media Streams.")
    Protocol protocol;

    @Option(names = "--url", required = true, paramLabel = "URL",
            description = "The server endpoint, e.g. ws://localhost:8080/audiohook or ws://localhost:8080/twilio.")
    URI url;

    @Option(names = "--calls", defaultValue = "1", paramLabel = "N",
            description = "Concurrent calls; the FILES are reused round-robin (default: ${DEFAULT-VALUE}).")
    int calls;

    @Option(names = "--speed", defaultValue = "1", paramLabel = "X|max",
            description = "Real-time multiple: 1 = live, 10 = ten times faster, 0 or max = as fast as possible "
                    + "(default: ${DEFAULT-VALUE}).")
    String speed;

    @Option(names = "--stagger-ms", defaultValue = "0", paramLabel = "MS",
            description = "Delay between call starts (default: ${DEFAULT-VALUE}).")
    long staggerMs;

    @Option(names = "--frame-ms", paramLabel = "MS",
            description = "Audio per frame (default: 100 for AudioHook, 20 for Twilio, as the platforms send).")
    Integer frameMs;

    @Option(names = "--agent-channel", defaultValue = "left", paramLabel = "left|right",
            description = "Channel of a stereo file that carries the agent (default: ${DEFAULT-VALUE}).")
    String agentChannel;

    @Option(names = "--agent-id", defaultValue = "agent-{i}", paramLabel = "ID",
            description = "Agent id sent with each call; {i} is the call's index (default: ${DEFAULT-VALUE}).")
    String agentId;

    @Option(names = "--team", defaultValue = "team-sim", description = "Team sent with each call (default: ${DEFAULT-VALUE}).")
    String team;

    @Option(names = "--queue", defaultValue = "queue-sim", description = "Queue sent with each call (default: ${DEFAULT-VALUE}).")
    String queue;

    @Option(names = "--api-key", defaultValue = "", description = "AudioHook API key (X-API-KEY).")
    String apiKey;

    @Option(names = "--client-secret", defaultValue = "",
            description = "AudioHook client secret (base64, as shown in Genesys) that signs the connection; empty: unsigned.")
    String clientSecret;

    @Option(names = "--organization-id", defaultValue = AudioHookClient.DEFAULT_ORGANIZATION_ID,
            description = "AudioHook organization id (default: ${DEFAULT-VALUE}).")
    String organizationId;

    @Option(names = "--token", defaultValue = "",
            description = "Twilio: shared token sent as X-Earshot-Token, if the server requires one.")
    String token;

    @Option(names = "--auth-token", defaultValue = "${env:TWILIO_AUTH_TOKEN:-}",
            description = "Twilio: the account auth token that signs the upgrade (X-Twilio-Signature), as Twilio does"
                    + " (default: the environment variable TWILIO_AUTH_TOKEN).")
    String authToken;

    @Option(names = "--timeout-ms", defaultValue = "10000",
            description = "How long to wait for any server answer (default: ${DEFAULT-VALUE}).")
    long timeoutMs;

    @Parameters(arity = "1..*", paramLabel = "FILES",
            description = "Recordings: a stereo WAV, or AGENT.wav,CUSTOMER.wav; 8 kHz.")
    List<String> files;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        double pace = parseSpeed(speed);
        if (timeoutMs <= 0) {
            throw new IllegalArgumentException("--timeout-ms must be positive");
        }
        AgentChannel channel = AgentChannel.parse(agentChannel);
        List<SimulatedCall.Recording> recordings = new ArrayList<>();
        for (String f : files) {
            recordings.add(SimulatedCall.Recording.load(f, channel));
        }
        Duration timeout = Duration.ofMillis(timeoutMs);
        HttpClient http = HttpClient.newHttpClient();
        CallClient client = switch (protocol) {
            case audiohook -> new AudioHookClient(new AudioHookClient.Config(url, apiKey, clientSecret, organizationId,
                    frameMs == null ? AudioHookClient.DEFAULT_FRAME_MS : frameMs, pace,
                    AudioHookClient.DEFAULT_PING_INTERVAL, timeout), http, Clock.systemUTC());
            case twilio -> new TwilioClient(new TwilioClient.Config(url, token,
                    frameMs == null ? TwilioClient.DEFAULT_FRAME_MS : frameMs, pace, timeout, authToken), http,
                    Clock.systemUTC());
        };
        SimulationReport report = new Simulator(client, FrameListener.NONE)
                .run(recordings, calls, new CallMetadata(agentId, team, queue), Duration.ofMillis(staggerMs));
        report.print(spec.commandLine().getOut());
        report.printFailures(spec.commandLine().getErr());
        return report.allClean() ? 0 : EarshotCli.EXIT_BAD_INPUT;
    }

    /** "max" or 0: unpaced; otherwise a positive real-time multiple. */
    static double parseSpeed(String value) {
        if (value.toLowerCase(Locale.ROOT).equals("max")) {
            return 0;
        }
        double d;
        try {
            d = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--speed must be a number or 'max', not '" + value + "'");
        }
        if (!(d >= 0) || Double.isInfinite(d)) {
            throw new IllegalArgumentException("--speed must be >= 0 (0 or 'max': as fast as possible), not " + value);
        }
        return d;
    }
}
