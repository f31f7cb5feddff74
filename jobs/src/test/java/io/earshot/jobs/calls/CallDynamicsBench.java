package io.earshot.jobs.calls;

import io.earshot.jobs.calls.functions.CallDynamicsFunction;
import io.earshot.jobs.common.CallEvent;
import io.earshot.jobs.common.SyntheticCalls;
import io.earshot.schemas.Role;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
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
 * JMH micro-benchmark of the call operator's hot path: one new spurt of a live call that is
 * already {@code minutes} long, and the running value it causes (the watermark moved to the
 * next grid time), under Flink's keyed harness with heap state. Each iteration starts from a
 * freshly loaded call and runs a batch of 20 such events, so the call grows by 20 spurts at most
 * while measured. Flat across {@code minutes} means the per-event cost does not grow with the call.
 *
 * <p>Not a test (not run by {@code verify}); run it as {@code jobs/README.md}, "Benchmarks", says.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, batchSize = 20)
@Measurement(iterations = 10, batchSize = 20)
@Fork(1)
public class CallDynamicsBench {

    private static final long START = 1_764_000_000_000L;

    @Param({"1", "5", "15", "60"})
    public int minutes;

    private KeyedOneInputStreamOperatorTestHarness<String, CallEvent, CallSummary> harness;
    private long t;

    @Setup(Level.Iteration)
    public void loadTheCall() throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new CallDynamicsFunction(JobConfig.DEFAULTS),
                e -> e.callId, Types.STRING);
        List<CallEvent> call = SyntheticCalls.call("c", "agent-1", START, minutes, 7);
        t = minutes * 60_000L;
        // the watermark first, so loading the call costs one running value, not one per grid time
        harness.processWatermark(START + t - 1);
        for (CallEvent e : call.subList(0, call.size() - 1)) { // all but its end: the call is live
            harness.processElement(e, e.eventTimeMs);
        }
        harness.processWatermark(START + t);
        harness.getOutput().clear();
    }

    @TearDown(Level.Iteration)
    public void close() throws Exception {
        harness.close();
    }

    /** One spurt of the agent, then the watermark to the running value it causes. */
    @Benchmark
    public int spurtAndRunningValue() throws Exception {
        CallEvent e = CallEvent.segment("c", START, Role.AGENT, t, t + 4_000, 150, 3, -28);
        t += 5_000;
        harness.processElement(e, e.eventTimeMs);
        harness.processWatermark(START + t);
        int out = harness.getOutput().size();
        harness.getOutput().clear();
        return out;
    }
}
