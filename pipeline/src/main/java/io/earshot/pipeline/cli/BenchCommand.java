package io.earshot.pipeline.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code earshot bench}: placeholder replaced below. */
@Command(name = "bench", description = "Benchmarks.")
final class BenchCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return 0;
    }
}
