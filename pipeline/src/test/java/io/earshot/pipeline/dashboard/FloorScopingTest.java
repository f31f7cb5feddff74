package io.earshot.pipeline.dashboard;

import static io.earshot.pipeline.dashboard.FloorRecords.agentWindow;
import static io.earshot.pipeline.dashboard.FloorRecords.started;
import static io.earshot.pipeline.dashboard.FloorRecords.summary;
import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.pipeline.dashboard.FloorState.AgentRow;
import io.earshot.schemas.AggregationScope;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** What a supervisor of one team sees on the floor of an agent who also works, or claims to work, for another. */
class FloorScopingTest {

    private static final Predicate<String> BLUE = "blue"::equals;
    private static final Predicate<String> RED = "red"::equals;
    private static final Predicate<String> ALL = team -> true;

    private static FloorState floor(Map<String, String> roster) {
        return new FloorState(new AlertRules(AlertRules.Thresholds.DEFAULTS),
                new NudgeRules(NudgeRules.Settings.DEFAULTS, Clock.systemUTC()), roster);
    }

    private static Optional<AgentRow> row(FloorState floor, Predicate<String> viewer, String agent) {
        return floor.agents(viewer).stream().filter(a -> a.agentId().equals(agent)).findFirst();
    }

    @Test
    void shouldPlaceARosteredAgentInTheRostersTeamWhateverTeamTheCallClaims() {
        FloorState floor = floor(Map.of("agent-x", "blue"));

        floor.apply(started("call-claims-red", "agent-x", "red"));

        assertThat(floor.teamOf("agent-x")).contains("blue");
        assertThat(row(floor, RED, "agent-x")).as("red's supervisor").isEmpty();
        AgentRow seenByBlue = row(floor, BLUE, "agent-x").orElseThrow();
        assertThat(seenByBlue.team()).isEqualTo("blue");
        assertThat(seenByBlue.callId()).as("the call is red's, not blue's").isNull();
        assertThat(seenByBlue.call()).isNull();
    }

    @Test
    void shouldFollowTheCallsTeamWithoutARoster() {
        FloorState floor = floor(Map.of());

        floor.apply(started("call-red", "agent-x", "red"));

        assertThat(floor.teamOf("agent-x")).contains("red");
        assertThat(row(floor, RED, "agent-x")).isPresent();
        assertThat(row(floor, BLUE, "agent-x")).isEmpty();
    }

    @Test
    void shouldHideALiveWindowFromASupervisorWhileItHoldsAnotherTeamsCall() {
        FloorState floor = floor(Map.of());
        // agent-x takes a call for blue, then moves to red; the live window still sums the blue call
        floor.apply(started("call-blue", "agent-x", "blue"));
        floor.apply(summary("call-blue", "agent-x", "blue", 60_000, 0.5, 0, List.of(), true));
        floor.apply(started("call-red", "agent-x", "red"));
        floor.apply(agentWindow("agent-x", 120_000, 2));

        AgentRow seenByRed = row(floor, RED, "agent-x").orElseThrow();
        assertThat(seenByRed.callId()).isEqualTo("call-red");
        assertThat(seenByRed.window()).as("the window holds blue's call").isNull();
        assertThat(floor.series(AggregationScope.AGENT, "agent-x", RED)).isEmpty();
        assertThat(row(floor, ALL, "agent-x").orElseThrow().window()).as("an analyst's view").isNotNull();
        assertThat(floor.series(AggregationScope.AGENT, "agent-x", ALL)).hasSize(1);

        // a window that begins after the blue call ended is red's alone
        floor.apply(agentWindow("agent-x", 2_000_000, 1));
        assertThat(row(floor, RED, "agent-x").orElseThrow().window().agentInterruptions()).isEqualTo(1);
        assertThat(floor.series(AggregationScope.AGENT, "agent-x", RED))
                .extracting(FloorState.WindowPoint::agentInterruptions).containsExactly(1L);
    }

    @Test
    void shouldRaiseNoTeamAlertAboutAWindowThatSumsAnotherTeamsCalls() {
        FloorState floor = new FloorState(new AlertRules(new AlertRules.Thresholds(1, 0.35, 0.55, 1000, 10_000)),
                new NudgeRules(NudgeRules.Settings.DEFAULTS, Clock.systemUTC()), Map.of());
        floor.apply(started("call-blue", "agent-x", "blue"));
        floor.apply(summary("call-blue", "agent-x", "blue", 60_000, 0.5, 0, List.of(), true));
        floor.apply(started("call-red", "agent-x", "red"));

        floor.apply(agentWindow("agent-x", 120_000, 3));
        assertThat(floor.alerts().alerts()).filteredOn(a -> a.kind() == AlertRules.Kind.AGENT_INTERRUPTIONS).isEmpty();

        floor.apply(agentWindow("agent-x", 2_000_000, 3));
        assertThat(floor.alerts().alerts()).filteredOn(a -> a.kind() == AlertRules.Kind.AGENT_INTERRUPTIONS)
                .extracting(AlertRules.Alert::team).containsExactly("red");
    }
}
