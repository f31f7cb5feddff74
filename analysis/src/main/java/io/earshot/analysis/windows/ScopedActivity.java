package io.earshot.analysis.windows;

/** A call's activity on its way to one of the windows that count it (its agent's, team's or queue's). */
public record ScopedActivity(MetricsKey key, CallActivity activity) {
}
