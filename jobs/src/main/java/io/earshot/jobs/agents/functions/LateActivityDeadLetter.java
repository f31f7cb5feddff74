package io.earshot.jobs.agents.functions;

import io.earshot.analysis.windows.ScopedActivity;
import io.earshot.analysis.windows.WindowKind;
import io.earshot.analysis.events.DeadLetter;
import io.earshot.jobs.common.JobMetrics;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;

/**
 * Turns activity that reached a window after the watermark had closed it into a dead letter
 * with a counter, so it is visible instead of silently dropped. The call job stamps activity
 * so that this does not happen (see {@code AgentWindows}); a dead letter here means that
 * guarantee was broken.
 */
public final class LateActivityDeadLetter extends RichMapFunction<ScopedActivity, DeadLetter> {

    private static final long serialVersionUID = 1L;

    private final WindowKind kind;
    private transient Counter late;

    public LateActivityDeadLetter(WindowKind kind) {
        this.kind = kind;
    }

    @Override
    public void open(OpenContext context) {
        late = JobMetrics.counter(getRuntimeContext().getMetricGroup(), JobMetrics.LATE_EVENTS);
    }

    @Override
    public DeadLetter map(ScopedActivity s) {
        late.inc();
        return new DeadLetter(s.activity().callId(), "ACTIVITY", s.activity().atMs(),
                "activity behind the watermark for the " + kind.id() + " window of " + s.key().scope() + " "
                        + s.key().id());
    }
}
