package io.earshot.pipeline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What each role may see: teams for the floor and the API, agents for the nudge streams. */
class PrincipalTest {

    private static final Principal SUPERVISOR = new Principal("s", Principal.Role.SUPERVISOR, Set.of("blue"));
    private static final Principal ANALYST = new Principal("a", Principal.Role.ANALYST, Set.of());
    private static final Principal DESK = Principal.agent("d", "agent-b");

    @ParameterizedTest(name = "{0} sees team {1}: {2}")
    @CsvSource(nullValues = "null", value = {
        "SUPERVISOR, blue, true", "SUPERVISOR, red, false", "SUPERVISOR, null, false",
        "ANALYST, red, true", "ANALYST, null, true",
        "AGENT, blue, false", "AGENT, null, false"})
    void shouldLetEachRoleSeeTheTeamsItMay(String role, String team, boolean sees) {
        Principal p = switch (Principal.Role.valueOf(role)) {
            case SUPERVISOR -> SUPERVISOR;
            case AGENT -> DESK;
            default -> ANALYST;
        };

        assertThat(p.canSeeTeam(team)).isEqualTo(sees);
    }

    @Test
    void shouldLetAnAgentsDeskReadOnlyItsOwnAgentsNudgesWhateverTheTeam() {
        assertThat(DESK.canSeeNudgesOf("agent-b", "blue")).isTrue();
        assertThat(DESK.canSeeNudgesOf("agent-b", null)).isTrue();
        assertThat(DESK.canSeeNudgesOf("agent-r", "blue")).isFalse();
        assertThat(DESK.agentId()).isEqualTo("agent-b");
        assertThat(DESK.teams()).isEmpty();
    }

    @Test
    void shouldLetTheOtherRolesReadNudgesOfTheTeamsTheySee() {
        assertThat(SUPERVISOR.canSeeNudgesOf("agent-r", "blue")).isTrue();
        assertThat(SUPERVISOR.canSeeNudgesOf("agent-b", "red")).isFalse();
        assertThat(ANALYST.canSeeNudgesOf("agent-b", "red")).isTrue();
        assertThat(SUPERVISOR.agentId()).isNull();
    }

    @Test
    void shouldRefuseAnAgentWhereTheRoleHasNoneAndTeamsOrNoAgentForAnAgentsDesk() {
        assertThatThrownBy(() -> new Principal("x", Principal.Role.AGENT, Set.of(), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("names its agent");
        assertThatThrownBy(() -> new Principal("x", Principal.Role.AGENT, Set.of(), " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("names its agent");
        assertThatThrownBy(() -> new Principal("x", Principal.Role.AGENT, Set.of("blue"), "agent-b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sees no teams");
        assertThatThrownBy(() -> new Principal("x", Principal.Role.SUPERVISOR, Set.of("blue"), "agent-b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only an AGENT");
    }
}
