package io.earshot.jobs.calls.functions;

import io.earshot.analysis.events.CallEvent;
import io.earshot.analysis.events.DeadLetter;
import io.earshot.jobs.common.JobMetrics;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Lets through only events that can be keyed and timed: a call id, a kind and a
 * non-negative event time (and an assignment, an agent id). Anything else goes to the dead letters here, before
 * {@code keyBy}, where a missing key would fail the job; so does a source record that could
 * not be decoded ({@link CallEvent.Kind#UNDECODABLE}, with the source's reason).
 */
public final class EventValidator extends ProcessFunction<CallEvent, CallEvent> {

    private static final long serialVersionUID = 1L;

    private transient Counter rejected;
    private transient Counter in;

    @Override
    public void open(OpenContext context) {
        rejected = JobMetrics.counter(getRuntimeContext().getMetricGroup(), JobMetrics.DEAD_LETTERS);
        in = JobMetrics.counter(getRuntimeContext().getMetricGroup(), JobMetrics.EVENTS_IN);
    }

    @Override
    public void processElement(CallEvent e, Context ctx, Collector<CallEvent> out) {
        in.inc();
        String problem = e == null ? "empty event"
                : e.kind == CallEvent.Kind.UNDECODABLE ? "undecodable record: " + e.reason
                : e.callId == null || e.callId.isBlank() ? "event without a call id"
                : e.kind == null ? "event without a kind"
                : e.eventTimeMs < 0 ? "negative event time"
                : e.kind == CallEvent.Kind.ASSIGNED && (e.agentId == null || e.agentId.isBlank())
                        ? "assignment without an agent id" : null;
        if (problem == null) {
            out.collect(e);
        } else {
            rejected.inc();
            ctx.output(CallDynamicsFunction.DEAD_LETTERS, new DeadLetter(e == null ? null : e.callId,
                    e == null ? null : String.valueOf(e.kind), e == null ? -1 : e.eventTimeMs, problem));
        }
    }
}
