package io.earshot.pipeline.dashboard;

import static io.earshot.pipeline.dashboard.FloorRecords.agentWindow;
import static io.earshot.pipeline.dashboard.FloorRecords.behaviour;
import static io.earshot.pipeline.dashboard.FloorRecords.edge;
import static io.earshot.pipeline.dashboard.FloorRecords.provisionalEdge;
import static io.earshot.pipeline.dashboard.FloorRecords.tone;
import static io.earshot.pipeline.dashboard.FloorRecords.withListening;
import static io.earshot.pipeline.dashboard.FloorRecords.ended;
import static io.earshot.pipeline.dashboard.FloorRecords.segment;
import static io.earshot.pipeline.dashboard.FloorRecords.started;
import static io.earshot.pipeline.dashboard.FloorRecords.summary;
import static io.earshot.pipeline.dashboard.FloorRecords.utterance;
import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.pipeline.dashboard.FloorState.AgentRow;
import io.earshot.pipeline.dashboard.FloorState.AgentState;
import io.earshot.pipeline.dashboard.FloorState.Span;
import io.earshot.schemas.AggregationScope;
import io.earshot.schemas.CallSummaryComputed;
import io.earshot.schemas.CoachingNote;
import io.earshot.schemas.KeptEvidence;
import io.earshot.schemas.Role;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FloorStateTest {

    private final FloorState floor = new FloorState(new AlertRules(AlertRules.Thresholds.DEFAULTS));

    private AgentRow row(String agent) {
        return floor.agents().stream().filter(a -> a.agentId().equals(agent)).findFirst().orElseThrow();
    }

    private void apply(org.apache.avro.specific.SpecificRecord... records) {
        for (var r : records) {
            floor.apply(r);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "false, false, ON_CALL",
        "true,  false, TALKING",
        "false, true,  LISTENING",
        "true,  true,  OVERLAPPING",
    })
    void shouldDeriveTheAgentsStateFromWhoIsSpeaking(boolean agent, boolean customer, AgentState expected) {
        apply(started("c1", "agent-1", "blue"));
        if (agent) {
            apply(edge("c1", Role.AGENT, 100, true));
        }
        if (customer) {
            apply(edge("c1", Role.CUSTOMER, 200, true));
        }

        assertThat(row("agent-1").state()).isEqualTo(expected);
    }

    @Test
    void shouldFollowSpeechEdgesThroughACall() {
        apply(started("c1", "agent-1", "blue"), edge("c1", Role.CUSTOMER, 0, true));
        assertThat(row("agent-1").state()).isEqualTo(AgentState.LISTENING);

        apply(edge("c1", Role.AGENT, 1200, true));
        assertThat(row("agent-1").state()).isEqualTo(AgentState.OVERLAPPING);

        apply(edge("c1", Role.CUSTOMER, 1900, false));
        assertThat(row("agent-1").state()).isEqualTo(AgentState.TALKING);

        apply(edge("c1", Role.AGENT, 3000, false));
        assertThat(row("agent-1").state()).isEqualTo(AgentState.ON_CALL);
        assertThat(row("agent-1").callId()).isEqualTo("c1");
    }

    @Test
    void shouldFollowProvisionalEdgesAndSkipDecidedOnesBehindThem() {
        apply(started("c1", "agent-1", "blue"), provisionalEdge("c1", Role.CUSTOMER, 40, true));
        assertThat(row("agent-1").state()).isEqualTo(AgentState.LISTENING);
        // the decided start of the same spurt, a few frames earlier: the spurt shows from 40 on
        apply(edge("c1", Role.CUSTOMER, 0, true));
        assertThat(row("agent-1").state()).isEqualTo(AgentState.LISTENING);

        // a short agent spurt whose decided start comes after its provisional end
        apply(provisionalEdge("c1", Role.AGENT, 1200, true));
        assertThat(row("agent-1").state()).isEqualTo(AgentState.OVERLAPPING);
        apply(provisionalEdge("c1", Role.AGENT, 1400, false));
        assertThat(row("agent-1").state()).isEqualTo(AgentState.LISTENING);
        apply(edge("c1", Role.AGENT, 1180, true));
        assertThat(row("agent-1").state()).as("a decided start behind the provisional end").isEqualTo(
                AgentState.LISTENING);
        apply(edge("c1", Role.AGENT, 1400, false));
        assertThat(row("agent-1").state()).isEqualTo(AgentState.LISTENING);

        // a spurt the provisional decision missed still shows from its decided edges
        apply(edge("c1", Role.AGENT, 2500, true));
        assertThat(row("agent-1").state()).isEqualTo(AgentState.OVERLAPPING);
        apply(provisionalEdge("c1", Role.CUSTOMER, 2600, false), edge("c1", Role.CUSTOMER, 2600, false));
        assertThat(row("agent-1").state()).isEqualTo(AgentState.TALKING);
        apply(edge("c1", Role.AGENT, 3100, false));
        assertThat(row("agent-1").state()).isEqualTo(AgentState.ON_CALL);
    }

    @Test
    void shouldMoveACallToTheAgentItsRunningValuesNameOnceItIsAssigned() {
        apply(started("c1", "unassigned", null), summary("c1", "unassigned", null, 5000, 0.5, 0, List.of(), false));
        assertThat(row("unassigned").callId()).isEqualTo("c1");

        apply(summary("c1", "agent-42", "billing", 10_000, 0.5, 0, List.of(), false));

        assertThat(row("agent-42").callId()).isEqualTo("c1");
        assertThat(row("agent-42").team()).isEqualTo("billing");
        assertThat(row("unassigned").callId()).isNull();
        assertThat(floor.calls()).singleElement().satisfies(c -> assertThat(c.agentId()).isEqualTo("agent-42"));
    }

    @Test
    void shouldShowAnAgentIdleAfterTheCallEndsEvenIfAnEdgeWasLeftOpen() {
        apply(started("c1", "agent-1", "blue"), edge("c1", Role.AGENT, 100, true), ended("c1", 5000));

        assertThat(row("agent-1").state()).isEqualTo(AgentState.IDLE);
        assertThat(floor.calls()).singleElement().satisfies(c -> {
            assertThat(c.live()).isFalse();
            assertThat(c.endReason()).isEqualTo("closed");
        });
    }

    /**
     * The job sends each item of evidence once: a running value keeping the earlier ones shows
     * them all; one that continues a value the floor never had changes nothing until the call's
     * next whole one.
     */
    @Test
    void shouldShowTheEvidenceOfRunningValuesThatCarryOnlyWhatChanged() {
        apply(started("c1", "agent-1", "blue"), summary("c1", "agent-1", "blue", 3_000, 0.5, 2, List.of(), false));
        // two more interruptions; the two before and the one backchannel are kept
        apply(partial(6_000, 4, 3_000, 2));

        var view = floor.callView("c1").orElseThrow();
        assertThat(view.interruptions()).extracting(FloorState.Marker::startMs)
                .containsExactly(1000L, 2000L, 3000L, 4000L);
        assertThat(view.backchannels()).hasSize(1);
        assertThat(view.call().positionMs()).isEqualTo(6_000);

        // a value after one the floor did not get (8 000): nothing moves
        apply(partial(9_000, 5, 8_000, 4));
        assertThat(floor.callView("c1").orElseThrow().interruptions()).hasSize(4);
        assertThat(floor.callView("c1").orElseThrow().call().positionMs()).isEqualTo(6_000);

        apply(summary("c1", "agent-1", "blue", 10_000, 0.7, 5, List.of(), false));
        assertThat(floor.callView("c1").orElseThrow().interruptions()).hasSize(5);
    }

    /**
     * Call c1's running value at {@code atMs} with {@code interruptions} by the agent, as the job
     * sends it after its value at {@code previousAtMs}: the first {@code kept} interruptions and
     * the backchannel left out.
     */
    private static CallSummaryComputed partial(long atMs, int interruptions, long previousAtMs, int kept) {
        CallSummaryComputed s = summary("c1", "agent-1", "blue", atMs, 0.6, interruptions, List.of(), false);
        s.setInterruptions(s.getInterruptions().subList(kept, interruptions));
        s.setBackchannels(List.of());
        s.setKeptEvidence(new KeptEvidence(java.time.Instant.ofEpochMilli(FloorRecords.T0 + previousAtMs), kept, 1, 0,
                0, 0, 0, 0, 0));
        return s;
    }

    @Test
    void shouldDrawFinishedSpurtsAndTheOpenOneWithTheirOverlap() {
        apply(started("c1", "agent-1", "blue"),
                segment("c1", Role.CUSTOMER, 0, 0, 2000),
                segment("c1", Role.AGENT, 0, 1500, 2600),
                edge("c1", Role.CUSTOMER, 2400, true),
                edge("c1", Role.AGENT, 3000, true),
                edge("c1", Role.AGENT, 3500, true)); // a repeated start keeps the first onset

        // the newest position heard is 3500: the customer has spoken since 2400, the agent since 3000
        var view = floor.callView("c1").orElseThrow();

        assertThat(view.customerSpurts()).containsExactly(new Span(0, 2000), new Span(2400, 3500));
        assertThat(view.agentSpurts()).containsExactly(new Span(1500, 2600), new Span(3000, 3500));
        assertThat(view.overlaps()).containsExactly(new Span(1500, 2000), new Span(2400, 2600), new Span(3000, 3500));
    }

    @ParameterizedTest
    @CsvSource({
        // a lanes               | b lanes          | overlaps
        "'0-1000',               '1000-2000',       ''",
        "'0-1000',               '999-2000',        '999-1000'",
        "'0-5000',               '100-200;300-400', '100-200;300-400'",
        "'0-100;200-300;400-500', '50-450',         '50-100;200-300;400-450'",
        "'',                     '0-100',           ''",
    })
    void shouldIntersectTheLanes(String a, String b, String expected) {
        assertThat(FloorState.overlaps(spans(a), spans(b))).isEqualTo(spans(expected));
        assertThat(FloorState.overlaps(spans(b), spans(a))).isEqualTo(spans(expected));
    }

    private static List<Span> spans(String s) {
        if (s == null || s.isBlank()) {
            return List.of();
        }
        return java.util.Arrays.stream(s.split(";")).map(p -> p.split("-"))
                .map(p -> new Span(Long.parseLong(p[0]), Long.parseLong(p[1]))).toList();
    }

    @Test
    void shouldReplaceAPartialUtteranceByItsFinalAndNeverTheOtherWayRound() {
        apply(started("c1", "agent-1", "blue"),
                utterance("c1", Role.CUSTOMER, 0, 0, "my bill", false),
                utterance("c1", Role.CUSTOMER, 0, 0, "my bill is wrong", true),
                utterance("c1", Role.CUSTOMER, 0, 0, "my bill", false),
                utterance("c1", Role.AGENT, 0, 1500, "let me check", true));

        var lines = floor.callView("c1").orElseThrow().transcript();

        assertThat(lines).extracting(FloorState.TranscriptLine::text).containsExactly("my bill is wrong", "let me check");
        assertThat(lines).allMatch(FloorState.TranscriptLine::isFinal);
    }

    @Test
    void shouldShowTheJobsRunningValuesAndKeepTheFinalOverALateRunningOne() {
        apply(started("c1", "agent-1", "blue"),
                summary("c1", "agent-1", "blue", 10_000, 0.4, 1, List.of(), false),
                summary("c1", "agent-1", "blue", 20_000, 0.6, 2, List.of(), true),
                summary("c1", "agent-1", "blue", 19_500, 0.55, 2, List.of(), false));

        var call = row("agent-1").call();

        assertThat(call.isFinal()).isTrue();
        assertThat(call.agentTalkShare()).isEqualTo(0.6);
        assertThat(call.agentInterruptions()).isEqualTo(2);
        assertThat(call.agentBackchannels()).isEqualTo(1);
        assertThat(row("agent-1").state()).isEqualTo(AgentState.IDLE);
    }

    @Test
    void shouldRebuildACallInProgressFromItsRunningValuesWhenItsStartWasMissed() {
        // a restarted dashboard whose lookback begins after the call's start
        apply(edge("c9", Role.AGENT, 60_000, true),
                summary("c9", "agent-9", "green", 60_500, 0.5, 0, List.of(), false));

        assertThat(row("agent-9").team()).isEqualTo("green");
        assertThat(row("agent-9").callId()).isEqualTo("c9");
        assertThat(row("agent-9").state()).isEqualTo(AgentState.TALKING);
    }

    @Test
    void shouldKeepTheLiveWindowSeriesInOrderReplacingARepeatedWindow() {
        apply(started("c1", "agent-1", "blue"),
                FloorRecords.agentWindow("agent-1", 10_000, 1),
                FloorRecords.agentWindow("agent-1", 20_000, 2),
                FloorRecords.agentWindow("agent-1", 20_000, 3),
                FloorRecords.agentWindow("agent-1", 15_000, 9)); // older than the newest: a replay, dropped

        assertThat(floor.series(AggregationScope.AGENT, "agent-1"))
                .extracting(FloorState.WindowPoint::agentInterruptions).containsExactly(1L, 3L);
        assertThat(row("agent-1").window().agentInterruptions()).isEqualTo(3);
    }

    @Test
    void shouldIncreaseTheVersionWithEveryChange() {
        long before = floor.version();
        apply(started("c1", "agent-1", "blue"));
        long afterStart = floor.version();
        apply(edge("c1", Role.AGENT, 10, true));

        assertThat(afterStart).isGreaterThan(before);
        assertThat(floor.version()).isGreaterThan(afterStart);
    }

    @Test
    void shouldCarryTheLiveWindowsScoreAndBehaviourCountsAndTheCallsRunningScoreToTheAgentsRow() {
        apply(started("c1", "agent-1", "blue"),
                withListening(summary("c1", "agent-1", "blue", 5000, 0.5, 0, List.of(), false), List.of(), List.of(),
                        61.5, List.of()),
                agentWindow("agent-1", 10_000, 1, 400_000, 72.0));

        AgentRow row = row("agent-1");
        assertThat(row.call().listeningScore()).isEqualTo(61.5);
        assertThat(row.window().listeningScore()).isEqualTo(72.0);
        assertThat(row.window().behaviours()).isEqualTo(
                new FloorState.BehaviourCounts(2, 1, 1, 0, 3, 0, 0, 1, 0, 0, 0, 1, 0));
    }

    @Test
    void shouldShowTheLatestBehavioursToneEventsScoreAndCoachingInTheCallView() {
        apply(started("c1", "agent-1", "blue"),
                withListening(summary("c1", "agent-1", "blue", 5000, 0.5, 0, List.of(), false),
                        List.of(behaviour(Role.AGENT, "open_question", 1000, "how can I help")), List.of(), null,
                        List.of()),
                withListening(summary("c1", "agent-1", "blue", 9000, 0.5, 0, List.of(), false),
                        List.of(behaviour(Role.AGENT, "open_question", 1000, "how can I help"),
                                behaviour(Role.AGENT, "follow_up", 7000, "I will send it today")),
                        List.of(tone(Role.CUSTOMER, "raised_voice", 4000)), 80.0,
                        List.of(new CoachingNote("no_confirmation", 7000L, "At 0:07 you committed"))));

        var view = floor.callView("c1").orElseThrow();
        assertThat(view.behaviours()).extracting(FloorState.Behaviour::kind).containsExactly("open_question", "follow_up");
        assertThat(view.behaviours().get(1).text()).isEqualTo("I will send it today");
        assertThat(view.toneEvents()).singleElement().satisfies(t -> {
            assertThat(t.kind()).isEqualTo("raised_voice");
            assertThat(t.by()).isEqualTo(Role.CUSTOMER);
            assertThat(t.values()).containsEntry("excessDb", 7.5);
        });
        assertThat(view.listeningScore().score()).isEqualTo(80.0);
        assertThat(view.listeningScore().components()).extracting(FloorState.ScoreComponent::name)
                .containsExactly("interruptions", "confirmation", "empathy");
        assertThat(view.coaching()).containsExactly(new FloorState.Note("no_confirmation", 7000, "At 0:07 you committed"));
    }

    @Test
    void shouldShowEachPartysSpeakingRateOnceItHasTranscribedWords() {
        apply(started("c1", "agent-1", "blue"), io.earshot.schemas.CallSummaryComputed.newBuilder(
                        summary("c1", "agent-1", "blue", 9000, 0.5, 0, List.of(), false))
                .setVoiceBaselines(List.of(new io.earshot.schemas.VoiceBaseline(Role.AGENT, 14.0, -21.0, 162.5, 6000L, 16),
                        new io.earshot.schemas.VoiceBaseline(Role.CUSTOMER, null, -20.0, null, 2000L, 0)))
                .build());

        assertThat(floor.callView("c1").orElseThrow().speakingRateWpm()).containsExactly(Map.entry("AGENT", 162.5));
    }

    @Test
    void shouldKeepEachAgentsNudgesForTheirStream() {
        apply(started("c1", "agent-1", "blue"), started("c2", "agent-2", "blue"));
        long before = floor.lastNudgeSeq();
        // running values now: the default nudges skip values older than 30 s
        long now = System.currentTimeMillis();
        apply(fresh(summary("c1", "agent-1", "blue", 5000, 0.5, 1, List.of(), false), now),
                fresh(summary("c2", "agent-2", "blue", 5000, 0.5, 2, List.of(), false), now),
                fresh(summary("c1", "agent-1", "blue", 5500, 0.5, 1, List.of(), false), now));

        assertThat(floor.nudgesAfter("agent-1", before)).extracting(NudgeRules.Nudge::callId).containsExactly("c1");
        assertThat(floor.nudgesAfter("agent-2", before)).hasSize(2);
        assertThat(floor.nudgesAfter("agent-2", floor.lastNudgeSeq())).isEmpty();
    }

    private static io.earshot.schemas.CallSummaryComputed fresh(io.earshot.schemas.CallSummaryComputed s, long at) {
        return io.earshot.schemas.CallSummaryComputed.newBuilder(s).setEmittedAt(java.time.Instant.ofEpochMilli(at))
                .build();
    }
}
