package io.earshot.pipeline.cli;

import io.earshot.pipeline.api.Authenticator;
import io.earshot.pipeline.api.ApiHandler;
import io.earshot.pipeline.api.CallQueries;
import io.earshot.pipeline.api.TokenStore;
import io.earshot.pipeline.config.EarshotConfig;
import io.earshot.pipeline.dashboard.AlertRules;
import io.earshot.pipeline.store.StoreDatabase;
import io.earshot.pipeline.store.StoreWriter;
import io.earshot.pipeline.dashboard.DashboardHandler;
import io.earshot.pipeline.dashboard.DashboardServer;
import io.earshot.pipeline.config.EarshotConfig;
import io.earshot.pipeline.live.EmbeddedStack;
import io.earshot.pipeline.live.LiveMetricsWatcher;
import io.earshot.pipeline.simulate.AudioHookClient;
import io.earshot.pipeline.simulate.CallMetadata;
import io.earshot.pipeline.simulate.FrameListener;
import io.earshot.pipeline.simulate.SampleCalls;
import io.earshot.pipeline.simulate.SimulatedCall;
import io.earshot.pipeline.simulate.SimulationReport;
import io.earshot.pipeline.simulate.Simulator;
import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code earshot demo}: the whole live pipeline on the embedded default, fed with the sample
 * calls over AudioHook in real time, printing each agent's live metrics as they change, with
 * the floor dashboard on {@code --dashboard-port} ({@code --loop} keeps the calls coming).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the live pipeline in one process (embedded Kafka, the metric job on a local Flink",
            "cluster, the AudioHook/Twilio ingest server) and replay the sample calls through AudioHook in real",
            "time, printing each agent's live metrics as they change; the floor dashboard shows them too."})
final class DemoCommand implements Callable<Integer> {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    @Option(names = "--calls", defaultValue = "4", description = "Calls to replay at once, the sample calls round-robin (default: ${DEFAULT-VALUE}).")
    int calls;

    @Option(names = "--speed", defaultValue = "1", description = "Replay speed; 1 is real time (default: ${DEFAULT-VALUE}).")
    double speed;

    @Option(names = "--stagger-ms", defaultValue = "1500", description = "Time between call starts (default: ${DEFAULT-VALUE}).")
    long staggerMs;

    @Option(names = "--port", defaultValue = "8080", description = "Ingest server port; 0 for any free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--no-transcript", description = "Speech activity and tone only, no recognition.")
    boolean noTranscript;

    @Mixin
    RedactionOption redaction;

    @Option(names = "--fixtures", paramLabel = "DIR", description = "Folder of sample calls (default: fixtures/calls).")
    Path fixtures;

    @Option(names = "--dashboard-port", defaultValue = "8081", description = "Floor dashboard port (on 127.0.0.1); 0 for any free one (default: ${DEFAULT-VALUE}).")
    int dashboardPort;

    @Option(names = "--flink-metrics-port", paramLabel = "PORT",
            description = "Serve the embedded Flink cluster's metrics, the job's own included, in the Prometheus format"
                    + " on this port (docs/operations.md). Default: off.")
    Integer flinkMetricsPort;

    @Option(names = "--store", paramLabel = "DIR",
            description = "Data folder of the embedded PostgreSQL store (default: ~/.earshot/store); it persists across runs.")
    Path storeDir;

    @Option(names = "--loop", description = "Replay the calls again and again (new call ids each round) until Ctrl-C, so the floor dashboard stays alive.")
    boolean loop;

    @Option(names = "--keep-running", description = "After the replay, keep serving (for earshot simulate) until Ctrl-C.")
    boolean keepRunning;

    @Mixin
    ModelOptions model;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<SimulatedCall.Recording> recordings = SampleCalls.load(fixtures != null ? fixtures : SampleCalls.defaultDirectory());
        Path modelDir = noTranscript ? null : model.resolve();
        out.println("earshot demo: starting embedded Kafka, the metric job on a local Flink cluster and the ingest server...");
        out.flush();
        EmbeddedStack.Options options = EmbeddedStack.Options.of(modelDir).withPort(port);
        if (redaction.off) {
            redaction.rules(null, spec.commandLine().getErr());
            options = options.withRedaction(new EarshotConfig.Redaction(false, null, null, null, null, null, null,
                    null));
        }
        if (speed != 1) {
            // the demo's own simulator replays faster (or slower) than real time on purpose
            options = options.withLimits(EarshotConfig.Limits.DEFAULTS.trustedReplay());
        }
        try (EmbeddedStack stack = EmbeddedStack.start(options, line -> {
            synchronized (out) {
                out.println(LocalTime.now().format(CLOCK) + "  " + line);
                out.flush();
            }
        }, flinkMetricsPort)) {
            out.printf("  AudioHook %s (API key %s, secret %s)%n  Twilio    %s (auth token %s)%n",
                    stack.ingest().ingest().audioHookUri(), EmbeddedStack.API_KEY, stack.clientSecret(),
                    stack.ingest().ingest().twilioUri(), stack.twilioAuthToken());
            Path dataDir = storeDir != null ? storeDir : Path.of(System.getProperty("user.home"), ".earshot", "store");
            try (StoreDatabase store = StoreDatabase.embedded(dataDir);
                 StoreWriter writer = StoreWriter.start(stack.kafka().bootstrapServers(), store.dataSource());
                 DashboardServer dashboard = DashboardServer.start(stack.kafka().bootstrapServers(), Authenticator.openDemo(),
                    // everyone shares the demo's one identity: its streams are bounded in all, not per token
                    DashboardServer.Options.defaults().withHost("127.0.0.1").withPort(dashboardPort)
                            .withStreams(new DashboardHandler.StreamLimits(DashboardHandler.StreamLimits.DEFAULTS.maxStreams(),
                                    DashboardHandler.StreamLimits.DEFAULTS.maxStreams(),
                                    DashboardHandler.StreamLimits.DEFAULTS.maxQueuedEvents(),
                                    DashboardHandler.StreamLimits.DEFAULTS.revalidateEvery())),
                    AlertRules.Hook.NONE, List.of(new ApiHandler(
                            new CallQueries(store.pool("earshot-web", 8, Duration.ofSeconds(5))),
                            new TokenStore(store.dataSource()), Authenticator.openDemo())))) {
                out.printf("  Store     %s (PostgreSQL, data in %s; user %s)%n", store.jdbcUrl(), dataDir,
                        StoreDatabase.EMBEDDED_USER);
                out.printf("  Dashboard %s, query API %sapi/ (open access: the demo lets everyone in as an administrator)%n",
                        dashboard.uri(), dashboard.uri());
                out.printf("replaying %d calls over AudioHook at %sx real time%s; live values follow (agent talk share, "
                        + "interruptions, pause respect, backchannels)%n", calls, speed, loop ? ", round after round" : "");
                out.flush();
                AudioHookClient client = new AudioHookClient(AudioHookClient.Config.of(stack.ingest().ingest().audioHookUri(),
                        EmbeddedStack.API_KEY, stack.clientSecret(), speed), HttpClient.newHttpClient(), Clock.systemUTC());
                int round = 0;
                do {
                    round++;
                    String prefix = round == 1 ? "" : "r" + round + "-";
                    List<SimulatedCall.Recording> named = recordings.stream()
                            .map(r -> new SimulatedCall.Recording(prefix + r.stem(), r.agent(), r.customer())).toList();
                    SimulationReport report = new Simulator(client, FrameListener.NONE).run(named, calls,
                            new CallMetadata("agent-{i}", "floor-demo", "support"), Duration.ofMillis(staggerMs));
                    int expected = calls * round;
                    boolean complete = stack.watcher().awaitFinals(expected, Duration.ofSeconds(60));
                    if (!loop) {
                        synchronized (out) {
                            out.println();
                            out.println("final summaries:");
                            stack.watcher().finals().values().stream()
                                    .sorted(Comparator.comparing(r -> r.summary().getAgentId().toString()))
                                    .forEach(r -> out.println("  " + LiveMetricsWatcher.describe(r.summary())));
                            out.println();
                        }
                    }
                    synchronized (out) {
                        report.print(out);
                        out.flush();
                    }
                    if (!report.allClean() || !complete) {
                        report.printFailures(spec.commandLine().getErr());
                        if (!complete) {
                            spec.commandLine().getErr().println("earshot demo: only " + stack.watcher().finals().size()
                                    + " of " + expected + " final summaries arrived within 60 s");
                        }
                        spec.commandLine().getErr().flush();
                        return 1;
                    }
                } while (loop);
                if (keepRunning) {
                    out.println("serving until Ctrl-C; stream more calls with: ./earshot simulate --protocol audiohook --url "
                            + stack.ingest().ingest().audioHookUri() + " --api-key " + EmbeddedStack.API_KEY
                            + " --client-secret " + stack.clientSecret() + " fixtures/calls/call01-billing/call.wav"
                            + "\n  or over Twilio: ./earshot simulate --protocol twilio --url " + stack.ingest().ingest().twilioUri()
                            + " --auth-token " + stack.twilioAuthToken() + " fixtures/calls/call01-billing/call.wav");
                    out.flush();
                    CountDownLatch forever = new CountDownLatch(1);
                    Runtime.getRuntime().addShutdownHook(new Thread(forever::countDown));
                    forever.await();
                }
            }
        }
        return 0;
    }
}
