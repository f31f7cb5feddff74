package io.earshot.analysis.listening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.earshot.analysis.metrics.ListeningTotals;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ListeningScorerTest {

    private static final long MIN = 60_000;

    /** Ten minutes of call, half each side talking, no events: only the "fewer is better" components earn. */
    private static ListeningTotals quiet(long callMs, long agentTalk, long customerTalk) {
        return new ListeningTotals(callMs, agentTalk, customerTalk, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    private static ListeningTotals with(ListeningTotals t, long agentInterruptions, long transfers, long respected,
            long agentBackchannels, ListeningCounts counts) {
        return new ListeningTotals(t.callTimeMs(), t.agentTalkMs(), t.customerTalkMs(), 0, 0, agentInterruptions, 0, 0,
                agentBackchannels, 0, transfers, respected, 0, 0, 0, counts);
    }

    private static ListeningCounts counts(long paraphrases, long empathy, long open, long followUps, long raised,
            long monotone) {
        return new ListeningCounts(paraphrases, 0, empathy, 0, open, 0, 0, followUps, raised, monotone, 0, 0, 0);
    }

    private static ListeningScore score(ListeningTotals t) {
        return ListeningScorer.score(t, 0.35, 0.55, ScoreConfig.DEFAULTS);
    }

    @Test
    void callWithNothingToJudgeHasNoScore() {
        ListeningScore s = score(ListeningTotals.ZERO);

        assertThat(s.score()).isNaN();
        assertThat(s.components()).hasSize(10).allSatisfy(c -> {
            assertThat(c.counted()).isFalse();
            assertThat(c.points()).isZero();
        });
    }

    @Test
    void interruptionsEarnAllAtNoneAndNothingAtTheCeiling() {
        ListeningTotals tenMinutes = quiet(10 * MIN, 4 * MIN, 5 * MIN);

        assertThat(score(with(tenMinutes, 0, 0, 0, 0, ListeningCounts.ZERO)).component("interruptions").points())
                .isEqualTo(20.0);
        assertThat(score(with(tenMinutes, 1, 0, 0, 0, ListeningCounts.ZERO)).component("interruptions").points())
                .isCloseTo(20.0 * 2 / 3, within(0.01));
        assertThat(score(with(tenMinutes, 3, 0, 0, 0, ListeningCounts.ZERO)).component("interruptions").points())
                .isZero();
        assertThat(score(with(tenMinutes, 7, 0, 0, 0, ListeningCounts.ZERO)).component("interruptions").points())
                .isZero();
    }

    @Test
    void talkShareEarnsAllInsideTheBandAndFallsToNothingTwentyPointsOutside() {
        assertThat(talkSharePoints(35)).isEqualTo(15.0);
        assertThat(talkSharePoints(55)).isEqualTo(15.0);
        assertThat(talkSharePoints(65)).isCloseTo(7.5, within(0.01));
        assertThat(talkSharePoints(75)).isZero();
        assertThat(talkSharePoints(25)).isCloseTo(7.5, within(0.01));
        assertThat(talkSharePoints(10)).isZero();
    }

    private static double talkSharePoints(long agentPercent) {
        return score(quiet(10 * MIN, agentPercent * 1000, (100 - agentPercent) * 1000)).component("talk_share")
                .points();
    }

    @Test
    void pauseRespectIsLeftOutUntilTheFirstTransfer() {
        ListeningTotals t = quiet(10 * MIN, 4 * MIN, 5 * MIN);

        assertThat(score(t).component("pause_respect").counted()).isFalse();
        ScoreComponent respect = score(with(t, 0, 4, 3, 0, ListeningCounts.ZERO)).component("pause_respect");
        assertThat(respect.value()).isEqualTo(0.75);
        assertThat(respect.points()).isEqualTo(11.25);
    }

    @Test
    void backchannelsAreJudgedFromThirtySecondsOfCustomerTalk() {
        assertThat(score(with(quiet(10 * MIN, MIN, 29_999), 0, 0, 0, 1, ListeningCounts.ZERO))
                .component("backchannels").counted()).isFalse();
        ScoreComponent judged = score(with(quiet(10 * MIN, MIN, 30_000), 0, 0, 0, 1, ListeningCounts.ZERO))
                .component("backchannels");
        assertThat(judged.value()).isEqualTo(2.0); // per minute of customer talk
        assertThat(judged.points()).isEqualTo(10.0);
        assertThat(score(with(quiet(10 * MIN, MIN, 4 * MIN), 0, 0, 0, 2, ListeningCounts.ZERO))
                .component("backchannels").points()).isEqualTo(5.0);
    }

    @Test
    void behavioursAndVoiceAreJudgedFromTheFirstMinuteOfCall() {
        ListeningCounts none = ListeningCounts.ZERO;

        assertThat(score(with(quiet(MIN - 1, 20_000, 20_000), 0, 0, 0, 0, none)).components())
                .filteredOn(c -> c.name().matches("confirmation|empathy|open_questions|follow_up|calm_voice|lively_voice"))
                .allSatisfy(c -> assertThat(c.counted()).isFalse());
        assertThat(score(with(quiet(MIN, 20_000, 20_000), 0, 0, 0, 0, none)).components())
                .filteredOn(c -> c.name().matches("confirmation|empathy|open_questions|follow_up|calm_voice|lively_voice"))
                .allSatisfy(c -> assertThat(c.counted()).isTrue());
    }

    @Test
    void behaviourRatesArePerTenMinutesOfCall() {
        // five minutes: one paraphrase is 2 per 10 minutes (full), one open question half the target
        ListeningScore s = score(with(quiet(5 * MIN, 2 * MIN, 2 * MIN), 0, 0, 0, 0, counts(1, 1, 1, 1, 0, 0)));

        assertThat(s.component("confirmation").value()).isEqualTo(2.0);
        assertThat(s.component("confirmation").points()).isEqualTo(10.0);
        assertThat(s.component("open_questions").points()).isEqualTo(10.0);
        assertThat(s.component("empathy").points()).isEqualTo(5.0);
        ListeningScore longer = score(with(quiet(20 * MIN, 8 * MIN, 8 * MIN), 0, 0, 0, 0, counts(1, 1, 1, 1, 0, 0)));
        assertThat(longer.component("open_questions").points()).isEqualTo(2.5);
    }

    @Test
    void raisedVoiceAndMonotoneCostTheirPoints() {
        ListeningScore calm = score(with(quiet(10 * MIN, 4 * MIN, 5 * MIN), 0, 0, 0, 0, counts(0, 0, 0, 0, 0, 0)));
        ListeningScore raised = score(with(quiet(10 * MIN, 4 * MIN, 5 * MIN), 0, 0, 0, 0, counts(0, 0, 0, 0, 1, 1)));

        assertThat(calm.component("calm_voice").points()).isEqualTo(5.0);
        assertThat(calm.component("lively_voice").points()).isEqualTo(5.0);
        assertThat(raised.component("calm_voice").points()).isZero();
        assertThat(raised.component("lively_voice").points()).isZero();
    }

    @Test
    void scoreIsPointsOverTheWeightsOfCountedComponents() {
        // 10 minutes, share 0.4 (in band), no transfer, no backchannel talk threshold issue
        ListeningTotals t = with(quiet(10 * MIN, 4 * MIN, 6 * MIN), 1, 0, 0, 6, counts(2, 1, 2, 1, 0, 0));
        ListeningScore s = score(t);

        double points = s.components().stream().filter(ScoreComponent::counted).mapToDouble(ScoreComponent::points).sum();
        double weights = s.components().stream().filter(ScoreComponent::counted).mapToDouble(ScoreComponent::weight).sum();
        assertThat(s.component("pause_respect").counted()).isFalse();
        assertThat(weights).isEqualTo(85.0);
        assertThat(s.score()).isEqualTo(Math.round(1000 * points / weights) / 10.0);
        assertThat(s.score()).isCloseTo(100 * (85 - 20.0 / 3) / 85, within(0.05));
        assertThat(s.thresholds()).containsEntry("talkShareLow", 0.35).containsEntry("interruptionsZeroPer10Min", 3.0);
    }

    @Test
    void configuredWeightsChangeTheScoreAndZeroLeavesAComponentOut() {
        ListeningTotals t = with(quiet(10 * MIN, 8 * MIN, 2 * MIN), 3, 0, 0, 0, ListeningCounts.ZERO);
        Map<String, Double> onlyTalk = new LinkedHashMap<>();
        onlyTalk.put("talk_share", 1.0);
        onlyTalk.put("interruptions", 0.0);

        ListeningScore s = ListeningScorer.score(t, 0.35, 0.55, ScoreConfig.DEFAULTS.withWeights(onlyTalk));

        assertThat(s.component("interruptions").counted()).isFalse();
        assertThat(s.component("talk_share").value()).isEqualTo(0.8);
        assertThat(s.score()).isZero(); // 0.8 is 0.25 above the band: beyond the 0.20 fall-off
    }

    @Test
    void windowScoreIsTheScoreOfSummedCountsNotTheMeanOfCallScores() {
        ListeningTotals shortCall = with(quiet(2 * MIN, MIN, MIN), 1, 0, 0, 0, ListeningCounts.ZERO);
        ListeningTotals longCall = with(quiet(18 * MIN, 7 * MIN, 9 * MIN), 0, 0, 0, 0, ListeningCounts.ZERO);

        ListeningScore window = score(shortCall.plus(longCall));

        // one interruption in 20 minutes is 0.5 per 10 minutes: 1 - 0.5 / 3 of the weight
        assertThat(window.component("interruptions").value()).isEqualTo(0.5);
        assertThat(window.component("interruptions").points()).isEqualTo(16.67);
        // the calls on their own: 5 per 10 minutes (nothing) and none (all); their mean would be 10
        assertThat(score(shortCall).component("interruptions").points()).isZero();
        assertThat(score(longCall).component("interruptions").points()).isEqualTo(20.0);
    }

    @Test
    void workedExampleOfTheDocs() {
        // docs/metrics.md, "Listening score": a 5-minute call
        ListeningTotals call = new ListeningTotals(5 * MIN, 100_000, 150_000, 0, 0, 1, 0, 0, 3, 0, 4, 2, 0, 0, 1,
                counts(1, 0, 1, 1, 0, 0));

        ListeningScore s = score(call);

        assertThat(s.components()).extracting(ScoreComponent::points)
                .containsExactly(6.67, 7.5, 15.0, 10.0, 10.0, 0.0, 10.0, 5.0, 5.0, 5.0);
        assertThat(s.score()).isEqualTo(74.2);
    }

    @Test
    void rejectsUnknownComponentsNegativeWeightsAndNoWeightAtAll() {
        assertThatThrownBy(() -> ScoreConfig.DEFAULTS.withWeights(Map.of("interuptions", 1.0)))
                .hasMessageContaining("interuptions").hasMessageContaining("pause_respect");
        assertThatThrownBy(() -> ScoreConfig.DEFAULTS.withWeights(Map.of("talk_share", -1.0)))
                .hasMessageContaining("talk_share");
        assertThatThrownBy(() -> ScoreConfig.DEFAULTS.withWeights(Map.of("talk_share", 0.0)))
                .hasMessageContaining("at least one weight");
    }

    @Test
    void defaultWeightsAddUpToOneHundred() {
        assertThat(ScoreConfig.DEFAULTS.weights().values().stream().mapToDouble(Double::doubleValue).sum())
                .isEqualTo(100.0);
        assertThat(ScoreConfig.DEFAULTS.weights().keySet()).containsExactlyElementsOf(ScoreConfig.COMPONENTS);
    }
}
