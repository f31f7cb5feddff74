package io.earshot.ingest.audio;

/** Which channel of a stereo recording carries the agent; the other carries the customer. */
public enum AgentChannel {
    LEFT,
    RIGHT;

    /** Parses {@code left} or {@code right}, case-insensitively. */
    public static AgentChannel parse(String value) {
        for (AgentChannel c : values()) {
            if (c.name().equalsIgnoreCase(value)) {
                return c;
            }
        }
        throw new IllegalArgumentException("agent channel must be 'left' or 'right', not '" + value + "'");
    }

    int index() {
        return this == LEFT ? 0 : 1;
    }
}
