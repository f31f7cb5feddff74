package io.earshot.analysis.listening;

import java.util.List;

/**
 * What a memo was last given, to find how many leading items of the next list are the same: told
 * by a caller that knows it (the call's memo, which took the call's items and sorted them), or else
 * found by comparing the next list with the items kept. Told, it keeps only how many there were, so
 * a running value of a long call costs no pass over the call to find what it already had.
 */
public final class Seen {

    /** What a caller that does not know how many items are unchanged tells. */
    public static final int UNTOLD = -1;

    /** The items last given, or null when only their number was kept (they were told). */
    private Object[] items = new Object[0];
    private int count;

    /**
     * How many leading items of {@code now} are those last given (the same object or an equal
     * one, in the same place).
     *
     * @param told how many the caller knows are, or {@link #UNTOLD}; never more than it last
     *             gave, and none after {@link #forget()}
     */
    int same(List<?> now, int told) {
        if (told >= 0) {
            return Math.min(told, Math.min(count, now.size()));
        }
        return items == null ? 0 : Unchanged.leading(items, now);
    }

    /** Keeps {@code now} as what was given last: its items, or only their number when they were told. */
    void take(List<?> now, int told) {
        count = now.size();
        items = told >= 0 ? null : now.toArray();
    }

    void forget() {
        items = new Object[0];
        count = 0;
    }
}
