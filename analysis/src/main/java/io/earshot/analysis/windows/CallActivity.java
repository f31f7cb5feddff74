package io.earshot.analysis.windows;

import io.earshot.analysis.metrics.ListeningTotals;

/**
 * What changed in one call since its previous activity record: the difference between the
 * totals of two consecutive summaries of the call (running or final). The call-metrics operator
 * emits one whenever a summary changes something; a call's deltas sum to its final summary's
 * totals, so windows that add them up count every call exactly once, however they cut it.
 *
 * <p>{@code atMs} is the event time of the summary the delta came from, and the record's
 * timestamp: activity is placed in time where it became known (a talk spurt at its end, plus
 * up to one running interval), not spread over the media it describes. That keeps it on time
 * for every window downstream; see {@code AgentWindows}.
 *
 * @param delta this record's change; fields may be negative when a running classification
 *              was revised (see {@link ListeningTotals})
 */
public record CallActivity(String callId, String agentId, String team, String queue, long atMs,
        ListeningTotals delta) {
}
