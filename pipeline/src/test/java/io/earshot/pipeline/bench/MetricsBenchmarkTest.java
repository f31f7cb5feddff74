package io.earshot.pipeline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.analysis.config.JobConfig;
import io.earshot.analysis.events.CallEvent;
import io.earshot.analysis.events.SyntheticCalls;
import io.earshot.analysis.summary.CallSummary;
import io.earshot.pipeline.analyze.BoundedCallMetrics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark's plain loops compute what the job computes, whichever order they take the calls in. */
class MetricsBenchmarkTest {

    private static final Comparator<CallSummary> ORDER = Comparator.comparing(CallSummary::callId)
            .thenComparingLong(CallSummary::emittedAtMs).thenComparing(CallSummary::isFinal);

    @Test
    void shouldGiveTheSameSummariesWithTheCallsOpenAtOnceAsOneAfterAnotherAndTheJobsFinalOnes() throws Exception {
        // 12 calls of 3 minutes, 15 s apart: up to 12 open at once
        List<CallEvent> events = SyntheticCalls.calls(12, 3, 1_764_000_000_000L, 15_000L, 7);
        List<CallSummary> apart = new ArrayList<>();
        List<CallSummary> open = new ArrayList<>();

        MetricsBenchmark.plainLoop(events, JobConfig.DEFAULTS, true, apart::add);
        MetricsBenchmark.plainLoopOpen(events, JobConfig.DEFAULTS, true, open::add);

        // the open loop interleaves the calls: its summaries are not grouped by call
        int switches = 0;
        for (int i = 1; i < open.size(); i++) {
            switches += open.get(i).callId().equals(open.get(i - 1).callId()) ? 0 : 1;
        }
        assertThat(switches).isGreaterThan(100);
        assertThat(apart).hasSize(open.size()).hasSizeGreaterThan(12 * 20);
        assertThat(open.stream().sorted(ORDER).toList()).isEqualTo(apart.stream().sorted(ORDER).toList());
        List<CallSummary> finals = apart.stream().filter(CallSummary::isFinal).sorted(ORDER).toList();
        assertThat(finals).hasSize(12);
        assertThat(finals.get(0).metrics().turns()).isNotEmpty();
        // the job stamps its final summary with its closing time and a transcription status: the values are compared
        List<CallSummary> job = BoundedCallMetrics.run(events, JobConfig.DEFAULTS, 2).summaries().stream()
                .sorted(ORDER).toList();
        assertThat(job).hasSize(12);
        for (int i = 0; i < 12; i++) {
            assertThat(job.get(i).callId()).isEqualTo(finals.get(i).callId());
            assertThat(job.get(i).metrics()).isEqualTo(finals.get(i).metrics());
            assertThat(job.get(i).listening()).isEqualTo(finals.get(i).listening());
            assertThat(job.get(i).segments()).isEqualTo(finals.get(i).segments());
        }
    }
}
