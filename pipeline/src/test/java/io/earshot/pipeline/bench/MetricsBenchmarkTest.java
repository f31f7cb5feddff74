package io.earshot.pipeline.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void shouldMeasureEveryRunningValueAsTheLiveTopicCarriesIt() {
        List<CallEvent> events = SyntheticCalls.calls(4, 3, 1_764_000_000_000L, 45_000L, 11);
        List<CallSummary> all = new ArrayList<>();
        MetricsBenchmark.plainLoop(events, JobConfig.DEFAULTS, true, all::add);
        io.earshot.contracts.AvroSerde<io.earshot.schemas.CallSummaryComputed> serde =
                io.earshot.contracts.AvroSerde.of(io.earshot.schemas.CallSummaryComputed.class);
        long bytes = 0;
        long late = 0;
        int lateValues = 0;
        int values = 0;
        for (CallSummary s : all) {
            if (s.isFinal()) {
                continue;
            }
            int n = serde.serialize("t", io.earshot.analysis.avro.AvroOutputs.toAvro(s)).length;
            values++;
            bytes += n;
            if (s.metrics().durationMs() >= 162_000) { // the last tenth of 3 minutes
                lateValues++;
                late += n;
            }
        }

        MetricsBenchmark.LiveBytes live = MetricsBenchmark.liveBytes(events, 3);

        assertThat(values).isGreaterThan(4 * 20);
        assertThat(lateValues).isPositive();
        assertThat(live.values()).isEqualTo(values);
        assertThat(live.meanBytes()).isCloseTo((double) bytes / values, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(live.lateMeanBytes()).isCloseTo((double) late / lateValues, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(live.perEvent()).isCloseTo((double) bytes / events.size(), org.assertj.core.data.Offset.offset(1e-6));
    }

    /**
     * Evidence goes out once: a running value half an hour into a call, which keeps what the
     * call's earlier ones sent, is about as large as one in its first minutes, while a whole one
     * (every five minutes of call time) carries the call's evidence so far and has grown.
     */
    @Test
    void shouldKeepALongCallsRunningValuesAsSmallAsItsFirstOnes() {
        List<CallEvent> events = SyntheticCalls.calls(3, 30, 1_764_000_000_000L, 600_000L, 5);
        io.earshot.contracts.AvroSerde<io.earshot.schemas.CallSummaryComputed> serde =
                io.earshot.contracts.AvroSerde.of(io.earshot.schemas.CallSummaryComputed.class);
        long[] early = new long[2]; // bytes, values: minutes 1-5, keeping evidence
        long[] late = new long[2]; // the same, minutes 25-30
        long[] lateWhole = new long[2];
        MetricsBenchmark.plainLoop(events, JobConfig.DEFAULTS, true, s -> {
            long at = s.metrics().durationMs();
            if (s.isFinal() || at < 60_000) {
                return;
            }
            int n = serde.serialize("t", io.earshot.analysis.avro.AvroOutputs.toAvro(s)).length;
            long[] into = s.kept() == null ? (at >= 1_500_000 ? lateWhole : null)
                    : at < 300_000 ? early : at >= 1_500_000 ? late : null;
            if (into != null) {
                into[0] += n;
                into[1]++;
            }
        });

        assertThat(early[1]).isGreaterThan(30);
        assertThat(late[1]).isGreaterThan(30);
        assertThat(lateWhole[1]).isPositive();
        double earlyMean = early[0] / (double) early[1];
        assertThat(late[0] / (double) late[1]).isLessThan(1.5 * earlyMean);
        assertThat(lateWhole[0] / (double) lateWhole[1]).isGreaterThan(3 * earlyMean);
    }

    @Test
    void shouldTimeEveryRunningValueInTheStretchOfCallTimeItFallsIn() {
        // 3 calls of 6 minutes: running values in the first four stretches (0-30 s ... 5-15 min)
        List<CallEvent> events = SyntheticCalls.calls(3, 6, 1_764_000_000_000L, 20_000L, 5);
        List<CallSummary> apart = new ArrayList<>();
        MetricsBenchmark.Positions positions = new MetricsBenchmark.Positions();
        MetricsBenchmark.Positions open = new MetricsBenchmark.Positions();

        MetricsBenchmark.plainLoop(events, JobConfig.DEFAULTS, true, apart::add, positions);
        MetricsBenchmark.plainLoopOpen(events, JobConfig.DEFAULTS, true, s -> { }, open);

        long[] running = new long[MetricsBenchmark.Positions.EDGES_MS.length + 1];
        for (CallSummary s : apart) {
            if (!s.isFinal()) {
                long position = s.emittedAtMs() - s.mediaStartEpochMs();
                int i = 0;
                while (i < MetricsBenchmark.Positions.EDGES_MS.length && position >= MetricsBenchmark.Positions.EDGES_MS[i]) {
                    i++;
                }
                running[i]++;
            }
        }
        assertThat(positions.values).isEqualTo(running).isEqualTo(open.values);
        assertThat(java.util.Arrays.stream(positions.events).sum()).isEqualTo(events.size());
        assertThat(positions.events).isEqualTo(open.events);
        for (int i = 0; i < 4; i++) {
            assertThat(running[i]).as("stretch %d", i).isPositive();
            assertThat(positions.microsPerEvent(i)).isPositive();
        }
        assertThat(positions.values[4]).isZero();
    }
    @Test
    void shouldCountWhatEachRunningValueComputedAgainFromTheEndOfTheSettledPart() {
        // spurts starting at 0, 1000, ... 9000; the settled part ends at 4000: 6 spurts from 4000 to 9500
        List<io.earshot.analysis.events.SegmentItem> sorted = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            sorted.add(new io.earshot.analysis.events.SegmentItem(io.earshot.schemas.Role.AGENT, i * 1000L,
                    i * 1000L + 500, Double.NaN, Double.NaN, Double.NaN, List.of()));
        }
        MetricsBenchmark.Reach reach = new MetricsBenchmark.Reach();
        reach.add(sorted, 4000, 9500);
        reach.add(sorted, Long.MIN_VALUE, 9500); // none settled: the whole call, from its start
        assertThat(reach.spurtsPerValue()).isEqualTo((6 + 10) / 2.0);
        assertThat(reach.secondsPerValue()).isEqualTo((5.5 + 9.5) / 2);
    }

    @Test
    void shouldReachBackAsFarIntoLongCallsAsIntoShortOnes() {
        // the settled part follows each call: a running value of a 20-minute call computes again
        // about as much of it as one of a 5-minute call, not the call so far
        MetricsBenchmark.Reach five = new MetricsBenchmark.Reach();
        MetricsBenchmark.Reach twenty = new MetricsBenchmark.Reach();
        MetricsBenchmark.plainLoop(SyntheticCalls.calls(8, 5, 1_764_000_000_000L, 60_000L, 3), JobConfig.DEFAULTS,
                true, s -> { }, null, five);
        MetricsBenchmark.plainLoop(SyntheticCalls.calls(2, 20, 1_764_000_000_000L, 60_000L, 3), JobConfig.DEFAULTS,
                true, s -> { }, null, twenty);
        assertThat(five.values).isGreaterThan(200);
        assertThat(twenty.values).isGreaterThan(200);
        assertThat(five.spurtsPerValue()).isGreaterThan(2);
        assertThat(twenty.spurtsPerValue()).isLessThan(1.5 * five.spurtsPerValue());
        assertThat(twenty.secondsPerValue()).isLessThan(1.5 * five.secondsPerValue()).isLessThan(60);
    }

    @Test
    void shouldTimeEveryRunInEveryRoundAfterTheWarmUp() throws Exception {
        int[] runs = new int[2];
        double[][] rounds = MetricsBenchmark.timeRounds(5, 2, () -> runs[0]++, () -> {
            runs[1]++;
            Thread.sleep(20);
        });
        assertThat(runs).containsExactly(5, 5);
        assertThat(rounds).hasDimensions(3, 2);
        for (double[] round : rounds) {
            assertThat(round[1]).isGreaterThanOrEqualTo(0.02).isGreaterThan(round[0]);
        }
        double[] best = MetricsBenchmark.bestOf(new double[][] {{3, 1}, {2, 4}, {5, 0.5}});
        assertThat(best).containsExactly(2, 0.5);
    }

    @Test
    void theBenchmarksOwnJvmHasAFixedResidentHeapAndKeepsTheOtherOptions() {
        List<String> options = List.of("--add-opens=java.base/java.util=ALL-UNNAMED", "-Xmx12g", "-Xms1g",
                "-XX:-AlwaysPreTouch", "-Dearshot.model=/m", "-XX:MaxHeapSize=99", "-javaagent:/a.jar",
                "-agentlib:jdwp=transport=dt_socket", "-XX:+UseG1GC");
        List<String> cmd = MetricsBenchmark.fixedHeapCommand("/jdk/bin/java", options, 12L << 30, "a.jar:b.jar",
                List.of("model", "fixtures", "report.md", "1000"));

        assertThat(cmd).containsSubsequence("/jdk/bin/java", "--add-opens=java.base/java.util=ALL-UNNAMED",
                "-Dearshot.model=/m", "-XX:+UseG1GC", "-Xms4096m", "-Xmx4096m", "-XX:+AlwaysPreTouch",
                "-D" + MetricsBenchmark.FIXED_HEAP_PROPERTY + "=4096", "-cp", "a.jar:b.jar",
                MetricsBenchmark.class.getName(), "model", "fixtures", "report.md", "1000");
        assertThat(cmd).doesNotContain("-Xmx12g", "-Xms1g", "-XX:-AlwaysPreTouch", "-XX:MaxHeapSize=99",
                "-javaagent:/a.jar", "-agentlib:jdwp=transport=dt_socket");
        // a smaller JVM than the cap gives its own maximum
        assertThat(MetricsBenchmark.fixedHeapCommand("java", List.of(), 1536L << 20, "x", List.of()))
                .contains("-Xms1536m", "-Xmx1536m");
    }

    @Test
    void shouldReadTheTimesACallLengthJvmPrintsAndNothingElseItPrints() {
        List<String> lines = List.of("WARNING: an illegal reflective access", "length 1 0.8 1.3 2.3 1.4 1.2",
                "length 5 0.9 1.4 2.5 1.6 1.3", "some log line length 15", "length 15 1.0 1.5 2.9 1.6 1.5",
                "length 60 1.0 1.4 2.8 2.0 1.7");
        double[][] best = MetricsBenchmark.LengthJvm.parse(lines);
        assertThat(best).hasDimensions(MetricsBenchmark.CALL_LENGTHS.length, 5);
        assertThat(best[0]).containsExactly(0.8, 1.3, 2.3, 1.4, 1.2);
        assertThat(best[3]).containsExactly(1.0, 1.4, 2.8, 2.0, 1.7);
        assertThatThrownBy(() -> MetricsBenchmark.LengthJvm.parse(lines.subList(0, 4)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no times for 15-minute calls");
    }

    @Test
    void shouldSetEachLengthsCostPerEventAgainstTheOneMinuteCallsOfTheSameJvm() {
        // two lengths as a JVM times them: plain apart, small job, large job, plain open, processing (seconds)
        double[][] best = {{1.0, 1.5, 2.5, 2.0, 1.6}, {1.2, 1.4, 2.6, 2.4, 2.4}};
        List<MetricsBenchmark.LengthCost> runs = List.of(
                new MetricsBenchmark.LengthCost(1, 3, 100_000, 40_000, 0, 0, 0, 0, 0, null, null, null, null),
                new MetricsBenchmark.LengthCost(60, 3, 200_000, 50_000, 0, 0, 0, 0, 0, null, null, null, null));
        double[][] perEvent = MetricsBenchmark.perEvent(best, runs);
        // the job: the larger run's extra time over its extra events
        assertThat(perEvent[0][0]).isCloseTo(1.0 / 60_000, org.assertj.core.api.Assertions.offset(1e-12));
        assertThat(perEvent[1][0]).isCloseTo(1.2 / 150_000, org.assertj.core.api.Assertions.offset(1e-12));
        // the larger run's processing time and the plain loops over all its events
        assertThat(perEvent[1]).hasSize(4).endsWith(2.4 / 200_000, 1.2 / 200_000, 2.4 / 200_000);
        double[][] ratios = MetricsBenchmark.lengthRatios(perEvent);
        assertThat(ratios[0]).containsExactly(1.0, 1.0, 1.0, 1.0);
        assertThat(ratios[1][0]).isCloseTo(0.48, org.assertj.core.api.Assertions.offset(1e-9));
        assertThat(ratios[1][1]).isCloseTo(0.75, org.assertj.core.api.Assertions.offset(1e-9));
        assertThat(ratios[1][2]).isCloseTo(0.6, org.assertj.core.api.Assertions.offset(1e-9));
        assertThat(ratios[1][3]).isCloseTo(0.6, org.assertj.core.api.Assertions.offset(1e-9));
        assertThat(MetricsBenchmark.median(new double[] {1.4, 1.1, 1.3})).isEqualTo(1.3);
        assertThat(MetricsBenchmark.median(new double[] {1.4, 1.1, 1.3, 1.2})).isCloseTo(1.25,
                org.assertj.core.api.Assertions.offset(1e-12));
    }

    @Test
    void aCallLengthJvmRunsItsOwnMainWithTheBenchmarksFixedHeap() {
        List<String> cmd = MetricsBenchmark.fixedHeapCommand("java", List.of("-Dearshot.model=/m"), 4L << 30, "x",
                MetricsBenchmark.LengthJvm.class, List.of());
        assertThat(cmd).containsSubsequence("java", "-Dearshot.model=/m", "-Xms4096m", "-Xmx4096m",
                "-XX:+AlwaysPreTouch", "-cp", "x", "io.earshot.pipeline.bench.MetricsBenchmark$LengthJvm");
        assertThat(cmd.get(cmd.size() - 1)).isEqualTo("io.earshot.pipeline.bench.MetricsBenchmark$LengthJvm");
    }
}
