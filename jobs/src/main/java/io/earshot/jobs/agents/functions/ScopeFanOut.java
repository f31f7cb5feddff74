package io.earshot.jobs.agents.functions;

import io.earshot.analysis.windows.MetricsKey;
import io.earshot.analysis.windows.Scope;
import io.earshot.analysis.windows.ScopedActivity;
import io.earshot.analysis.windows.CallActivity;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Sends each call activity to the windows of its agent, its team and its queue. A call started
 * without a team or queue (null or blank) is simply not in that roll-up; one without an agent
 * is in no agent's window.
 */
public final class ScopeFanOut implements FlatMapFunction<CallActivity, ScopedActivity> {

    private static final long serialVersionUID = 1L;

    @Override
    public void flatMap(CallActivity a, Collector<ScopedActivity> out) {
        emit(Scope.AGENT, a.agentId(), a, out);
        emit(Scope.TEAM, a.team(), a, out);
        emit(Scope.QUEUE, a.queue(), a, out);
    }

    private static void emit(Scope scope, String id, CallActivity a, Collector<ScopedActivity> out) {
        if (id != null && !id.isBlank()) {
            out.collect(new ScopedActivity(new MetricsKey(scope, id), a));
        }
    }
}
