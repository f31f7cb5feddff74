package io.earshot.pipeline.live;

import io.earshot.ingest.protocol.CallRejectedException;
import java.util.Map;
import java.util.Objects;

/**
 * Who is on a call: turns the agent, team and queue a telephony platform sends with a call
 * (AudioHook {@code customConfig}, Twilio {@code customParameters}, a Kafka {@code CallStarted})
 * into the call's metadata, against an optional roster.
 *
 * <p>With a roster, only its agents are accepted and their team and queue come from it unless
 * the call names its own queue; a call for any other agent is refused with a reason the caller
 * sees. Without one, any agent id is accepted. A call without an agent id takes
 * {@code defaultAgentId} if configured and is refused otherwise: metrics per agent are the
 * point, and an anonymous call would pollute them.
 */
public final class AgentDirectory {

    /** One roster entry. */
    public record Agent(String id, String team, String queue) {
        public Agent {
            Objects.requireNonNull(id, "id");
        }
    }

    /** What a call is attributed to. */
    public record Assignment(String agentId, String team, String queue) {
    }

    private final Map<String, Agent> roster;
    private final String defaultAgentId;

    /**
     * @param roster         agents by id; empty to accept any agent
     * @param defaultAgentId agent for calls that name none, or null to refuse them
     */
    public AgentDirectory(Map<String, Agent> roster, String defaultAgentId) {
        this.roster = Map.copyOf(roster);
        this.defaultAgentId = defaultAgentId;
    }

    /** Accepts any agent; calls without one are refused. */
    public static AgentDirectory open() {
        return new AgentDirectory(Map.of(), null);
    }

    /**
     * @throws CallRejectedException when the call names no agent and there is no default, or
     *                               names one the roster does not have
     */
    public Assignment assign(String agentId, String team, String queue) {
        String id = blankToNull(agentId);
        if (id == null) {
            id = defaultAgentId;
        }
        if (id == null) {
            throw new CallRejectedException("no agentId given for the call (AudioHook customConfig or Twilio "
                    + "customParameters \"agentId\")");
        }
        if (roster.isEmpty()) {
            return new Assignment(id, blankToNull(team), blankToNull(queue));
        }
        Agent agent = roster.get(id);
        if (agent == null) {
            throw new CallRejectedException("unknown agent '" + id + "': not in the configured roster");
        }
        String q = blankToNull(queue);
        return new Assignment(id, agent.team(), q != null ? q : agent.queue());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
