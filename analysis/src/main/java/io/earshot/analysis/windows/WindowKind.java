package io.earshot.analysis.windows;

/**
 * The three views of docs/metrics.md, "Aggregation": the floor's live sliding window and the
 * analysts' hourly and daily tumbling windows. Sizes are in {@link AgentWindowConfig}.
 */
public enum WindowKind {
    LIVE, HOURLY, DAILY;

    /** Lower-case name, as used in operator uids. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
