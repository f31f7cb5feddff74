package io.earshot.jobs.agents.functions;

import io.earshot.analysis.windows.AgentWindowConfig;
import io.earshot.jobs.agents.AgentWindows;
import io.earshot.analysis.windows.MetricsKey;
import io.earshot.analysis.windows.ScopedActivity;
import io.earshot.analysis.windows.WindowKind;
import io.earshot.analysis.windows.WindowMetrics;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The live sliding window of one agent, team or queue, in O(1) per activity: each activity is
 * added to one fixed pane (the greatest common divisor of the window's size and slide, 10 s by
 * default), and the window is rolled over the panes as it slides (the new pane added, the
 * expired one subtracted; {@link io.earshot.analysis.metrics.ListeningTotals} are additive), instead
 * of adding every activity to each of the 90 overlapping windows that hold it.
 *
 * <p>The output is what Flink's {@code SlidingEventTimeWindows} with an incremental sum, no
 * allowed lateness and late data to {@link AgentWindows#LATE} gives, record for record: a window
 * {@code [end - size, end)} fires at event time {@code end - 1}, once the watermark reaches it,
 * if and only if some activity fell in it, with the sum of that activity. An activity whose
 * every window has fired goes to the late output; one whose earlier windows have fired (behind
 * the watermark but not by a whole window) counts in the later ones only, as in Flink.
 *
 * <p>After a restore the operator starts without a watermark, as Flink's window operator does,
 * and the panes, the carried sum and the timers come back from the checkpoint; activity after a
 * restore is never behind the watermark the windows had before it (the call job emits activity
 * from event-time timers before forwarding the watermark that fired them), and under that the
 * output is again the sliding windows' record for record ({@code LiveWindowPanesTest} restores
 * both midway).
 *
 * <p>State per key: the panes still inside some window that will fire, the sum carried over to
 * the next window and its end. A timer fires each window; after it, the expired pane is
 * subtracted and dropped, and when nothing known remains for a later window the carried sum is
 * dropped too, so an idle key holds no state and no timer.
 */
public final class LiveWindowFunction extends KeyedProcessFunction<MetricsKey, ScopedActivity, WindowMetrics> {

    private static final long serialVersionUID = 1L;

    private final long size;
    private final long slide;
    private final long pane;
    private final WindowMetrics.Scoring scoring;

    private transient MapState<Long, PaneTotals> panes;
    private transient ValueState<PaneTotals> carried;
    private transient ValueState<Long> carriedUntil;

    public LiveWindowFunction(AgentWindowConfig config, WindowMetrics.Scoring scoring) {
        this.size = config.liveSizeMs();
        this.slide = config.liveSlideMs();
        this.pane = gcd(size, slide);
        this.scoring = scoring;
    }

    @Override
    public void open(OpenContext context) {
        panes = getRuntimeContext().getMapState(new MapStateDescriptor<>("panes", Types.LONG,
                Types.POJO(PaneTotals.class)));
        carried = getRuntimeContext().getState(new ValueStateDescriptor<>("carried", Types.POJO(PaneTotals.class)));
        carriedUntil = getRuntimeContext().getState(new ValueStateDescriptor<>("carriedUntil", Types.LONG));
    }

    @Override
    public void processElement(ScopedActivity a, Context ctx, Collector<WindowMetrics> out) throws Exception {
        long t = ctx.timestamp();
        long watermark = ctx.timerService().currentWatermark();
        long lastStart = Math.floorDiv(t, slide) * slide;
        if (lastStart + size - 1 <= watermark) {
            ctx.output(AgentWindows.LATE, a); // every window holding it has fired
            return;
        }
        long firstEnd = lastStart - (lastStart - t + size - 1) / slide * slide + size;
        if (firstEnd - 1 <= watermark) {
            // behind the watermark: it counts in the windows that have not fired yet
            firstEnd -= Math.floorDiv(firstEnd - watermark - 2, slide) * slide;
        }
        long p = Math.floorDiv(t, pane) * pane;
        PaneTotals in = panes.get(p);
        panes.put(p, (in == null ? PaneTotals.EMPTY : in).plus(a.activity().delta()));
        Long until = carriedUntil.value();
        if (until != null && p < until) {
            carried.update(carried.value().plus(a.activity().delta()));
        }
        ctx.timerService().registerEventTimeTimer(firstEnd - 1);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<WindowMetrics> out) throws Exception {
        long end = timestamp + 1;
        long start = end - size;
        Long until = carriedUntil.value();
        PaneTotals sum;
        if (until != null && until == end - slide) {
            sum = carried.value();
            for (long p = until; p < end; p += pane) {
                PaneTotals in = panes.get(p);
                sum = in == null ? sum : sum.plus(in);
            }
        } else {
            // the key was idle: sum what its panes hold for this window
            sum = PaneTotals.EMPTY;
            List<Long> stale = new ArrayList<>();
            for (Map.Entry<Long, PaneTotals> e : panes.entries()) {
                if (e.getKey() < start) {
                    stale.add(e.getKey()); // cannot happen (a pane's first window fires before it expires); never kept
                } else if (e.getKey() < end) {
                    sum = sum.plus(e.getValue());
                }
            }
            for (Long p : stale) {
                panes.remove(p);
            }
        }
        if (sum.activities() > 0) {
            out.collect(WindowMetrics.of(ctx.getCurrentKey(), WindowKind.LIVE, start, end, sum.totals(), scoring));
        }
        for (long p = start; p < start + slide; p += pane) { // in no later window
            PaneTotals in = panes.get(p);
            if (in != null) {
                sum = sum.minus(in);
                panes.remove(p);
            }
        }
        if (sum.activities() > 0) {
            carried.update(sum);
            carriedUntil.update(end);
            ctx.timerService().registerEventTimeTimer(end + slide - 1);
        } else {
            // nothing known before this end reaches a later window; later panes have their own timers
            carried.clear();
            carriedUntil.clear();
            Iterator<Long> left = panes.keys().iterator();
            if (!left.hasNext()) {
                panes.clear();
            }
        }
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
