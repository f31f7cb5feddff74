package io.earshot.pipeline.dashboard;

import static io.earshot.pipeline.dashboard.FloorRecords.T0;
import static io.earshot.pipeline.dashboard.FloorRecords.behaviour;
import static io.earshot.pipeline.dashboard.FloorRecords.summary;
import static io.earshot.pipeline.dashboard.FloorRecords.tone;
import static io.earshot.pipeline.dashboard.FloorRecords.withListening;
import static io.earshot.pipeline.dashboard.FloorRecords.withMonologue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.earshot.pipeline.dashboard.NudgeRules.Kind;
import io.earshot.pipeline.dashboard.NudgeRules.Nudge;
import io.earshot.pipeline.dashboard.NudgeRules.Settings;
import io.earshot.schemas.BehaviourDetected;
import io.earshot.schemas.CallSummaryComputed;
import io.earshot.schemas.Role;
import io.earshot.schemas.ToneEventDetected;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NudgeRulesTest {

    /** Running values at {@code durationMs} of call c1 are emitted at T0 + durationMs; the clock reads T0 + 100 s. */
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(T0 + 100_000), ZoneOffset.UTC);

    private final NudgeRules rules = new NudgeRules(Settings.DEFAULTS, CLOCK);

    private static CallSummaryComputed values(long durationMs, int agentInterruptions) {
        return summary("c1", "agent-1", "blue", durationMs, 0.5, agentInterruptions, List.of(), false);
    }

    private static CallSummaryComputed values(long durationMs, List<BehaviourDetected> behaviours,
            List<ToneEventDetected> tones) {
        return withListening(values(durationMs, 0), behaviours, tones, null, List.of());
    }

    @Test
    void shouldNudgeOnceForEachNewInterruptionByTheAgentThoughRunningValuesRepeatThem() {
        List<Nudge> first = rules.onCallValues(values(90_000, 1));
        List<Nudge> repeat = rules.onCallValues(values(90_500, 1));
        List<Nudge> second = rules.onCallValues(values(91_000, 2));

        assertThat(first).singleElement().satisfies(n -> {
            assertThat(n.kind()).isEqualTo(Kind.INTERRUPTION);
            assertThat(n.agentId()).isEqualTo("agent-1");
            assertThat(n.team()).isEqualTo("blue");
            assertThat(n.callId()).isEqualTo("c1");
            assertThat(n.atMs()).isEqualTo(1000);
            assertThat(n.message()).isEqualTo("You interrupted the customer at 0:01.");
            assertThat(n.raisedAt()).isEqualTo(CLOCK.millis());
        });
        assertThat(repeat).isEmpty();
        assertThat(second).singleElement().satisfies(n -> {
            assertThat(n.atMs()).isEqualTo(2000);
            assertThat(n.seq()).isGreaterThan(first.get(0).seq());
        });
    }

    @Test
    void shouldNotNudgeTheAgentAboutTheCustomersInterruptions() {
        var customer = new io.earshot.schemas.InterruptionDetected(Role.CUSTOMER, Role.AGENT, 4000L, 700L, true,
                "wait", "so");
        var s = CallSummaryComputed.newBuilder(values(90_000, 0)).setInterruptions(List.of(customer)).build();

        assertThat(rules.onCallValues(s)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
        // longest agent monologue so far ms, nudge?
        "89999, false",
        "90000, true",
        "150000, true",
    })
    void shouldNudgeWhenTheAgentsMonologueReachesTheConfiguredLength(long monologueMs, boolean nudge) {
        List<Nudge> out = rules.onCallValues(withMonologue(values(95_000, 0), monologueMs));

        assertThat(out).hasSize(nudge ? 1 : 0);
        if (nudge) {
            assertThat(out.get(0).kind()).isEqualTo(Kind.MONOLOGUE);
            assertThat(out.get(0).message()).startsWith("You've talked for 90 s");
        }
    }

    @Test
    void shouldNudgeAboutTheMonologueOncePerCall() {
        assertThat(rules.onCallValues(withMonologue(values(95_000, 0), 91_000))).hasSize(1);
        assertThat(rules.onCallValues(withMonologue(values(95_500, 0), 91_500))).isEmpty();
        assertThat(rules.onCallValues(withMonologue(values(99_000, 0), 95_000))).isEmpty();
    }

    @Test
    void shouldNudgeOnEachNewRaisedVoiceOrAgitationOfTheCustomerOnly() {
        List<ToneEventDetected> tones = List.of(tone(Role.CUSTOMER, "raised_voice", 30_000),
                tone(Role.AGENT, "raised_voice", 40_000), tone(Role.AGENT, "fast_speech", 41_000),
                tone(Role.CUSTOMER, "agitation", 50_000));
        List<Nudge> out = rules.onCallValues(values(90_000, List.of(), tones));
        List<Nudge> repeat = rules.onCallValues(values(90_500, List.of(), tones));

        assertThat(out).extracting(Nudge::kind, Nudge::atMs)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Kind.CUSTOMER_VOICE, 30_000L),
                        org.assertj.core.groups.Tuple.tuple(Kind.CUSTOMER_VOICE, 50_000L));
        assertThat(out.get(0).message()).startsWith("The customer's voice is rising");
        assertThat(repeat).isEmpty();
    }

    @Test
    void shouldNudgeToAskBeforeAFollowUpThatNoConfirmationPreceded() {
        List<Nudge> out = rules.onCallValues(values(90_000,
                List.of(behaviour(Role.AGENT, "follow_up", 20_000, "I will send you a new card"),
                        behaviour(Role.CUSTOMER, "paraphrase", 10_000, "so you mean")), List.of()));

        assertThat(out).singleElement().satisfies(n -> {
            assertThat(n.kind()).isEqualTo(Kind.NO_CONFIRMATION);
            assertThat(n.atMs()).isEqualTo(20_000);
            assertThat(n.message()).startsWith("Ask before you resolve").contains("I will send you a new card");
        });
    }

    @ParameterizedTest
    @CsvSource({
        // the agent's confirmation: kind, start ms (the follow-up starts at 20000), nudge?
        "paraphrase, 19999, false",
        "summary,    19999, false",
        "paraphrase, 20000, false",  // starting together counts as before, as for the coaching note
        "paraphrase, 20001, true",   // a confirmation after the commitment is too late
        "paraphrase, 25000, true",
        "empathy,    10000, true",   // empathy is not a confirmation
    })
    void shouldNotNudgeAboutAFollowUpTheAgentConfirmedBefore(String kind, long confirmedAtMs, boolean nudge) {
        List<Nudge> out = rules.onCallValues(values(90_000,
                List.of(behaviour(Role.AGENT, kind, confirmedAtMs, "so what you need is"),
                        behaviour(Role.AGENT, "follow_up", 20_000, "I will call you back")), List.of()));

        assertThat(out).hasSize(nudge ? 1 : 0);
    }

    @Test
    void shouldNotNudgeAboutValuesOlderThanTheMaximumAgeNorLaterAboutTheirEvents() {
        // emitted at T0 + 69.999 s, the clock reads T0 + 100 s: 30.001 s old
        List<Nudge> stale = rules.onCallValues(values(69_999, 1));
        List<Nudge> fresh = rules.onCallValues(values(70_000, 2));

        assertThat(stale).isEmpty();
        assertThat(fresh).extracting(Nudge::atMs).containsExactly(2000L);
    }

    @Test
    void shouldNeverNudgeOnFinalValuesAndForgetTheCallAfterThem() {
        CallSummaryComputed last = summary("c1", "agent-1", "blue", 95_000, 0.5, 1, List.of(), true);

        assertThat(rules.onCallValues(last)).isEmpty();
        assertThat(rules.onCallValues(values(95_000, 1))).as("a running value after the end is a new start")
                .hasSize(1);
    }

    @Test
    void shouldFireOnlyTheNudgesSwitchedOn() {
        NudgeRules onlyVoice = new NudgeRules(new Settings(false, 90_000, false, true, false, 30_000), CLOCK);
        var s = withMonologue(withListening(values(95_000, 2),
                List.of(behaviour(Role.AGENT, "follow_up", 20_000, "I will call you back")),
                List.of(tone(Role.CUSTOMER, "raised_voice", 30_000)), null, List.of()), 100_000);

        assertThat(onlyVoice.onCallValues(s)).extracting(Nudge::kind).containsExactly(Kind.CUSTOMER_VOICE);
        assertThat(rules.onCallValues(s)).extracting(Nudge::kind).containsExactlyInAnyOrder(Kind.INTERRUPTION,
                Kind.INTERRUPTION, Kind.NO_CONFIRMATION, Kind.CUSTOMER_VOICE, Kind.MONOLOGUE);
    }

    @Test
    void shouldRefuseAMonologueOrMaximumAgeUnderASecond() {
        assertThatThrownBy(() -> new Settings(true, 999, true, true, true, 30_000))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Settings(true, 90_000, true, true, true, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
