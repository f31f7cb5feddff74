package io.earshot.jobs.agents.functions;

import io.earshot.analysis.windows.MetricsKey;
import io.earshot.analysis.windows.WindowKind;
import io.earshot.analysis.windows.WindowMetrics;
import io.earshot.analysis.metrics.ListeningTotals;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** Labels a window's summed totals with its key, kind and bounds, and derives the rates. */
public final class WindowMetricsFunction
        extends ProcessWindowFunction<ListeningTotals, WindowMetrics, MetricsKey, TimeWindow> {

    private static final long serialVersionUID = 1L;

    private final WindowKind kind;
    private final WindowMetrics.Scoring scoring;

    public WindowMetricsFunction(WindowKind kind, WindowMetrics.Scoring scoring) {
        this.kind = kind;
        this.scoring = scoring;
    }

    @Override
    public void process(MetricsKey key, Context ctx, Iterable<ListeningTotals> totals, Collector<WindowMetrics> out) {
        TimeWindow w = ctx.window();
        for (ListeningTotals t : totals) { // exactly one: the aggregate's result
            out.collect(WindowMetrics.of(key, kind, w.getStart(), w.getEnd(), t, scoring));
        }
    }
}
