package io.earshot.pipeline.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulationReportTest {

    @Test
    void shouldTakeLatencyPercentilesByNearestRankOverTheCallsThatMeasuredOne() {
        List<CallResult> calls = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            calls.add(ok("c" + i, i * 1_000_000L));
        }
        calls.add(ok("twilio", -1)); // no opened latency: not part of the distribution
        SimulationReport report = new SimulationReport(calls, Duration.ofSeconds(3));

        assertThat(report.openedLatencyNanos(50)).isEqualTo(50_000_000L);
        assertThat(report.openedLatencyNanos(99)).isEqualTo(99_000_000L);
        assertThat(report.openedLatencyNanos(100)).isEqualTo(100_000_000L);
    }

    @Test
    void shouldReportNoLatencyWhenNoCallMeasuredOne() {
        SimulationReport report = new SimulationReport(List.of(ok("t1", -1)), Duration.ofSeconds(1));

        assertThat(report.openedLatencyNanos(50)).isEqualTo(-1);
    }

    @Test
    void shouldCountFailuresSumAudioAndListEachFailureWithItsReason() {
        SimulationReport report = new SimulationReport(List.of(
                ok("a-1", 2_000_000),
                new CallResult("a-2", -1, 0, 0, false, -1, "upgrade refused: HTTP 401", List.of("upgrade refused: HTTP 401")),
                new CallResult("a-3", 3_000_000, 5, 4000, false, 1000, "server disconnected: error (bad seq)",
                        List.of("server disconnected: error (bad seq)"))),
                Duration.ofSeconds(2));
        StringWriter failures = new StringWriter();
        StringWriter table = new StringWriter();

        report.print(new PrintWriter(table));
        report.printFailures(new PrintWriter(failures));

        assertThat(report.ok()).isEqualTo(1);
        assertThat(report.failed()).isEqualTo(2);
        assertThat(report.allClean()).isFalse();
        assertThat(report.audioSeconds()).isEqualTo(1.5);
        assertThat(table.toString()).contains("calls: 1 ok, 2 failed").contains("a-2").contains("FAILED");
        assertThat(failures.toString().lines()).containsExactly(
                "FAILED a-2: upgrade refused: HTTP 401",
                "FAILED a-3: server disconnected: error (bad seq)");
    }

    private static CallResult ok(String id, long latency) {
        return new CallResult(id, latency, 10, 8000, true, 1000, null, List.of());
    }
}
