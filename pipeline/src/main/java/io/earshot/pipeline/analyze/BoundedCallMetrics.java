package io.earshot.pipeline.analyze;

import io.earshot.analysis.windows.WindowKind;
import io.earshot.analysis.windows.WindowMetrics;
import io.earshot.jobs.calls.CallMetricsJob;
import io.earshot.analysis.summary.CallSummary;
import io.earshot.analysis.config.JobConfig;
import io.earshot.analysis.events.CallEvent;
import io.earshot.analysis.events.DeadLetter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * Runs the call-metrics job over a bounded list of events on a local Flink MiniCluster: the
 * same workflow the live job runs, in streaming mode, so recorded and live calls agree. At
 * the end of input the watermark jumps to the end of time and every call's final summary
 * comes out. No type of the run falls back to Kryo ({@link CallMetricsJob#disableGenericTypes}), and
 * chained operators pass records without copies ({@link CallMetricsJob#reuseObjects}).
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
        CallMetricsJob.disableGenericTypes(env);
        CallMetricsJob.reuseObjects(env);
        // the floor's live sliding windows mean nothing for a recording: only hourly and daily run
        CallMetricsJob.Outputs out = CallMetricsJob.defineWorkflow(
                env.fromData(events).setParallelism(1).name("Recorded call events"), config,
                EnumSet.of(WindowKind.HOURLY, WindowKind.DAILY));
        List<CallSummary> summaries = new ArrayList<>();
        List<WindowMetrics> windows = new ArrayList<>();
        List<DeadLetter> dead = new ArrayList<>();
        try (CloseableIterator<Emitted> it = out.summaries().filter(CallSummary::isFinal)
                .map(Emitted::ofSummary).returns(Emitted.class)
                .union(out.windows().map(Emitted::ofWindow).returns(Emitted.class),
                        out.deadLetters().map(Emitted::ofDeadLetter).returns(Emitted.class))
                .executeAndCollect("earshot analyze")) {
            while (it.hasNext()) {
                Emitted o = it.next();
                if (o.summary != null) {
                    summaries.add(o.summary);
                } else if (o.window != null) {
                    windows.add(o.window);
                } else {
                    dead.add(o.deadLetter);
                }
            }
        }
        return new Result(summaries, windows, dead);
    }

    /**
     * One output of the run, whichever of the three it is (the others null): the outputs are
     * collected as one stream, and a common type Flink serializes itself keeps Kryo out
     * ({@link CallMetricsJob#disableGenericTypes}). A Flink POJO.
     */
    public static final class Emitted {
        public CallSummary summary;
        public WindowMetrics window;
        public DeadLetter deadLetter;

        public Emitted() {
        }

        static Emitted ofSummary(CallSummary s) {
            Emitted e = new Emitted();
            e.summary = s;
            return e;
        }

        static Emitted ofWindow(WindowMetrics w) {
            Emitted e = new Emitted();
            e.window = w;
            return e;
        }

        static Emitted ofDeadLetter(DeadLetter d) {
            Emitted e = new Emitted();
            e.deadLetter = d;
            return e;
        }
    }
}
