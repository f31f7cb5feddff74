package io.earshot.pipeline.cli;

import io.earshot.pipeline.bench.IngestBenchmark;
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
        description = "Run a benchmark and write its results table into the report (docs/benchmarks.md).")
final class BenchCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "ingest", description = "Which benchmark: ingest.")
    String which;

    @Option(names = "--fixtures", defaultValue = "fixtures/calls", description = "Calls to run on (default: ${DEFAULT-VALUE}).")
    Path fixtures;

    @Option(names = "--out", defaultValue = "docs/benchmarks.md", description = "Report file (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--dsp-seconds", defaultValue = "10", description = "Minimum CPU seconds of the DSP loop.")
    double dspSeconds;

    @Option(names = "--channels", defaultValue = "10", description = "Concurrent channels for the memory probe.")
    int channels;

    @Mixin
    ModelOptions modelOptions;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!"ingest".equals(which)) {
            throw new IllegalArgumentException("unknown benchmark '" + which + "'; available: ingest");
        }
        PrintWriter log = spec.commandLine().getErr();
        new IngestBenchmark(modelOptions.resolve(), fixtures, log).run(out, dspSeconds, channels);
        spec.commandLine().getOut().println("wrote " + out);
        return 0;
    }
}
