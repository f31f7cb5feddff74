package io.earshot.jobs.agents.functions;

import io.earshot.analysis.windows.ScopedActivity;
import io.earshot.analysis.metrics.ListeningTotals;
import org.apache.flink.api.common.functions.AggregateFunction;

/**
 * Adds up the activity of a window as it arrives: the window keeps one {@link ListeningTotals},
 * not its records, so a sliding window's state is one small accumulator per pane.
 */
public final class TotalsAggregate implements AggregateFunction<ScopedActivity, ListeningTotals, ListeningTotals> {

    private static final long serialVersionUID = 1L;

    @Override
    public ListeningTotals createAccumulator() {
        return ListeningTotals.ZERO;
    }

    @Override
    public ListeningTotals add(ScopedActivity value, ListeningTotals acc) {
        return acc.plus(value.activity().delta());
    }

    @Override
    public ListeningTotals getResult(ListeningTotals acc) {
        return acc;
    }

    @Override
    public ListeningTotals merge(ListeningTotals a, ListeningTotals b) {
        return a.plus(b);
    }
}
