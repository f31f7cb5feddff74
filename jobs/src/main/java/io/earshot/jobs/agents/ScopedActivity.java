package io.earshot.jobs.agents;

import io.earshot.jobs.common.CallActivity;

/** A call's activity on its way to one of the windows that count it (its agent's, team's or queue's). */
public record ScopedActivity(MetricsKey key, CallActivity activity) {
}
