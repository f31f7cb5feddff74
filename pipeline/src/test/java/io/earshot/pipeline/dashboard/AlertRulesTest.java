package io.earshot.pipeline.dashboard;

import static io.earshot.pipeline.dashboard.FloorRecords.agentWindow;
import static io.earshot.pipeline.dashboard.FloorRecords.summary;
import static io.earshot.pipeline.dashboard.FloorRecords.tone;
import static io.earshot.pipeline.dashboard.FloorRecords.withListening;
import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.pipeline.api.Principal;
import io.earshot.pipeline.dashboard.AlertRules.AckResult;
import io.earshot.pipeline.dashboard.AlertRules.Alert;
import io.earshot.pipeline.dashboard.AlertRules.Kind;
import io.earshot.schemas.DeadAirDetected;
import io.earshot.schemas.Role;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AlertRulesTest {

    private final List<String> hooked = new ArrayList<>();
    private final AlertRules rules = new AlertRules(AlertRules.Thresholds.DEFAULTS, new AlertRules.Hook() {
        @Override
        public void raised(Alert alert) {
            hooked.add("raised " + alert.id());
        }

        @Override
        public void acknowledged(Alert alert) {
            hooked.add("acknowledged " + alert.id() + " by " + alert.acknowledgedBy());
        }
    }, Clock.fixed(Instant.parse("2026-11-30T10:00:00Z"), ZoneOffset.UTC));

    @ParameterizedTest
    @CsvSource({
        // duration ms, talk share, alert?
        "59999, 0.90, false",  // too early to judge
        "60000, 0.90, true",
        "60000, 0.55, false",  // on the band's edge is inside
        "60000, 0.35, false",
        "60000, 0.34, true",
        "60000, 0.56, true",
    })
    void shouldAlertOnTalkShareOutsideTheBandOnlyAfterAMinuteOfCall(long durationMs, double share, boolean alert) {
        var raised = rules.onCallSummary(summary("c1", "agent-1", "blue", durationMs, share, 0, List.of(), false));

        assertThat(raised).hasSize(alert ? 1 : 0);
        if (alert) {
            assertThat(raised.get(0).kind()).isEqualTo(Kind.TALK_SHARE_OUT_OF_BAND);
            assertThat(raised.get(0).team()).isEqualTo("blue");
            assertThat(raised.get(0).callId()).isEqualTo("c1");
        }
    }

    @Test
    void shouldAlertOnceForACallHoweverManyRunningValuesRepeatTheCondition() {
        rules.onCallSummary(summary("c1", "agent-1", "blue", 61_000, 0.9, 0, List.of(), false));
        rules.onCallSummary(summary("c1", "agent-1", "blue", 62_000, 0.3, 0, List.of(), false));
        rules.onCallSummary(summary("c1", "agent-1", "blue", 63_000, 0.9, 0, List.of(), true));
        rules.onCallSummary(summary("c2", "agent-1", "blue", 63_000, 0.9, 0, List.of(), false));

        assertThat(rules.alerts()).extracting(Alert::callId).containsExactlyInAnyOrder("c1", "c2");
        assertThat(hooked).hasSize(2);
    }

    @Test
    void shouldAlertOnDeadAirOfAtLeastTheThreshold() {
        assertThat(rules.onCallSummary(summary("c1", "agent-1", "blue", 30_000, 0.5, 0,
                List.of(new DeadAirDetected(1000L, 10_999L)), false))).isEmpty();

        var raised = rules.onCallSummary(summary("c1", "agent-1", "blue", 40_000, 0.5, 0,
                List.of(new DeadAirDetected(1000L, 10_999L), new DeadAirDetected(20_000L, 30_000L)), false));

        assertThat(raised).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(Kind.DEAD_AIR);
            assertThat(a.atMs()).isEqualTo(20_000);
        });
    }

    @Test
    void shouldAlertOnAnAgentsWindowOnceWhileItHoldsAndAgainAfterItCleared() {
        assertThat(rules.onAgentWindow(agentWindow("agent-1", 10_000, 2), "blue")).isEmpty();
        assertThat(rules.onAgentWindow(agentWindow("agent-1", 20_000, 3), "blue")).hasSize(1);
        assertThat(rules.onAgentWindow(agentWindow("agent-1", 30_000, 4), "blue")).isEmpty();
        assertThat(rules.onAgentWindow(agentWindow("agent-1", 40_000, 1), "blue")).isEmpty();
        var again = rules.onAgentWindow(agentWindow("agent-1", 50_000, 3), "blue");

        assertThat(again).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(Kind.AGENT_INTERRUPTIONS);
            assertThat(a.agentId()).isEqualTo("agent-1");
            assertThat(a.message()).contains("3 times in the last 15 minutes");
        });
        assertThat(rules.alerts()).hasSize(2);
    }

    @Test
    void shouldLetOnlyASupervisorOfTheTeamOrAnAdminAcknowledge() {
        String id = rules.onCallSummary(summary("c1", "agent-1", "blue", 61_000, 0.9, 0, List.of(), false))
                .get(0).id();
        Principal otherTeam = new Principal("sup-red", Principal.Role.SUPERVISOR, Set.of("red"));
        Principal analyst = new Principal("ana", Principal.Role.ANALYST, Set.of());
        Principal supervisor = new Principal("sup-blue", Principal.Role.SUPERVISOR, Set.of("blue", "red"));

        assertThat(rules.acknowledge(id, otherTeam)).isEqualTo(AckResult.FORBIDDEN);
        assertThat(rules.acknowledge(id, analyst)).isEqualTo(AckResult.FORBIDDEN);
        assertThat(rules.get(id).orElseThrow().acknowledged()).isFalse();

        assertThat(rules.acknowledge(id, supervisor)).isEqualTo(AckResult.ACKNOWLEDGED);
        assertThat(rules.acknowledge(id, new Principal("root", Principal.Role.ADMIN, Set.of())))
                .isEqualTo(AckResult.ALREADY_ACKNOWLEDGED);
        assertThat(rules.acknowledge("a999", supervisor)).isEqualTo(AckResult.NOT_FOUND);

        Alert acked = rules.get(id).orElseThrow();
        assertThat(acked.acknowledgedBy()).isEqualTo("sup-blue");
        assertThat(acked.acknowledgedAt()).isEqualTo(Instant.parse("2026-11-30T10:00:00Z").toEpochMilli());
        assertThat(hooked).containsExactly("raised " + id, "acknowledged " + id + " by sup-blue");
    }

    @Test
    void shouldLetAnAdminAcknowledgeAnAlertOfAnAgentWithoutTeam() {
        String id = rules.onAgentWindow(agentWindow("agent-1", 10_000, 5), null).get(0).id();

        assertThat(rules.acknowledge(id, new Principal("sup", Principal.Role.SUPERVISOR, Set.of("blue"))))
                .isEqualTo(AckResult.FORBIDDEN);
        assertThat(rules.acknowledge(id, new Principal("root", Principal.Role.ADMIN, Set.of())))
                .isEqualTo(AckResult.ACKNOWLEDGED);
    }

    @Test
    void shouldAlertOnceForEachRaisedVoiceOfTheCustomerThoughRunningValuesRepeatIt() {
        var first = withListening(summary("c1", "agent-1", "blue", 20_000, 0.5, 0, List.of(), false), List.of(),
                List.of(tone(Role.CUSTOMER, "raised_voice", 12_000), tone(Role.AGENT, "raised_voice", 5_000),
                        tone(Role.CUSTOMER, "agitation", 6_000)), null, List.of());
        var raised = rules.onCallSummary(first);
        var repeated = rules.onCallSummary(first);
        var second = rules.onCallSummary(withListening(summary("c1", "agent-1", "blue", 40_000, 0.5, 0, List.of(),
                false), List.of(), List.of(tone(Role.CUSTOMER, "raised_voice", 12_000),
                tone(Role.CUSTOMER, "raised_voice", 31_000)), null, List.of()));

        assertThat(raised).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(Kind.CUSTOMER_RAISED_VOICE);
            assertThat(a.atMs()).isEqualTo(12_000);
            assertThat(a.message()).contains("at 0:12");
        });
        assertThat(repeated).isEmpty();
        assertThat(second).extracting(Alert::atMs).containsExactly(31_000L);
    }

    @Test
    void shouldNotAlertOnTheCustomersVoiceWhenSwitchedOff() {
        AlertRules off = new AlertRules(AlertRules.Thresholds.DEFAULTS.withListening(false, 50.0, 300_000));

        assertThat(off.onCallSummary(withListening(summary("c1", "agent-1", "blue", 20_000, 0.5, 0, List.of(),
                false), List.of(), List.of(tone(Role.CUSTOMER, "raised_voice", 12_000)), null, List.of()))).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
        // window call time ms, score, alert?
        "300000, 49.9, true",
        "300000, 50.0, false",   // at the threshold is not below it
        "299999, 10.0, false",   // too little call time in the window to judge
        "600000, 0.0, true",
    })
    void shouldAlertOnALowLiveScoreOnlyWithEnoughCallTime(long callTimeMs, double score, boolean alert) {
        var raised = rules.onAgentWindow(agentWindow("agent-1", 10_000, 0, callTimeMs, score), "blue");

        assertThat(raised).hasSize(alert ? 1 : 0);
        if (alert) {
            assertThat(raised.get(0).kind()).isEqualTo(Kind.LOW_LISTENING_SCORE);
            assertThat(raised.get(0).team()).isEqualTo("blue");
            assertThat(raised.get(0).callId()).isNull();
        }
    }

    @Test
    void shouldAlertOnALowScoreOnceWhileItHoldsAndAgainAfterItRecovered() {
        assertThat(rules.onAgentWindow(agentWindow("agent-1", 10_000, 0, 400_000, 40.0), "blue")).hasSize(1);
        assertThat(rules.onAgentWindow(agentWindow("agent-1", 20_000, 0, 400_000, 35.0), "blue")).isEmpty();
        assertThat(rules.onAgentWindow(agentWindow("agent-1", 30_000, 0, 400_000, null), "blue")).isEmpty();
        assertThat(rules.onAgentWindow(agentWindow("agent-1", 40_000, 0, 400_000, 70.0), "blue")).isEmpty();

        assertThat(rules.onAgentWindow(agentWindow("agent-1", 50_000, 0, 400_000, 45.0), "blue"))
                .singleElement().satisfies(a -> assertThat(a.message())
                        .isEqualTo("agent-1's listening score is 45 in the last 15 minutes (alert below 50)"));
    }

    @Test
    void shouldNotAlertOnTheScoreWithoutAThreshold() {
        AlertRules off = new AlertRules(AlertRules.Thresholds.DEFAULTS.withListening(true, null, 0));

        assertThat(off.onAgentWindow(agentWindow("agent-1", 10_000, 0, 400_000, 5.0), "blue")).isEmpty();
    }
}
