package io.earshot.pipeline.cli;

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
 * calls over AudioHook in real time, printing each agent's live metrics as they change.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the live pipeline in one process (embedded Kafka, the metric job on a local Flink",
            "cluster, the AudioHook/Twilio ingest server) and replay the sample calls through AudioHook in real",
            "time, printing each agent's live metrics as they change."})
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

    @Option(names = "--fixtures", paramLabel = "DIR", description = "Folder of sample calls (default: fixtures/calls).")
    Path fixtures;

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
        try (EmbeddedStack stack = EmbeddedStack.start(options, line -> {
            synchronized (out) {
                out.println(LocalTime.now().format(CLOCK) + "  " + line);
                out.flush();
            }
        })) {
            out.printf("  AudioHook %s (API key %s, secret %s)%n  Twilio    %s%n",
                    stack.ingest().ingest().audioHookUri(), EmbeddedStack.API_KEY, stack.clientSecret(),
                    stack.ingest().ingest().twilioUri());
            out.printf("replaying %d calls over AudioHook at %sx real time; live values follow (agent talk share, "
                    + "interruptions, pause respect, backchannels)%n", calls, speed);
            out.flush();
            AudioHookClient client = new AudioHookClient(AudioHookClient.Config.of(stack.ingest().ingest().audioHookUri(),
                    EmbeddedStack.API_KEY, stack.clientSecret(), speed), HttpClient.newHttpClient(), Clock.systemUTC());
            SimulationReport report = new Simulator(client, FrameListener.NONE).run(recordings, calls,
                    new CallMetadata("agent-{i}", "floor-demo", "support"), Duration.ofMillis(staggerMs));
            boolean complete = stack.watcher().awaitFinals(calls, Duration.ofSeconds(60));
            synchronized (out) {
                out.println();
                out.println("final summaries:");
                stack.watcher().finals().values().stream()
                        .sorted(Comparator.comparing(r -> r.summary().getAgentId().toString()))
                        .forEach(r -> out.println("  " + LiveMetricsWatcher.describe(r.summary())));
                out.println();
                report.print(out);
                out.flush();
            }
            if (!report.allClean() || !complete) {
                report.printFailures(spec.commandLine().getErr());
                if (!complete) {
                    spec.commandLine().getErr().println("earshot demo: only " + stack.watcher().finals().size() + " of "
                            + calls + " final summaries arrived within 60 s");
                }
                spec.commandLine().getErr().flush();
                return 1;
            }
            if (keepRunning) {
                out.println("serving until Ctrl-C; stream more calls with: ./earshot simulate --protocol audiohook --url "
                        + stack.ingest().ingest().audioHookUri() + " --api-key " + EmbeddedStack.API_KEY
                        + " --client-secret " + stack.clientSecret() + " fixtures/calls/call01-billing/call.wav");
                out.flush();
                CountDownLatch forever = new CountDownLatch(1);
                Runtime.getRuntime().addShutdownHook(new Thread(forever::countDown));
                forever.await();
            }
        }
        return 0;
    }
}
