package io.earshot.pipeline.simulate;

import java.util.Objects;

/**
 * How each simulated call is labelled. In each value {@code {i}} is replaced by the call's index
 * (1-based), so {@code agent-{i}} gives every call its own agent.
 */
public record CallMetadata(String agentId, String team, String queue) {

    public static final CallMetadata DEFAULTS = new CallMetadata("agent-{i}", "team-sim", "queue-sim");

    public CallMetadata {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(team, "team");
        Objects.requireNonNull(queue, "queue");
    }

    /** Call {@code index} (1-based) of the run, streaming {@code recording}; its id is the file stem plus the index. */
    public SimulatedCall call(int index, SimulatedCall.Recording recording) {
        String i = Integer.toString(index);
        return new SimulatedCall(recording.stem() + "-" + i, agentId.replace("{i}", i), team.replace("{i}", i),
                queue.replace("{i}", i), recording);
    }
}
