package io.earshot.pipeline.simulate;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;

/** The outcome of a simulation run: one result per call, in call order, and the run's wall time. */
public record SimulationReport(List<CallResult> calls, Duration wallTime) {

    public SimulationReport {
        calls = List.copyOf(calls);
    }

    public long ok() {
        return calls.stream().filter(CallResult::closedCleanly).count();
    }

    public long failed() {
        return calls.size() - ok();
    }

    public boolean allClean() {
        return failed() == 0;
    }

    public double audioSeconds() {
        return calls.stream().mapToDouble(CallResult::audioSeconds).sum();
    }

    /**
     * Opened latency at percentile {@code p} (0 < p <= 100, nearest rank) over the calls that
     * measured one; -1 when none did.
     */
    public long openedLatencyNanos(double p) {
        long[] sorted = calls.stream().mapToLong(CallResult::openedLatencyNanos).filter(n -> n >= 0).sorted().toArray();
        if (sorted.length == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
    }

    /** A table row per call, then the summary. */
    public void print(PrintWriter out) {
        out.printf("%-32s %6s %10s %8s %9s %6s%n", "CALL", "RESULT", "OPENED", "FRAMES", "AUDIO", "CLOSE");
        for (CallResult c : calls) {
            out.printf("%-32s %6s %10s %8d %8.1fs %6s%n", c.callId(), c.closedCleanly() ? "ok" : "FAILED",
                    millis(c.openedLatencyNanos()), c.framesSent(), c.audioSeconds(),
                    c.closeCode() < 0 ? "-" : Integer.toString(c.closeCode()));
        }
        out.println();
        out.printf("calls: %d ok, %d failed%n", ok(), failed());
        out.printf("opened latency: p50 %s  p99 %s  max %s%n", millis(openedLatencyNanos(50)),
                millis(openedLatencyNanos(99)), millis(openedLatencyNanos(100)));
        out.printf("audio sent: %.1f s in %.1f s wall time%n", audioSeconds(), wallTime.toNanos() / 1e9);
        out.flush();
    }

    /** One line per call that did not close cleanly, with the reason (the server's, where it gave one). */
    public void printFailures(PrintWriter out) {
        for (CallResult c : calls) {
            if (!c.closedCleanly()) {
                out.printf("FAILED %s: %s%n", c.callId(), c.failure());
            }
        }
        out.flush();
    }

    private static String millis(long nanos) {
        return nanos < 0 ? "-" : String.format("%.1fms", nanos / 1e6);
    }
}
