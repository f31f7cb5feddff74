package io.earshot.pipeline.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.earshot.ingest.protocol.CallRejectedException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentDirectoryTest {

    private final AgentDirectory roster = new AgentDirectory(
            Map.of("a-1", new AgentDirectory.Agent("a-1", "billing", "billing-en")), null);

    @Test
    void shouldTakeTeamAndQueueFromTheRosterWhateverTheCallerSends() {
        assertThat(roster.assign("a-1", "ignored", null))
                .isEqualTo(new AgentDirectory.Assignment("a-1", "billing", "billing-en"));
        assertThat(roster.assign(" a-1 ", "sales", "overflow"))
                .isEqualTo(new AgentDirectory.Assignment("a-1", "billing", "billing-en"));
    }

    @Test
    void shouldRefuseAnAgentNotInTheRoster() {
        assertThatThrownBy(() -> roster.assign("a-9", null, null))
                .isInstanceOf(CallRejectedException.class)
                .hasMessage("unknown agent 'a-9': not in the configured roster");
    }

    @Test
    void shouldAcceptAnyAgentWithoutARosterAndRefuseACallWithoutOne() {
        AgentDirectory open = AgentDirectory.open();
        assertThat(open.assign("x", "t", "")).isEqualTo(new AgentDirectory.Assignment("x", "t", null));
        assertThatThrownBy(() -> open.assign("  ", null, null))
                .isInstanceOf(CallRejectedException.class)
                .hasMessageStartingWith("no agentId given for the call");
    }

    @Test
    void shouldGiveCallsWithoutAnAgentTheConfiguredDefault() {
        AgentDirectory withDefault = new AgentDirectory(Map.of(), "unassigned");
        assertThat(withDefault.assign(null, null, null).agentId()).isEqualTo("unassigned");
    }

    @Test
    void shouldMarkACallOnTheDefaultAgentAsAwaitingItsAssignmentAndANamedOneNot() {
        AgentDirectory withDefault = new AgentDirectory(Map.of(), "unassigned");
        assertThat(withDefault.assign(" ", "t", "q"))
                .isEqualTo(new AgentDirectory.Assignment("unassigned", "t", "q", true));
        assertThat(withDefault.assign("a-2", "t", "q").defaulted()).isFalse();
        AgentDirectory rosterWithDefault = new AgentDirectory(
                Map.of("desk", new AgentDirectory.Agent("desk", "floor", null)), "desk");
        assertThat(rosterWithDefault.assign(null, null, null))
                .isEqualTo(new AgentDirectory.Assignment("desk", "floor", null, true));
    }
}
