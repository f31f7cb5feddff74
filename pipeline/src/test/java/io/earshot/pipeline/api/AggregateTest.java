package io.earshot.pipeline.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.analysis.windows.WindowMetrics;
import io.earshot.analysis.listening.ListeningCounts;
import io.earshot.analysis.listening.ListeningScorer;
import io.earshot.analysis.listening.ScoreConfig;
import io.earshot.analysis.metrics.ListeningTotals;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AggregateTest {

    /** Sums in, rates out; an empty cell is a null rate (its denominator is zero). */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "two calls,           1800000, 700000, 800000, 4, 6, 5,  2000, 0.4666666666666667, 1.3333333333333333, 0.8333333333333334, 333.3333333333333",
        "nobody spoke,         600000,      0,      0, 0, 0, 0,     0,                   , 0.0,                ,                   ",
        "agent alone,           60000,  60000,      0, 1, 0, 0,     0, 1.0,                10.0,               ,                   ",
        "no calls,                  0,      0,      0, 0, 0, 0,     0,                   ,                   ,                   ,                   ",
        "all cut in,           600000, 300000, 300000, 2, 2, 0, -1500, 0.5,                2.0,                0.0,                -750.0"})
    void shouldReDivideRatesFromSums(String name, long callTime, long agentTalk, long customerTalk, long interruptions,
            long transfers, long respected, long gapSum, Double share, Double per10Min, Double respect, Double meanGap) {
        Aggregate a = Aggregate.of("AGENT", "a", null, null, new ListeningTotals(callTime, agentTalk, customerTalk, 0, 0,
                interruptions, 0, 0, 0, 0, transfers, respected, gapSum, 0, 1), 0, 0, WindowMetrics.Scoring.DEFAULTS);
        assertThat(a.agentTalkShare()).isEqualTo(share);
        assertThat(a.agentInterruptionsPer10Min()).isEqualTo(per10Min);
        assertThat(a.pauseRespectRate()).isEqualTo(respect);
        assertThat(a.meanResponseGapMs()).isEqualTo(meanGap);
    }

    @Test
    void shouldScoreTheSummedTotalsNotTheMeanOfTheirScores() {
        // 50 minutes of textbook listening, then 2 minutes of talking over the customer
        ListeningTotals good = new ListeningTotals(3_000_000, 1_000_000, 1_500_000, 0, 0, 0, 0, 0, 25, 0, 20, 20, 8000,
                0, 5, new ListeningCounts(10, 0, 5, 0, 10, 0, 0, 5, 0, 0, 0, 0, 0));
        ListeningTotals bad = new ListeningTotals(120_000, 100_000, 20_000, 0, 0, 2, 1500, 0, 0, 0, 2, 0, -400, 0, 1,
                ListeningCounts.ZERO);
        double goodScore = Aggregate.of("AGENT", "a", null, null, good, 0, 0, WindowMetrics.Scoring.DEFAULTS)
                .listeningScore().score();
        double badScore = Aggregate.of("AGENT", "a", null, null, bad, 0, 0, WindowMetrics.Scoring.DEFAULTS)
                .listeningScore().score();

        Aggregate both = Aggregate.of("AGENT", "a", null, null, good.plus(bad), 0, 0, WindowMetrics.Scoring.DEFAULTS);

        assertThat(goodScore).isEqualTo(100.0);
        assertThat(badScore).isEqualTo(11.1);
        assertThat(both.listeningScore().score()).isEqualTo(ListeningScorer.score(good.plus(bad), 0.35, 0.55,
                ScoreConfig.DEFAULTS).score()).isGreaterThan(90).isNotEqualTo((goodScore + badScore) / 2);
        assertThat(both.listening()).isEqualTo(good.listening());
        assertThat(both.calls()).isEqualTo(6);
    }

    @Test
    void shouldScoreWithTheConfiguredWeightsAndBand() {
        // talk share 0.6: outside the default band, inside a configured 0.5-0.7 one
        ListeningTotals t = new ListeningTotals(600_000, 300_000, 200_000, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 1);
        WindowMetrics.Scoring onlyTalkShare = new WindowMetrics.Scoring(
                ScoreConfig.DEFAULTS.withWeights(Map.of("talk_share", 1.0)), 0.5, 0.7);

        Aggregate a = Aggregate.of("TEAM", "t", null, null, t, 0, 0, onlyTalkShare);

        assertThat(a.listeningScore().score()).isEqualTo(100.0);
        assertThat(a.listeningScore().thresholds()).containsEntry("talkShareLow", 0.5).containsEntry("talkShareHigh", 0.7);
        assertThat(Aggregate.of("TEAM", "t", null, null, t, 0, 0, WindowMetrics.Scoring.DEFAULTS).listeningScore()
                .score()).isLessThan(100.0);
    }
}
