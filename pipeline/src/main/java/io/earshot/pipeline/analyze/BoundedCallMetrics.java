package io.earshot.pipeline.analyze;

import io.earshot.analysis.windows.WindowKind;
import io.earshot.analysis.windows.WindowMetrics;
import io.earshot.jobs.calls.CallMetricsJob;
import io.earshot.analysis.summary.CallSummary;
import io.earshot.analysis.config.JobConfig;
import io.earshot.analysis.events.CallEvent;
import io.earshot.analysis.events.DeadLetter;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * Runs the call-metrics job over a bounded list of events on a local Flink MiniCluster: the
 * same workflow the live job runs, in streaming mode, so recorded and live calls agree. At
 * the end of input the watermark jumps to the end of time and every call's final summary
 * comes out.
 */
public final class BoundedCallMetrics {

    /** Final summaries, the analysts' hourly and daily windows, and dead letters of one run. */
    public record Result(List<CallSummary> summaries, List<WindowMetrics> windows, List<DeadLetter> deadLetters) {
    }

    private BoundedCallMetrics() {
    }

    public static Result run(List<CallEvent> events, JobConfig config, int parallelism) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);
        CallMetricsJob.Outputs out = CallMetricsJob.defineWorkflow(
                env.fromData(events).setParallelism(1).name("Recorded call events"), config);
        List<CallSummary> summaries = new ArrayList<>();
        List<WindowMetrics> windows = new ArrayList<>();
        List<DeadLetter> dead = new ArrayList<>();
        // the floor's live sliding windows mean nothing for a recording; hourly and daily do
        try (CloseableIterator<Object> it = out.summaries().filter(CallSummary::isFinal).map(s -> (Object) s)
                .union(out.windows().filter(w -> w.window() != WindowKind.LIVE).map(w -> (Object) w),
                        out.deadLetters().map(d -> (Object) d))
                .executeAndCollect("earshot analyze")) {
            while (it.hasNext()) {
                Object o = it.next();
                if (o instanceof CallSummary s) {
                    summaries.add(s);
                } else if (o instanceof WindowMetrics w) {
                    windows.add(w);
                } else {
                    dead.add((DeadLetter) o);
                }
            }
        }
        return new Result(summaries, windows, dead);
    }
}
