package io.earshot.pipeline.api;

import java.util.Objects;
import java.util.Set;

/**
 * Who is calling the API or watching the dashboard: a token's role and, for a floor
 * supervisor, the teams they may see.
 *
 * @param tokenId the token's public id (never the secret)
 * @param role    what the token may do
 * @param teams   the teams a supervisor sees; ignored for analysts and admins, who see all
 */
public record Principal(String tokenId, Role role, Set<String> teams) {

    /** The roles of issue-level access control: the floor, the analysts, the administrators. */
    public enum Role { SUPERVISOR, ANALYST, ADMIN }

    public Principal {
        Objects.requireNonNull(tokenId, "tokenId");
        Objects.requireNonNull(role, "role");
        teams = Set.copyOf(teams);
    }

    /** Whether this principal may see data of {@code team} (null: a call with no team). */
    public boolean canSeeTeam(String team) {
        return role != Role.SUPERVISOR || (team != null && teams.contains(team));
    }
}
