package io.earshot.analysis.evaluation.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.earshot.analysis.evaluation.corpus.CallScript.Line;
import io.earshot.analysis.evaluation.corpus.CallScript.Phrase;
import io.earshot.analysis.evaluation.corpus.RealizedCall.RealizedLine;
import io.earshot.analysis.evaluation.corpus.RealizedCall.RealizedPhrase;
import io.earshot.analysis.evaluation.corpus.RealizedCall.ScriptedBackchannel;
import io.earshot.analysis.evaluation.corpus.RealizedCall.ScriptedInterruption;
import io.earshot.analysis.evaluation.corpus.RealizedCall.ScriptedTransfer;
import io.earshot.analysis.metrics.TimedWord;
import io.earshot.schemas.Role;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RealizerTest {

    private static final long MARGIN = Realizer.EXACT_MARGIN_MS;

    private static RealizedCall realize(CallScript script) {
        return Realizer.realize(script, ScriptedCalls.TIMINGS, MARGIN);
    }

    private static List<long[]> spans(RealizedLine line) {
        return line.phrases().stream().map(p -> new long[] {p.startMs(), p.endMs()}).toList();
    }

    @Test
    void shouldPlaceEveryKeptPhraseFromThePhraseDurations() {
        RealizedCall call = realize(ScriptedCalls.script());

        assertThat(spans(call.line("a1"))).containsExactly(new long[] {500, 1700}, new long[] {1900, 3100});
        assertThat(spans(call.line("c2"))).containsExactly(new long[] {3600, 5100}, new long[] {5500, 6700},
                new long[] {7000, 8500});
        assertThat(spans(call.line("a3"))).containsExactly(new long[] {5700, 6000});
        assertThat(spans(call.line("a4"))).containsExactly(new long[] {7600, 9400}, new long[] {9700, 11200});
        assertThat(spans(call.line("c5"))).containsExactly(new long[] {11700, 12600});
        assertThat(spans(call.line("a6"))).containsExactly(new long[] {12900, 14400});
        assertThat(call.noises()).extracting(n -> n.startMs() + "-" + n.endMs()).containsExactly("15000-15300", "10000-10100");
        assertThat(call.durationMs()).isEqualTo(15800);
    }

    @Test
    void shouldNotSpeakThePhrasesAYieldingSpeakerDrops() {
        RealizedCall call = realize(ScriptedCalls.script());

        assertThat(call.line("c2").phrases()).extracting(RealizedPhrase::text)
                .containsExactly("my bill is much higher", "i was charged twice", "it is forty pounds more");
        assertThat(call.words()).extracting(TimedWord::word).doesNotContain("nobody");
    }

    @Test
    void shouldGiveEveryWordItsAbsoluteTimeAndParty() {
        RealizedCall call = realize(ScriptedCalls.script());

        assertThat(call.line("c5").phrase(0).words()).containsExactly(
                new TimedWord(Role.CUSTOMER, "no", 11700, 12000), new TimedWord(Role.CUSTOMER, "not", 12000, 12300),
                new TimedWord(Role.CUSTOMER, "yet", 12300, 12600));
    }

    @Test
    void shouldStateTheScriptsIntentsAtTheirRealizedTimes() {
        RealizedCall call = realize(ScriptedCalls.script());

        assertThat(call.intents()).containsExactlyInAnyOrder(
                new ScriptedTransfer("a1", "c2", LineKind.TURN, Role.AGENT, Role.CUSTOMER, 3100, 3600),
                new ScriptedBackchannel("a3", Role.AGENT, 5700, 6000),
                new ScriptedInterruption("a4", LineKind.INTERRUPTION, Role.AGENT, Role.CUSTOMER, 7600, true),
                new ScriptedTransfer("c2", "a4", LineKind.INTERRUPTION, Role.CUSTOMER, Role.AGENT, 8500, 7600),
                new ScriptedTransfer("a4", "c5", LineKind.SHORT_ANSWER, Role.AGENT, Role.CUSTOMER, 11200, 11700),
                new ScriptedTransfer("c5", "a6", LineKind.TURN, Role.CUSTOMER, Role.AGENT, 12600, 12900));
    }

    @Test
    void shouldRejectAnInterruptionWhoseOverlapIsNotClearlyOver600Ms() {
        CallScript script = ScriptedCalls.replacing(ScriptedCalls.interruption(-650));

        assertThatThrownBy(() -> realize(script)).isInstanceOf(MarginViolation.class)
                .hasMessageContaining("overlaps the other party by 650 ms")
                .satisfies(e -> assertThat(((MarginViolation) e).lineId()).isEqualTo("a4"));
    }

    @Test
    void shouldAcceptThatInterruptionWithTheMarginToSpare() {
        CallScript script = ScriptedCalls.replacing(ScriptedCalls.interruption(-760));

        assertThat(realize(script).line("a4").startMs()).isEqualTo(7740);
    }

    @Test
    void shouldRejectAnInterruptionStartingTooSoonAfterTheOtherBeganToSpeak() {
        // 7000 + 400: the customer's phrase began 400 ms before, not clearly 300 ms
        Line a4 = new Line("a4", Role.AGENT, LineKind.INTERRUPTION,
                List.of(new Phrase("i can see your last bill", 300), new Phrase("let me check your payments", 0)),
                new Timing.AfterPhraseStart("c2", 2, 400));

        assertThatThrownBy(() -> realize(ScriptedCalls.replacing(a4))).isInstanceOf(MarginViolation.class)
                .hasMessageContaining("starts 400 ms into the other party's speech");
    }

    /** The call with a customer turn of two phrases ([12700, 14200] [14400, 15300]) and an agent turn starting early into it. */
    private static CallScript earlyStart(long overlapMs) {
        Line c5 = new Line("c5", Role.CUSTOMER, LineKind.TURN,
                List.of(new Phrase("my order has not arrived", 200), new Phrase("no not yet", 0)),
                new Timing.AfterPhraseEnd("a4", 1, 1500));
        Line a6 = new Line("a6", Role.AGENT, LineKind.TURN, List.of(new Phrase("i will refund the difference", 0)),
                new Timing.AfterPhraseEnd("c5", 1, -overlapMs));
        List<Line> lines = new ArrayList<>(ScriptedCalls.lines().subList(0, 4));
        lines.add(c5);
        lines.add(a6);
        return ScriptedCalls.script(lines);
    }

    @Test
    void shouldRejectAnEarlyStartThatOverlapsNearly600Ms() {
        assertThatThrownBy(() -> realize(earlyStart(500))).isInstanceOf(MarginViolation.class)
                .hasMessageContaining("a6: overlaps the other party by 500 ms in all");
    }

    @Test
    void shouldAcceptAnEarlyStartClearlyUnder600MsAsAFloorTransfer() {
        RealizedCall call = realize(earlyStart(440));

        assertThat(call.intents()).contains(
                new ScriptedTransfer("c5", "a6", LineKind.TURN, Role.CUSTOMER, Role.AGENT, 15300, 14860));
    }

    @Test
    void shouldRejectAnEarlyStartIntoAShortTurnWhoseSpeakerWouldKeepTheFloor() {
        Line c5 = new Line("c5", Role.CUSTOMER, LineKind.SHORT_ANSWER, List.of(new Phrase("no not yet", 0)),
                new Timing.AfterPhraseEnd("a4", 1, 1500));
        Line a6 = new Line("a6", Role.AGENT, LineKind.TURN, List.of(new Phrase("i will refund the difference", 0)),
                new Timing.AfterPhraseEnd("c5", 0, -300));
        List<Line> lines = new ArrayList<>(ScriptedCalls.lines().subList(0, 4));
        lines.add(c5);
        lines.add(a6);

        // the agent resumes 600 ms after the customer's onset, while the customer speaks: the floor stays with the agent
        assertThatThrownBy(() -> realize(ScriptedCalls.script(lines))).isInstanceOf(MarginViolation.class)
                .hasMessageContaining("c5: a6 resumes 600 ms after its onset");
    }

    @Test
    void shouldRejectABackchannelTooCloseToTheListenersOwnLine() {
        Line a3 = new Line("a3", Role.AGENT, LineKind.BACKCHANNEL, List.of(new Phrase("mhmm", 0)),
                new Timing.AfterPhraseStart("c2", 2, 0));

        assertThatThrownBy(() -> realize(ScriptedCalls.replacing(a3))).isInstanceOf(MarginViolation.class)
                .hasMessageContaining("after the same party's line a3 ends");
    }

    @Test
    void shouldRejectABackchannelWithAWordThatIsNotAToken() {
        Line a3 = new Line("a3", Role.AGENT, LineKind.BACKCHANNEL, List.of(new Phrase("yes please", 0)),
                new Timing.AfterPhraseStart("c2", 1, 200));

        assertThatThrownBy(() -> realize(ScriptedCalls.replacing(a3))).isInstanceOf(MarginViolation.class)
                .hasMessageContaining("has a word that is not a token");
    }

    @Test
    void shouldRejectAClaimMadeOfBackchannelTokensOnly() {
        Line c5 = new Line("c5", Role.CUSTOMER, LineKind.SHORT_ANSWER, List.of(new Phrase("yes okay", 0)),
                new Timing.AfterPhraseEnd("a4", 1, 500));

        assertThatThrownBy(() -> realize(ScriptedCalls.replacing(c5))).isInstanceOf(MarginViolation.class)
                .hasMessageContaining("only backchannel tokens");
    }

    @Test
    void shouldRejectANoiseThatWouldJoinItsPartysSpeech() {
        CallScript script = new CallScript("noisy", 0, 1, ScriptedCalls.lines(), List.of(new CallScript.Noise("n1",
                Role.AGENT, CallScript.NoiseKind.BREATH, 300, new Timing.AfterPhraseEnd("a6", 0, 200))), 500);

        assertThatThrownBy(() -> realize(script)).isInstanceOf(MarginViolation.class)
                .satisfies(e -> assertThat(((MarginViolation) e).lineId()).isEqualTo("n1"));
    }

    @Test
    void shouldRejectAPauseNearTheGapThatEndsAStretch() {
        Line a6 = new Line("a6", Role.AGENT, LineKind.TURN,
                List.of(new Phrase("i will refund the difference", 1050), new Phrase("today", 0)),
                new Timing.AfterPhraseEnd("c5", 0, 300));

        assertThatThrownBy(() -> realize(ScriptedCalls.replacing(a6))).isInstanceOf(MarginViolation.class)
                .hasMessageContaining("pause of 1050 ms");
    }
}
