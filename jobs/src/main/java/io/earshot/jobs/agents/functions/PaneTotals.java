package io.earshot.jobs.agents.functions;

import io.earshot.analysis.metrics.ListeningTotals;

/**
 * Summed activity of a pane, or of the panes of one live window, with how many activity records
 * went into it: a window fires only if some activity fell in it, even when its deltas add up to
 * zero, so the sum alone cannot say whether it fires.
 *
 * @param totals     the summed deltas
 * @param activities the number of activity records summed
 */
public record PaneTotals(ListeningTotals totals, long activities) {

    public static final PaneTotals EMPTY = new PaneTotals(ListeningTotals.ZERO, 0);

    public PaneTotals plus(PaneTotals o) {
        return new PaneTotals(totals.plus(o.totals), activities + o.activities);
    }

    public PaneTotals minus(PaneTotals o) {
        return new PaneTotals(totals.minus(o.totals), activities - o.activities);
    }

    public PaneTotals plus(ListeningTotals delta) {
        return new PaneTotals(totals.plus(delta), activities + 1);
    }
}
