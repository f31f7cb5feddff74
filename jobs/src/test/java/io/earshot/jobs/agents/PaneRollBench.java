package io.earshot.jobs.agents;

import io.earshot.analysis.windows.AgentWindowConfig;
import io.earshot.analysis.windows.MetricsKey;
import io.earshot.analysis.windows.ScopedActivity;
import io.earshot.analysis.windows.WindowKind;
import io.earshot.analysis.windows.WindowMetrics;
import io.earshot.jobs.agents.functions.TotalsAggregate;
import io.earshot.jobs.agents.functions.WindowMetricsFunction;
import io.earshot.analysis.windows.CallActivity;
import io.earshot.analysis.metrics.ListeningTotals;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH micro-benchmark of the live window's hot path for one busy agent: an activity every
 * 10 s slide and the window that fires as the watermark passes it (the roll: new pane added,
 * expired pane subtracted), in steady state (the 15-minute window full). {@code panes} is
 * {@code AgentWindows}' operator, {@code sliding} Flink's sliding windows as the job used before,
 * for comparison.
 *
 * <p>Not a test: {@code verify} compiles it (JMH's annotation processor generates the harness),
 * {@code ./mvnw -o -pl jobs -Pjmh test-compile exec:exec} runs it (jobs/README.md, "Benchmarks").
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PaneRollBench {

    private static final long START = 1_764_000_000_000L;

    @Param({"panes", "sliding"})
    public String operator;

    private KeyedOneInputStreamOperatorTestHarness<MetricsKey, ScopedActivity, WindowMetrics> harness;
    private ScopedActivity activity;
    private long t;

    @Setup(Level.Iteration)
    @SuppressWarnings("unchecked")
    public void open() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        DataStream<CallActivity> source = env.fromData(new CallActivity("c", "a", "t", "q", START, ListeningTotals.ZERO));
        KeyedStream<ScopedActivity, MetricsKey> keyed = AgentWindows.keyByScope(source);
        OneInputTransformation<ScopedActivity, WindowMetrics> transformation = (OneInputTransformation<ScopedActivity,
                WindowMetrics>) (operator.equals("panes")
                ? AgentWindows.window(keyed, WindowKind.LIVE, AgentWindowConfig.DEFAULTS, WindowMetrics.Scoring.DEFAULTS)
                : keyed.window(AgentWindows.assigner(WindowKind.LIVE, AgentWindowConfig.DEFAULTS))
                        .allowedLateness(Duration.ZERO).sideOutputLateData(AgentWindows.LATE)
                        .aggregate(new TotalsAggregate(), new WindowMetricsFunction(WindowKind.LIVE,
                                WindowMetrics.Scoring.DEFAULTS))).getTransformation();
        harness = new KeyedOneInputStreamOperatorTestHarness<>(transformation.getOperatorFactory(), ScopedActivity::key,
                TypeInformation.of(MetricsKey.class));
        harness.open();
        activity = new ScopedActivity(new MetricsKey(io.earshot.analysis.windows.Scope.AGENT, "agent-1"), new CallActivity("c", "agent-1", "t",
                "q", START, new ListeningTotals(5_000, 2_000, 2_500, 100, 400, 1, 100, 0, 1, 0, 1, 1, 300, 0, 0)));
        t = START;
        for (int i = 0; i < 100; i++) { // fill the 15-minute window
            roll();
        }
    }

    @TearDown(Level.Iteration)
    public void close() throws Exception {
        harness.close();
    }

    /** One activity in the next pane, and the window the watermark then passes. */
    @Benchmark
    public int roll() throws Exception {
        t += 10_000;
        harness.processElement(activity, t - 5_000);
        harness.processWatermark(t - 1);
        int out = harness.getOutput().size();
        harness.getOutput().clear();
        return out;
    }
}
