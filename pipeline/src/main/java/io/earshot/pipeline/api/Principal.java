package io.earshot.pipeline.api;

import java.util.Objects;
import java.util.Set;

/**
 * Who is calling the API or watching the dashboard: a token's role and, for a floor
 * supervisor, the teams they may see; for an agent's desk, the one agent whose nudges it shows.
 *
 * @param tokenId the token's public id (never the secret)
 * @param role    what the token may do
 * @param teams   the teams a supervisor sees; empty for the other roles (analysts and admins see
 *                all teams, an agent's token none)
 * @param agentId the agent an AGENT token belongs to; null for every other role
 */
public record Principal(String tokenId, Role role, Set<String> teams, String agentId) {

    /**
     * The roles of access control: the floor, the analysts, the administrators, and an agent's
     * own page. An AGENT token opens only its agent's nudge stream: no floor, no API, no other
     * agent.
     */
    public enum Role { SUPERVISOR, ANALYST, ADMIN, AGENT }

    public Principal {
        Objects.requireNonNull(tokenId, "tokenId");
        Objects.requireNonNull(role, "role");
        teams = Set.copyOf(teams);
        if (role == Role.AGENT && (agentId == null || agentId.isBlank())) {
            throw new IllegalArgumentException("an AGENT principal names its agent");
        }
        if (role != Role.AGENT && agentId != null) {
            throw new IllegalArgumentException("only an AGENT principal names an agent; " + role + " does not");
        }
        if (role == Role.AGENT && !teams.isEmpty()) {
            throw new IllegalArgumentException("an AGENT principal sees no teams");
        }
    }

    /** A supervisor, analyst or admin. */
    public Principal(String tokenId, Role role, Set<String> teams) {
        this(tokenId, role, teams, null);
    }

    /** The principal of an agent's desk: the nudges of {@code agentId} and nothing else. */
    public static Principal agent(String tokenId, String agentId) {
        return new Principal(tokenId, Role.AGENT, Set.of(), agentId);
    }

    /**
     * Whether this principal may see data of {@code team} (null: a call with no team). An
     * agent's token sees no team's data: not even its own agent's calls on the floor.
     */
    public boolean canSeeTeam(String team) {
        return switch (role) {
            case ANALYST, ADMIN -> true;
            case SUPERVISOR -> team != null && teams.contains(team);
            case AGENT -> false;
        };
    }

    /**
     * Whether this principal may read a nudge for {@code agent} about a call of {@code team}: an
     * agent's token only its own agent's, whatever the team; the others by {@link #canSeeTeam}.
     */
    public boolean canSeeNudgesOf(String agent, String team) {
        return role == Role.AGENT ? agentId.equals(agent) : canSeeTeam(team);
    }
}
