package io.earshot.pipeline.cli;

import io.earshot.pipeline.bench.IngestBenchmark;
import io.earshot.pipeline.bench.LiveBenchmark;
import io.earshot.pipeline.bench.MetricsBenchmark;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code earshot bench ingest}: measures speech ingest and writes the results table. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run a benchmark (ingest, metrics or live) and write its results table into the report (docs/benchmarks.md).")
final class BenchCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "ingest|metrics|live", description = "Which benchmark: ingest, metrics or live.")
    String which;

    @Option(names = "--fixtures", defaultValue = "fixtures/calls", description = "Calls to run on (default: ${DEFAULT-VALUE}).")
    Path fixtures;

    @Option(names = "--out", defaultValue = "docs/benchmarks.md", description = "Report file (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--dsp-seconds", defaultValue = "10", description = "Minimum CPU seconds of the DSP loop.")
    double dspSeconds;

    @Option(names = "--channels", defaultValue = "10", description = "Concurrent channels for the memory probe.")
    int channels;

    @Option(names = "--copies", defaultValue = "1000", description = "metrics: replay the fixture calls this many times.")
    int copies;

    @Option(names = "--calls", defaultValue = "64,128,192,256,384",
            description = "live: concurrent calls per step without transcription (default: ${DEFAULT-VALUE}).")
    String callsWithoutAsr;

    @Option(names = "--asr-calls", defaultValue = "8,16,24,32,40,48",
            description = "live: concurrent calls per step with transcription (default: ${DEFAULT-VALUE}).")
    String callsWithAsr;

    @Option(names = "--call-seconds", defaultValue = "0",
            description = "live: stream each sample call repeated back to back until it lasts at least this long,"
                    + " into a section of its own (default: ${DEFAULT-VALUE}, the calls as recorded).")
    int callSeconds;

    @Option(names = "--asr-workers", defaultValue = "2",
            description = "live: recognisers working at once (default: ${DEFAULT-VALUE}).")
    int asrWorkers;

    @Option(names = "--asr-profile", defaultValue = "accurate",
            description = "Recogniser profile: accurate (the model's own search) or fast. ingest: the profile whose memory"
                    + " is measured against accurate (every profile is timed and scored); live: the profile of the"
                    + " series with transcription (default: ${DEFAULT-VALUE}).")
    String asrProfile;

    @Option(names = "--recycle-seconds",
            description = "ingest: audio a recogniser decodes before it is replaced, for the profile's memory probe"
                    + " (default: the profile's own, 600 s for accurate, 60 s for fast).")
    Integer recycleSeconds;

    @Option(names = "--memory-calls", paramLabel = "DIR",
            description = "ingest: also measure memory per busy recogniser on these calls (sub-directories as in"
                    + " --fixtures, or NAME_agent.wav with NAME_caller.wav or NAME_customer.wav side by side), all"
                    + " at once with a recogniser per channel, with accurate and with the profile.")
    Path memoryCalls;

    @Option(names = "--truth", defaultValue = "fixtures/calls",
            description = "ingest: calls with a truth.json transcript, scored for word error rate (default: ${DEFAULT-VALUE}).")
    Path truth;

    @Mixin
    ModelOptions modelOptions;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter log = spec.commandLine().getErr();
        switch (which) {
            case "ingest" -> {
                io.earshot.ingest.asr.AsrProfile profile = io.earshot.ingest.asr.AsrProfile.parse(asrProfile);
                new IngestBenchmark(modelOptions.resolve(), fixtures, truth, profile,
                        recycleSeconds == null ? profile.recycleAfterSeconds() : recycleSeconds, log)
                        .withMemoryCalls(memoryCalls).run(out, dspSeconds, channels);
            }
            case "metrics" -> MetricsBenchmark.runWithFixedHeap(modelOptions.resolve(), fixtures, out, copies);
            case "live" -> new LiveBenchmark(modelOptions.resolve(), fixtures, log,
                    io.earshot.ingest.asr.AsrProfile.parse(asrProfile)).withCallSeconds(callSeconds).run(out,
                    LiveBenchmark.parse(callsWithoutAsr), LiveBenchmark.parse(callsWithAsr), asrWorkers);
            default -> throw new IllegalArgumentException("unknown benchmark '" + which
                    + "'; available: ingest, metrics, live");
        }
        spec.commandLine().getOut().println("wrote " + out);
        return 0;
    }
}
