package io.earshot.analysis.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.earshot.analysis.evaluation.CallScore.BackchannelScore;
import io.earshot.analysis.evaluation.CallScore.InterruptionScore;
import io.earshot.analysis.evaluation.CallScore.Matching;
import io.earshot.analysis.evaluation.CallScore.ResponseGapScore;
import io.earshot.analysis.evaluation.CallScore.RoleScore;
import io.earshot.schemas.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link EvaluationTotals}: counts summed over calls before any ratio; unlabelled kinds left out. */
class EvaluationTotalsTest {

    private static final double EPS = 1e-9;

    /** A call's score from its counts; {@code null} counts leave that kind unlabelled. */
    private static CallScore call(long agentTruthMs, long agentDetectedMs, long truthOverlapMs, long detectedOverlapMs,
            Matching interruptions, Matching backchannels, Matching gaps, long gapErrorSumMs) {
        List<io.earshot.analysis.metrics.ConversationEvents.Interruption> onBackchannels = new ArrayList<>();
        if (backchannels != null) {
            for (long k = 0; k < backchannels.spurious(); k++) {
                onBackchannels.add(Notation.interruption(Role.AGENT, Role.CUSTOMER, 1000 * k, true));
            }
        }
        return new CallScore("call", 60000,
                new RoleScore(Role.AGENT, new Matching(Math.min(agentTruthMs, agentDetectedMs) / 10, agentDetectedMs / 10, agentTruthMs / 10),
                        agentTruthMs, agentDetectedMs),
                new RoleScore(Role.CUSTOMER, Matching.EMPTY, 0, 0), truthOverlapMs, detectedOverlapMs,
                interruptions == null ? null : new InterruptionScore(interruptions, 1, List.of(), List.of()),
                backchannels == null ? null : new BackchannelScore(backchannels, List.of(), List.of(), onBackchannels),
                gaps == null ? null : new ResponseGapScore(gaps, gapErrorSumMs, List.of(), List.of()));
    }

    private static Matching m(long matched, long detected, long truth) {
        return new Matching(matched, detected, truth);
    }

    static Stream<Arguments> interruptionTotals() {
        return Stream.of(
                // name, calls' counts, precision, recall, F1
                Arguments.of("one call", List.of(m(1, 1, 2)), 1.0, 0.5, 2.0 / 3),
                Arguments.of("summed before dividing", List.of(m(1, 1, 2), m(2, 3, 2)), 0.75, 0.75, 0.75),
                // a call with nothing to find and nothing found adds nothing
                Arguments.of("with an empty call", List.of(m(1, 1, 2), m(0, 0, 0)), 1.0, 0.5, 2.0 / 3),
                Arguments.of("nothing anywhere", List.of(m(0, 0, 0), m(0, 0, 0)), 1.0, 1.0, 1.0),
                Arguments.of("only false alarms", List.of(m(0, 2, 0)), 0.0, 1.0, 0.0),
                Arguments.of("all missed", List.of(m(0, 0, 3)), 1.0, 0.0, 0.0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("interruptionTotals")
    void shouldSumInterruptionCountsOverCallsBeforeTakingRatios(String name, List<Matching> counts, double precision,
            double recall, double f1) {
        List<CallScore> calls = counts.stream().map(c -> call(1000, 1000, 0, 0, c, null, null, 0)).toList();

        EvaluationTotals t = EvaluationTotals.of(calls);

        assertThat(t.interruptionPrecision()).isCloseTo(precision, within(EPS));
        assertThat(t.interruptionRecall()).isCloseTo(recall, within(EPS));
        assertThat(t.interruptionF1()).isCloseTo(f1, within(EPS));
        assertThat(t.interruptionSuccessDisagreements()).isEqualTo(calls.size());
    }

    @Test
    void shouldLeaveCallsWithoutInterruptionLabelsOutOfTheInterruptionFigures() {
        EvaluationTotals t = EvaluationTotals.of(List.of(call(1000, 1000, 0, 0, m(1, 1, 1), null, null, 0),
                call(1000, 1000, 0, 0, null, null, null, 0)));

        assertThat(t.interruptions()).isEqualTo(m(1, 1, 1));
        assertThat(t.interruptionPrecision()).isEqualTo(1.0);
        assertThat(t.interruptionSuccessDisagreements()).isOne();
    }

    @Test
    void shouldReportNaNForEventFiguresNoCallLabels() {
        EvaluationTotals t = EvaluationTotals.of(List.of(call(1000, 1000, 0, 0, null, null, null, 0)));

        assertThat(t.interruptions()).isNull();
        assertThat(t.interruptionPrecision()).isNaN();
        assertThat(t.interruptionRecall()).isNaN();
        assertThat(t.interruptionF1()).isNaN();
        assertThat(t.backchannelPrecision()).isNaN();
        assertThat(t.backchannelRecall()).isNaN();
        assertThat(t.backchannelsAsInterruptions()).isZero();
        assertThat(t.meanAbsResponseGapErrorMs()).isNaN();
        assertThat(t.matchedResponseGaps()).isZero();
        assertThat(t.missedResponseGaps()).isZero();
        assertThat(t.spuriousResponseGaps()).isZero();
        assertThat(t.vadF1(Role.AGENT)).isEqualTo(1.0);
    }

    @Test
    void shouldReportNaNForEveryRatioOfNoCalls() {
        EvaluationTotals t = EvaluationTotals.of(List.of());

        assertThat(t.vadF1(Role.AGENT)).isNaN();
        assertThat(t.vadF1(Role.CUSTOMER)).isNaN();
        assertThat(t.talkTimeErrorRatio(Role.AGENT)).isNaN();
        assertThat(t.worstCallTalkTimeErrorRatio(Role.CUSTOMER)).isNaN();
        assertThat(t.overlapErrorMs()).isNaN();
        assertThat(t.interruptionF1()).isNaN();
        assertThat(t.meanAbsResponseGapErrorMs()).isNaN();
    }

    @Test
    void shouldSumVoiceActivityFramesOverCalls() {
        // frames: call 1 matches all 100 of 100; call 2 detects 300 frames of which 200 are speech out of 400
        CallScore one = call(1000, 1000, 0, 0, null, null, null, 0);
        CallScore two = new CallScore("two", 60000, new RoleScore(Role.AGENT, m(200, 300, 400), 4000, 3000),
                new RoleScore(Role.CUSTOMER, m(0, 10, 0), 0, 100), 0, 0, null, null, null);

        EvaluationTotals t = EvaluationTotals.of(List.of(one, two));

        assertThat(t.voiceFrames(Role.AGENT)).isEqualTo(m(300, 400, 500));
        assertThat(t.vadPrecision(Role.AGENT)).isCloseTo(0.75, within(EPS));
        assertThat(t.vadRecall(Role.AGENT)).isCloseTo(0.6, within(EPS));
        assertThat(t.vadF1(Role.AGENT)).isCloseTo(600.0 / 900, within(EPS));
        assertThat(t.vadF1(Role.CUSTOMER)).isZero();
    }

    @Test
    void shouldTakeTalkTimeErrorOfTheSummedTalkAndTheWorstCallApart() {
        EvaluationTotals t = EvaluationTotals.of(List.of(call(1000, 1100, 0, 0, null, null, null, 0),
                call(1000, 900, 0, 0, null, null, null, 0), call(2000, 2040, 0, 0, null, null, null, 0)));

        assertThat(t.truthTalkMs(Role.AGENT)).isEqualTo(4000);
        assertThat(t.detectedTalkMs(Role.AGENT)).isEqualTo(4040);
        assertThat(t.talkTimeErrorRatio(Role.AGENT)).isCloseTo(0.01, within(EPS));
        assertThat(t.worstCallTalkTimeErrorRatio(Role.AGENT)).isCloseTo(0.1, within(EPS));
        assertThat(t.talkTimeErrorRatio(Role.CUSTOMER)).isZero();
    }

    @Test
    void shouldAddOverlapErrorsWithoutLettingThemCancel() {
        EvaluationTotals t = EvaluationTotals.of(List.of(call(1000, 1000, 500, 600, null, null, null, 0),
                call(1000, 1000, 500, 400, null, null, null, 0)));

        assertThat(t.truthOverlapMs()).isEqualTo(1000);
        assertThat(t.overlapErrorMs()).isEqualTo(200.0);
    }

    @Test
    void shouldSumBackchannelCountsAndTheInterruptionsReportedOnThem() {
        // the helper reports one interruption on a backchannel per spurious backchannel
        EvaluationTotals t = EvaluationTotals.of(List.of(call(1000, 1000, 0, 0, null, m(1, 2, 2), null, 0),
                call(1000, 1000, 0, 0, null, m(3, 4, 3), null, 0), call(1000, 1000, 0, 0, null, null, null, 0)));

        assertThat(t.backchannels()).isEqualTo(m(4, 6, 5));
        assertThat(t.backchannelPrecision()).isCloseTo(4.0 / 6, within(EPS));
        assertThat(t.backchannelRecall()).isCloseTo(0.8, within(EPS));
        assertThat(t.backchannelsAsInterruptions()).isEqualTo(2);
    }

    @Test
    void shouldAverageResponseGapErrorOverAllMatchedGaps() {
        EvaluationTotals t = EvaluationTotals.of(List.of(call(1000, 1000, 0, 0, null, null, m(1, 1, 2), 100),
                call(1000, 1000, 0, 0, null, null, m(3, 5, 3), 20), call(1000, 1000, 0, 0, null, null, null, 0)));

        assertThat(t.matchedResponseGaps()).isEqualTo(4);
        assertThat(t.missedResponseGaps()).isEqualTo(1);
        assertThat(t.spuriousResponseGaps()).isEqualTo(2);
        assertThat(t.meanAbsResponseGapErrorMs()).isCloseTo(30.0, within(EPS));
    }
}
