package io.earshot.analysis.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.analysis.metrics.ConversationEvents.Backchannel;
import io.earshot.analysis.metrics.ConversationEvents.Interruption;
import io.earshot.analysis.metrics.ConversationEvents.PauseIntrusion;
import io.earshot.analysis.metrics.ConversationEvents.ResponseGap;
import io.earshot.schemas.Role;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The additive totals behind the agent, team and queue windows: what a call's metrics
 * contribute, how deltas add and subtract, and the rates derived from sums (NaN, not 0, where
 * a denominator is not positive).
 */
class ListeningTotalsTest {

    private static ListeningTotals totals(long callTime, long agentTalk, long customerTalk, long agentInterruptions,
            long transfers, long respected, long gapSum, long calls) {
        return new ListeningTotals(callTime, agentTalk, customerTalk, 0, 0, agentInterruptions, 0, 0, 0, 0,
                transfers, respected, gapSum, 0, calls);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            # case                                  | callTime | agentInt | agentTalk | custTalk | transfers | respected | gapSum | per10Min | share | respectRate | meanGap
            ten minutes, three interruptions        | 600000   | 3        | 300       | 700      | 4         | 3         | 1200   | 3.0      | 0.3   | 0.75        | 300
            fifteen minutes, three interruptions    | 900000   | 3        | 500       | 500      | 2         | 0         | -400   | 2.0      | 0.5   | 0.0         | -200
            one interruption in twenty seconds      | 20000    | 1        | 1000      | 0        | 1         | 1         | 450    | 30.0     | 1.0   | 1.0         | 450
            no interruptions                        | 600000   | 0        | 0         | 1000     | 1         | 0         | 100    | 0.0      | 0.0   | 0.0         | 100
            zero call time                          | 0        | 0        | 0         | 0        | 0         | 0         | 0      | NaN      | NaN   | NaN         | NaN
            zero call time, a correction's count    | 0        | 2        | 0         | 0        | 0         | 0         | 0      | NaN      | NaN   | NaN         | NaN
            negative correction only                | -5000    | -1       | -400      | -100     | -1        | -1        | -300   | NaN      | NaN   | NaN         | NaN
            talk cancels out                        | 60000    | 1        | 500       | -500     | 0         | 0         | 0      | 10.0     | NaN   | NaN         | NaN
            """)
    void shouldDeriveRatesFromTheSumsAndNaNWithoutAPositiveDenominator(String name, long callTime,
            long agentInterruptions, long agentTalk, long customerTalk, long transfers, long respected, long gapSum,
            double per10Min, double share, double respectRate, double meanGap) {
        ListeningTotals t = totals(callTime, agentTalk, customerTalk, agentInterruptions, transfers, respected, gapSum, 0);

        // boxed, so NaN equals NaN
        assertThat((Object) t.agentInterruptionsPer10Min()).as("per 10 min").isEqualTo(per10Min);
        assertThat((Object) t.agentTalkShare()).as("talk share").isEqualTo(share);
        assertThat((Object) t.pauseRespectRate()).as("pause respect").isEqualTo(respectRate);
        assertThat((Object) t.meanResponseGapMs()).as("mean gap").isEqualTo(meanGap);
    }

    @Test
    void shouldRateTwoCallsByTheirSummedCallTimeNotByAveragingTheirRates() {
        ListeningTotals shortCall = totals(60_000, 0, 0, 1, 0, 0, 0, 1);   // 10 per 10 min on its own
        ListeningTotals longCall = totals(540_000, 0, 0, 1, 0, 0, 0, 1);   // 1.11 per 10 min on its own

        assertThat(shortCall.plus(longCall).agentInterruptionsPer10Min()).isEqualTo(2.0);
    }

    @Test
    void shouldCountEveryAdditiveMetricOfACall() {
        CallMetrics m = new CallMetrics(90_000, 40_000, 35_000, 3_000, 18_000, 40 / 75.0,
                List.of(new Interruption(Role.AGENT, Role.CUSTOMER, 1000, 800, true, "", ""),
                        new Interruption(Role.AGENT, Role.CUSTOMER, 9000, 1500, false, "", ""),
                        new Interruption(Role.CUSTOMER, Role.AGENT, 20000, 700, true, "", "")),
                List.of(new Backchannel(Role.AGENT, 0, 300, "mm-hmm"),
                        new Backchannel(Role.CUSTOMER, 500, 900, "yeah"),
                        new Backchannel(Role.CUSTOMER, 4000, 4200, "right")),
                List.of(new ResponseGap(1000, 1500, 500, true), new ResponseGap(3000, 3100, 100, false),
                        new ResponseGap(5000, 4200, -800, false)),
                List.of(new PauseIntrusion(3000, 3100, 3900)),
                List.of(), List.of(), 1 / 3.0, -200 / 3.0, 2 * 600_000.0 / 90_000, 0, 0, MetricsConfig.DEFAULTS);

        assertThat(ListeningTotals.of(m, false)).isEqualTo(new ListeningTotals(90_000, 40_000, 35_000, 3_000, 18_000,
                2, 2_300, 1, 1, 2, 3, 1, -200, 1, 0));
        assertThat(ListeningTotals.of(m, true).callsEnded()).isEqualTo(1);
    }

    @Test
    void shouldCountNothingForAnEmptyCallThatHasNotEnded() {
        CallMetrics empty = ConversationAnalysis.analyze(0, List.of(), List.of(), MetricsConfig.DEFAULTS);

        assertThat(ListeningTotals.of(empty, false)).isEqualTo(ListeningTotals.ZERO);
    }

    @Test
    void shouldAddEachFieldToItsOwnCounterpart() {
        ListeningTotals a = new ListeningTotals(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        ListeningTotals b = new ListeningTotals(100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1100, 1200, 1300,
                1400, 1500);

        assertThat(a.plus(b)).isEqualTo(new ListeningTotals(101, 202, 303, 404, 505, 606, 707, 808, 909, 1010, 1111,
                1212, 1313, 1414, 1515));
        assertThat(a.minus(b)).isEqualTo(new ListeningTotals(-99, -198, -297, -396, -495, -594, -693, -792, -891,
                -990, -1089, -1188, -1287, -1386, -1485));
    }

    static Stream<Arguments> pairs() {
        ListeningTotals a = new ListeningTotals(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        ListeningTotals negative = new ListeningTotals(-100, 0, -5, 0, 7, -1, -600, 0, 1, 0, -1, -1, -350, 0, 0);
        return Stream.of(
                Arguments.of("zero and zero", ListeningTotals.ZERO, ListeningTotals.ZERO),
                Arguments.of("value and zero", a, ListeningTotals.ZERO),
                Arguments.of("value and itself", a, a),
                Arguments.of("value and a negative correction", a, negative),
                Arguments.of("negative and negative", negative, negative));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void shouldAddAndSubtractFieldByFieldSoDeltasRebuildTheTotals(String name, ListeningTotals x, ListeningTotals y) {
        assertThat(x.plus(y)).isEqualTo(y.plus(x));
        assertThat(x.plus(y).minus(y)).isEqualTo(x);
        assertThat(x.minus(x)).isEqualTo(ListeningTotals.ZERO);
        assertThat(x.plus(y).callTimeMs()).isEqualTo(x.callTimeMs() + y.callTimeMs());
        assertThat(x.plus(y).responseGapSumMs()).isEqualTo(x.responseGapSumMs() + y.responseGapSumMs());
        assertThat(x.plus(y).callsEnded()).isEqualTo(x.callsEnded() + y.callsEnded());
    }
}
