package io.earshot.jobs.calls;

import io.earshot.jobs.common.SegmentItem;
import io.earshot.jobs.common.UtteranceItem;
import io.earshot.jobs.metrics.CallMetrics;
import java.util.ArrayList;
import java.util.List;

/**
 * The metric job's output for one call: running values while it is live ({@code isFinal}
 * false) and one final summary when it ends ({@code endReason} "ended") or falls silent for
 * the inactivity timeout ("inactivity").
 *
 * @param emittedAtMs event time (epoch ms) at which these values hold
 */
public record CallSummary(String callId, String agentId, String team, String queue, long mediaStartEpochMs,
        boolean isFinal, String endReason, long emittedAtMs, CallMetrics metrics, List<SegmentItem> segments,
        List<UtteranceItem> transcript) {

    public CallSummary {
        segments = new ArrayList<>(segments);
        transcript = new ArrayList<>(transcript);
    }
}
