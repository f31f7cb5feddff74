package io.earshot.pipeline.web;

import io.earshot.pipeline.api.Principal;
import io.earshot.pipeline.api.Principal.Role;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Who may do what, for the query API and the dashboard alike: the role sets routes declare,
 * and every decision that scopes a caller to its teams or its agent, each with the refusal it
 * answers. Team visibility itself is {@link Principal#canSeeTeam}; this class is the one place
 * that turns it and the role into allowed or refused, so the two sides cannot drift.
 *
 * <p>Two kinds of refusal, on purpose: what a supervisor asks for by name (a team, an agent, a
 * ranking of a team) is 403, as the name is the caller's own; a single thing found by id (a
 * call, an alert, another team's agent's nudge stream) is 404, as if it did not exist, so ids
 * of other teams cannot be probed.
 */
public final class Access {

    /** No token needed (the OpenAPI document). */
    public static final Set<Role> PUBLIC = Set.of();
    /** Everyone who reads the data: an agent's token opens only its own nudges. */
    public static final Set<Role> READERS = Set.of(Role.SUPERVISOR, Role.ANALYST, Role.ADMIN);
    /** Token administration. */
    public static final Set<Role> ADMINS = Set.of(Role.ADMIN);
    /** The nudge stream: the readers, and an agent's desk for its own agent ({@link #requireNudgeStream}). */
    public static final Set<Role> READERS_AND_DESKS = Set.of(Role.SUPERVISOR, Role.ANALYST, Role.ADMIN, Role.AGENT);

    /** Whether an agent works for some of a set of teams; may ask the store. */
    @FunctionalInterface
    public interface AgentTeams {
        boolean worksFor(String agentId, Set<String> teams) throws Exception;
    }

    private Access() {
    }

    /**
     * 403 unless {@code principal}'s role is one of {@code roles}.
     *
     * @param agentRefusal the message for an AGENT token, which says where it does belong; null
     *                     for the general one
     */
    public static void requireRole(Principal principal, Set<Role> roles, String agentRefusal) throws HttpError {
        if (!roles.contains(principal.role())) {
            throw new HttpError(403, principal.role() == Role.AGENT && agentRefusal != null ? agentRefusal
                    : "a " + principal.role() + " token may not use this endpoint");
        }
    }

    /** Whether {@code principal} sees every team (analysts and admins). */
    public static boolean seesAllTeams(Principal principal) {
        return principal.role() == Role.ANALYST || principal.role() == Role.ADMIN;
    }

    /** The teams a query is restricted to: a supervisor's; null for those who see all teams. */
    public static Set<String> teamFilter(Principal principal) {
        if (seesAllTeams(principal)) {
            return null;
        }
        return principal.teams();
    }

    /** 403 unless {@code principal} may see {@code team}, asked for by name. */
    public static void requireTeam(Principal principal, String team) throws HttpError {
        if (!principal.canSeeTeam(team)) {
            throw new HttpError(403, "team " + team + " is not one of this supervisor's teams");
        }
    }

    /** 403 unless {@code principal} sees all teams or {@code agentId} took calls for its teams. */
    public static void requireAgent(Principal principal, String agentId, AgentTeams agents) throws Exception {
        if (!seesAllTeams(principal) && !agents.worksFor(agentId, principal.teams())) {
            throw new HttpError(403, "agent " + agentId + " has taken no calls for this supervisor's teams");
        }
    }

    /** 403 for a supervisor: exports are bulk data, for analysts. */
    public static void requireExport(Principal principal) throws HttpError {
        if (!seesAllTeams(principal)) {
            throw new HttpError(403, "format", "exports are for analysts; a " + principal.role()
                    + " token may not export");
        }
    }

    /**
     * {@code found} if there is one and {@code principal} may see its team; otherwise 404 with
     * {@code notFound}, the same answer as for an id that does not exist.
     */
    public static <T> T requireVisible(Principal principal, Optional<T> found, Function<T, String> teamOf,
            String notFound) throws HttpError {
        if (found.isEmpty() || !principal.canSeeTeam(teamOf.apply(found.get()))) {
            throw new HttpError(404, notFound);
        }
        return found.get();
    }

    /**
     * Whether {@code principal} may open the nudge stream of {@code agent}, whose team the floor
     * knows as {@code agentTeam} (empty: not seen yet): an agent's desk only its own agent's (403
     * for another); the others an agent of a team they see or not seen yet (404 for another
     * team's, as if it did not exist).
     */
    public static void requireNudgeStream(Principal principal, String agent, Optional<String> agentTeam)
            throws HttpError {
        if (principal.role() == Role.AGENT) {
            if (!principal.agentId().equals(agent)) {
                throw new HttpError(403, "this token opens the nudges of agent " + principal.agentId() + " only");
            }
        } else if (!agentTeam.map(principal::canSeeTeam).orElse(true)) {
            throw new HttpError(404, "no agent " + agent);
        }
    }

    /** Whether {@code principal} may acknowledge an alert of {@code team}: an admin, or a supervisor of the team. */
    public static boolean mayAcknowledge(Principal principal, String team) {
        return principal.role() == Role.ADMIN || (principal.role() == Role.SUPERVISOR && principal.canSeeTeam(team));
    }
}
