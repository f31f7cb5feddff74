package io.earshot.pipeline.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.earshot.pipeline.api.Principal;
import io.earshot.pipeline.api.Principal.Role;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one table of who may do what, for the API and the dashboard alike. */
class AccessTest {

    private static final Principal SUPERVISOR = new Principal("sup", Role.SUPERVISOR, Set.of("blue", "green"));
    private static final Principal ANALYST = new Principal("ana", Role.ANALYST, Set.of());
    private static final Principal ADMIN = new Principal("root", Role.ADMIN, Set.of());
    private static final Principal DESK = Principal.agent("desk", "agent-b");

    private static Principal of(String role) {
        return switch (role) {
            case "SUPERVISOR" -> SUPERVISOR;
            case "ANALYST" -> ANALYST;
            case "ADMIN" -> ADMIN;
            default -> DESK;
        };
    }

    @ParameterizedTest
    @CsvSource({
        // role,      readers, admins, readers and desks
        "SUPERVISOR, true,    false,  true",
        "ANALYST,    true,    false,  true",
        "ADMIN,      true,    true,   true",
        "AGENT,      false,   false,  true"})
    void shouldAdmitEachRoleToTheRouteSetsItBelongsTo(String role, boolean readers, boolean admins, boolean desks) {
        Principal p = of(role);
        assertThat(admitted(p, Access.READERS)).isEqualTo(readers);
        assertThat(admitted(p, Access.ADMINS)).isEqualTo(admins);
        assertThat(admitted(p, Access.READERS_AND_DESKS)).isEqualTo(desks);
    }

    @Test
    void shouldSayWhereAnAgentsTokenBelongsWhenTheSideGivesAMessage() {
        HttpError general = catchThrowableOfType(() -> Access.requireRole(DESK, Access.READERS, null), HttpError.class);
        HttpError floor = catchThrowableOfType(() -> Access.requireRole(DESK, Access.READERS, "nudges only"),
                HttpError.class);
        HttpError analyst = catchThrowableOfType(() -> Access.requireRole(ANALYST, Access.ADMINS, "nudges only"),
                HttpError.class);

        assertThat(general.status()).isEqualTo(403);
        assertThat(general.getMessage()).isEqualTo("a AGENT token may not use this endpoint");
        assertThat(floor.status()).isEqualTo(403);
        assertThat(floor.getMessage()).isEqualTo("nudges only");
        assertThat(analyst.getMessage()).isEqualTo("a ANALYST token may not use this endpoint");
    }

    @Test
    void shouldRestrictOnlySupervisorsQueriesToTheirTeams() {
        assertThat(Access.teamFilter(SUPERVISOR)).containsExactlyInAnyOrder("blue", "green");
        assertThat(Access.teamFilter(ANALYST)).isNull();
        assertThat(Access.teamFilter(ADMIN)).isNull();
        assertThat(Access.seesAllTeams(SUPERVISOR)).isFalse();
        assertThat(Access.seesAllTeams(DESK)).isFalse();
    }

    @Test
    void shouldRefuseATeamAskedForByNameWith403() throws Exception {
        Access.requireTeam(SUPERVISOR, "blue");
        Access.requireTeam(ANALYST, "red");
        assertThat(catchThrowableOfType(() -> Access.requireTeam(SUPERVISOR, "red"), HttpError.class).status())
                .isEqualTo(403);
    }

    @Test
    void shouldAskWhetherAnAgentWorksForTheSupervisorsTeamsOnlyForSupervisors() throws Exception {
        Access.AgentTeams never = (agent, teams) -> {
            throw new AssertionError("asked for an analyst");
        };
        Access.requireAgent(ANALYST, "agent-x", never);
        Access.requireAgent(SUPERVISOR, "agent-1", (agent, teams) -> teams.contains("blue"));
        assertThat(catchThrowableOfType(() -> Access.requireAgent(SUPERVISOR, "agent-x", (a, t) -> false),
                HttpError.class).status()).isEqualTo(403);
    }

    @Test
    void shouldLeaveExportsToAnalystsAndAdmins() throws Exception {
        Access.requireExport(ANALYST);
        Access.requireExport(ADMIN);
        HttpError refused = catchThrowableOfType(() -> Access.requireExport(SUPERVISOR), HttpError.class);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.parameter()).isEqualTo("format");
    }

    @Test
    void shouldAnswerAnotherTeamsThingFoundByIdAsIfItDidNotExist() throws Exception {
        assertThat(Access.requireVisible(SUPERVISOR, Optional.of("blue"), t -> t, "no call c")).isEqualTo("blue");
        HttpError other = catchThrowableOfType(() -> Access.requireVisible(SUPERVISOR, Optional.of("red"), t -> t,
                "no call c"), HttpError.class);
        HttpError missing = catchThrowableOfType(() -> Access.requireVisible(SUPERVISOR, Optional.<String>empty(),
                t -> t, "no call c"), HttpError.class);
        assertThat(other.status()).isEqualTo(404);
        assertThat(other.getMessage()).isEqualTo(missing.getMessage()).isEqualTo("no call c");
        assertThat(catchThrowableOfType(() -> Access.requireVisible(SUPERVISOR, Optional.of("x"), t -> null,
                "no call c"), HttpError.class).status()).as("a call without a team").isEqualTo(404);
    }

    @Test
    void shouldOpenANudgeStreamToItsOwnDeskAndToThoseWhoSeeTheAgentsTeam() throws Exception {
        Access.requireNudgeStream(DESK, "agent-b", Optional.of("red"));
        Access.requireNudgeStream(SUPERVISOR, "agent-1", Optional.of("blue"));
        Access.requireNudgeStream(SUPERVISOR, "agent-new", Optional.empty());
        Access.requireNudgeStream(ANALYST, "agent-r", Optional.of("red"));

        assertThat(catchThrowableOfType(() -> Access.requireNudgeStream(DESK, "agent-c", Optional.empty()),
                HttpError.class).status()).isEqualTo(403);
        assertThat(catchThrowableOfType(() -> Access.requireNudgeStream(SUPERVISOR, "agent-r", Optional.of("red")),
                HttpError.class).status()).isEqualTo(404);
    }

    @ParameterizedTest
    @CsvSource({"SUPERVISOR, blue, true", "SUPERVISOR, red, false", "ADMIN, red, true", "ANALYST, blue, false",
        "AGENT, blue, false"})
    void shouldLetOnlyAnAdminOrTheTeamsSupervisorAcknowledge(String role, String team, boolean may) {
        assertThat(Access.mayAcknowledge(of(role), team)).isEqualTo(may);
    }

    private static boolean admitted(Principal p, Set<Role> roles) {
        try {
            Access.requireRole(p, roles, null);
            return true;
        } catch (HttpError e) {
            assertThat(e.status()).isEqualTo(403);
            return false;
        }
    }
}
