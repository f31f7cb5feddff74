package io.earshot.jobs.agents;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.analysis.windows.MetricsKey;
import io.earshot.analysis.windows.Scope;
import io.earshot.analysis.windows.ScopedActivity;
import io.earshot.jobs.agents.functions.TotalsAggregate;
import io.earshot.analysis.windows.CallActivity;
import io.earshot.analysis.metrics.ListeningTotals;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The window accumulator: however Flink splits a window's activity into partial accumulators
 * (session merges, sliding panes), adding and merging give the plain sum of the deltas,
 * negative corrections included.
 */
class TotalsAggregateTest {

    private static final TotalsAggregate AGGREGATE = new TotalsAggregate();

    private static ScopedActivity delta(long callTime, long agentInterruptions, long interruptionOverlap,
            long transfers, long respected, long gapSum, long ended) {
        return new ScopedActivity(new MetricsKey(Scope.AGENT, "a1"), new CallActivity("c", "a1", "t", "q", 0,
                new ListeningTotals(callTime, callTime / 2, callTime / 3, 0, 0, agentInterruptions,
                        interruptionOverlap, 0, 0, 0, transfers, respected, gapSum, 0, ended)));
    }

    static Stream<Arguments> splits() {
        List<ScopedActivity> running = List.of(
                delta(5_000, 1, 700, 1, 1, 400, 0),
                delta(5_000, 0, 0, 1, 0, 120, 0),
                delta(5_000, -1, -700, 0, 0, 0, 0),          // the first interruption was a backchannel
                delta(2_500, 2, 1_900, -1, 0, -120, 1));     // final: a transfer merged into a turn
        List<ScopedActivity> correctionOnly = List.of(delta(0, -1, -650, 0, 0, 0, 0));
        return Stream.concat(
                IntStream.rangeClosed(0, running.size()).mapToObj(i -> Arguments.of(running, i)),
                Stream.of(Arguments.of(List.of(), 0), Arguments.of(correctionOnly, 0),
                        Arguments.of(correctionOnly, 1)));
    }

    @ParameterizedTest(name = "{0} split at {1}")
    @MethodSource("splits")
    void shouldSumDeltasTheSameWhetherAddedInOneAccumulatorOrMergedFromTwo(List<ScopedActivity> deltas, int split) {
        ListeningTotals expected = ListeningTotals.ZERO;
        for (ScopedActivity d : deltas) {
            expected = expected.plus(d.activity().delta());
        }
        ListeningTotals left = AGGREGATE.createAccumulator();
        for (ScopedActivity d : deltas.subList(0, split)) {
            left = AGGREGATE.add(d, left);
        }
        ListeningTotals right = AGGREGATE.createAccumulator();
        for (ScopedActivity d : deltas.subList(split, deltas.size())) {
            right = AGGREGATE.add(d, right);
        }

        assertThat(AGGREGATE.getResult(AGGREGATE.merge(left, right))).isEqualTo(expected);
        assertThat(AGGREGATE.getResult(AGGREGATE.merge(right, left))).isEqualTo(expected);
        assertThat(expected.callTimeMs())
                .isEqualTo(deltas.stream().mapToLong(d -> d.activity().delta().callTimeMs()).sum());
        assertThat(expected.agentInterruptions())
                .isEqualTo(deltas.stream().mapToLong(d -> d.activity().delta().agentInterruptions()).sum());
    }

    @Test
    void shouldStartFromNothing() {
        assertThat(AGGREGATE.createAccumulator()).isEqualTo(ListeningTotals.ZERO);
        assertThat(AGGREGATE.merge(AGGREGATE.createAccumulator(), AGGREGATE.createAccumulator()))
                .isEqualTo(ListeningTotals.ZERO);
    }
}
