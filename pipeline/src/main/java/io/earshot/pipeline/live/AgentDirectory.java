package io.earshot.pipeline.live;

import io.earshot.ingest.protocol.CallRejectedException;
import java.util.Map;
import java.util.Objects;

/**
 * Who is on a call: turns the agent, team and queue a telephony platform sends with a call
 * (AudioHook {@code customConfig}, Twilio {@code customParameters}, a Kafka {@code CallStarted})
 * into the call's metadata, against an optional roster.
 *
 * <p>With a roster, the roster is the only source of identity: only its agents are accepted, and
 * their team and queue always come from it. A team or queue the caller sends is ignored (not
 * refused: platforms send their own routing names, which need not match the roster's), so a
 * caller cannot put an agent into another team's figures. A call for an agent not on the roster
 * is refused; the refusal's message is for the log, the caller hears only that the call was
 * refused, so it cannot probe who is on the roster. Refused calls never publish anything, so
 * the floor never learns an unknown agent. Without a roster, any agent id is accepted with the
 * caller's team and queue. A call without an agent id takes {@code defaultAgentId} if
 * configured and is refused otherwise: metrics per agent are the point, and an anonymous call
 * would pollute them. A call on the default agent says so in its {@code CallStarted}
 * ({@code awaitingAssignment}): its real agent may still come on {@code earshot.call-assignments}
 * (a Genesys notification bridge, see docs/integrations/genesys.md), and the metric job waits
 * for it.
 */
public final class AgentDirectory {

    /** One roster entry. */
    public record Agent(String id, String team, String queue) {
        public Agent {
            Objects.requireNonNull(id, "id");
        }
    }

    /**
     * What a call is attributed to.
     *
     * @param defaulted the call named no agent and got {@code defaultAgentId}: its real agent is
     *                  expected later, on {@code earshot.call-assignments}
     */
    public record Assignment(String agentId, String team, String queue, boolean defaulted) {

        /** An assignment of an agent the call named. */
        public Assignment(String agentId, String team, String queue) {
            this(agentId, team, queue, false);
        }
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
     * @param team  the caller's team, used only without a roster
     * @param queue the caller's queue, used only without a roster
     * @throws CallRejectedException when the call names no agent and there is no default, or
     *                               names one the roster does not have
     */
    public Assignment assign(String agentId, String team, String queue) {
        String id = blankToNull(agentId);
        boolean defaulted = id == null;
        if (defaulted) {
            id = defaultAgentId;
        }
        if (id == null) {
            throw new CallRejectedException("no agentId given for the call (AudioHook customConfig or Twilio "
                    + "customParameters \"agentId\")");
        }
        if (roster.isEmpty()) {
            return new Assignment(id, blankToNull(team), blankToNull(queue), defaulted);
        }
        Agent agent = roster.get(id);
        if (agent == null) {
            throw new CallRejectedException("unknown agent '" + id + "': not in the configured roster");
        }
        return new Assignment(id, agent.team(), agent.queue(), defaulted);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
