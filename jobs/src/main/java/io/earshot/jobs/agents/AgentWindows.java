package io.earshot.jobs.agents;

import io.earshot.analysis.windows.AgentWindowConfig;
import io.earshot.analysis.windows.MetricsKey;
import io.earshot.analysis.windows.ScopedActivity;
import io.earshot.analysis.windows.WindowKind;
import io.earshot.analysis.windows.WindowMetrics;
import io.earshot.jobs.agents.functions.LateActivityDeadLetter;
import io.earshot.jobs.common.ActivityWire;
import io.earshot.jobs.agents.functions.LiveWindowFunction;
import io.earshot.jobs.agents.functions.ScopeFanOut;
import io.earshot.jobs.agents.functions.TotalsAggregate;
import io.earshot.jobs.agents.functions.WindowMetricsFunction;
import io.earshot.analysis.windows.CallActivity;
import io.earshot.analysis.events.DeadLetter;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.windowing.assigners.SlidingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.assigners.WindowAssigner;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.OutputTag;

/**
 * Per agent, team and queue: the live sliding window for the floor and the hourly and daily
 * tumbling windows for analysts (docs/metrics.md, "Aggregation"), all in event time over the calls'
 * {@link CallActivity}. Each activity goes to its agent's, team's and queue's key of one keyed
 * stream; each window kind is one operator that sums the activity incrementally and labels the
 * sums with the window ({@link WindowMetrics}).
 *
 * <p>Time: an activity counts in the windows around its timestamp, the event time of the call
 * summary it came from. So a call's talk is placed where it became known (a spurt at its end,
 * within one running interval), and a call spanning an hour boundary is split between the hours
 * at that resolution, not to the millisecond of media. A call counts as ended
 * ({@code callsEnded}) in the window of its final summary, its end plus the call job's grace.
 * Replays give the same windows as the live run: the activity is a function of event time
 * (see {@code CallDynamicsFunction}) and nothing here reads a clock.
 *
 * <p>A window fires only if some activity fell in it: an agent's live window keeps updating
 * for 15 minutes after the agent's last activity (its values shrinking as calls slide out) and
 * then stops, so a consumer reads a missing update as "no calls", not as "unchanged". The live
 * window is {@link LiveWindowFunction}: each activity is added to one 10 s pane and the window
 * rolls over the panes (add the new pane, subtract the expired one), the same records as
 * Flink's sliding windows at O(1) per activity instead of adding it to each of the 90 windows
 * that overlap it. Hourly and daily windows are Flink's tumbling windows (one per activity).
 *
 * <p>Late data: none is expected. The call job emits activity from event-time timers, before
 * forwarding the watermark that fired them, so a window that would hold it has not fired yet.
 * Allowed lateness is therefore 0 (no window re-fires, no window state is kept after it ends),
 * and anything that does arrive late goes to the dead letters with a {@code lateEvents}
 * counter rather than vanishing.
 */
public final class AgentWindows {

    /** Activity that arrived after its window had fired. */
    public static final OutputTag<ScopedActivity> LATE = new OutputTag<>("late-activity") {
        private static final long serialVersionUID = 1L;
    };

    private AgentWindows() {
    }

    /** The window metrics, and late activity as dead letters. */
    public record Outputs(DataStream<WindowMetrics> metrics, DataStream<DeadLetter> late) {
    }

    /** Adds the scope fan-out and the three window operators to the activity stream's job. */
    public static Outputs define(DataStream<CallActivity> activity, AgentWindowConfig config) {
        return define(activity, config, WindowMetrics.Scoring.DEFAULTS);
    }

    /** The same, with the windows' listening score computed under {@code scoring}. */
    public static Outputs define(DataStream<CallActivity> activity, AgentWindowConfig config,
            WindowMetrics.Scoring scoring) {
        return define(activity, config, scoring, EnumSet.allOf(WindowKind.class));
    }

    /**
     * The same, with only the window kinds in {@code kinds} (at least one): a recording's run
     * has no use for the floor's live windows, and each kind costs a copy of every activity
     * record and an operator.
     */
    public static Outputs define(DataStream<CallActivity> activity, AgentWindowConfig config,
            WindowMetrics.Scoring scoring, Set<WindowKind> kinds) {
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("no window kind");
        }
        KeyedStream<ScopedActivity, MetricsKey> keyed = keyByScope(activity);
        DataStream<WindowMetrics> metrics = null;
        DataStream<DeadLetter> late = null;
        for (WindowKind kind : EnumSet.copyOf(kinds)) {
            SingleOutputStreamOperator<WindowMetrics> windows = window(keyed, kind, config, scoring);
            DataStream<DeadLetter> letters = lateLetters(windows, kind);
            metrics = metrics == null ? windows : metrics.union(windows);
            late = late == null ? letters : late.union(letters);
        }
        return new Outputs(metrics, late);
    }

    static KeyedStream<ScopedActivity, MetricsKey> keyByScope(DataStream<CallActivity> activity) {
        return activity
                .flatMap(new ScopeFanOut(), ActivityWire.INSTANCE)
                .uid("activity-scopes").name("Activity per agent, team and queue")
                .keyBy(ScopedActivity::key, TypeInformation.of(MetricsKey.class));
    }

    /** One window kind over all scopes: incremental sums, labelled when the window fires. */
    static SingleOutputStreamOperator<WindowMetrics> window(KeyedStream<ScopedActivity, MetricsKey> keyed,
            WindowKind kind, AgentWindowConfig config, WindowMetrics.Scoring scoring) {
        if (kind == WindowKind.LIVE) {
            return keyed
                    .process(new LiveWindowFunction(config, scoring), TypeInformation.of(WindowMetrics.class))
                    .uid("agent-windows-" + kind.id()).name(describe(kind, config));
        }
        return keyed
                .window(assigner(kind, config))
                .allowedLateness(Duration.ZERO)
                .sideOutputLateData(LATE)
                .aggregate(new TotalsAggregate(), new WindowMetricsFunction(kind, scoring))
                .uid("agent-windows-" + kind.id()).name(describe(kind, config));
    }

    static WindowAssigner<Object, TimeWindow> assigner(WindowKind kind, AgentWindowConfig config) {
        return switch (kind) {
            case LIVE -> SlidingEventTimeWindows.of(Duration.ofMillis(config.liveSizeMs()),
                    Duration.ofMillis(config.liveSlideMs()));
            case HOURLY -> TumblingEventTimeWindows.of(Duration.ofMillis(AgentWindowConfig.HOUR_MS),
                    Duration.ofMillis(config.hourWindowOffsetMs()));
            case DAILY -> TumblingEventTimeWindows.of(Duration.ofMillis(AgentWindowConfig.DAY_MS),
                    Duration.ofMillis(config.dayWindowOffsetMs()));
        };
    }

    private static String describe(WindowKind kind, AgentWindowConfig config) {
        return switch (kind) {
            case LIVE -> "Live window (" + span(config.liveSizeMs()) + " every " + span(config.liveSlideMs())
                    + ") per agent, team, queue";
            case HOURLY -> "Hourly window per agent, team, queue";
            case DAILY -> "Daily window per agent, team, queue";
        };
    }

    private static String span(long ms) {
        return ms % 60_000 == 0 ? ms / 60_000 + " min" : ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }

    private static DataStream<DeadLetter> lateLetters(SingleOutputStreamOperator<WindowMetrics> windows,
            WindowKind kind) {
        return windows.getSideOutput(LATE)
                .map(new LateActivityDeadLetter(kind))
                .uid("late-activity-" + kind.id()).name("Late activity (" + kind.id() + ") to dead letters");
    }
}
