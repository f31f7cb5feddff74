package io.earshot.pipeline.api;

import static org.assertj.core.api.Assertions.assertThat;

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
        Aggregate a = Aggregate.of("AGENT", "a", null, null, 1, callTime, agentTalk, customerTalk, 0, 0, interruptions,
                0, 0, 0, transfers, respected, gapSum, 0, 0, 0);
        assertThat(a.agentTalkShare()).isEqualTo(share);
        assertThat(a.agentInterruptionsPer10Min()).isEqualTo(per10Min);
        assertThat(a.pauseRespectRate()).isEqualTo(respect);
        assertThat(a.meanResponseGapMs()).isEqualTo(meanGap);
    }
}
