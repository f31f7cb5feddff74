package io.earshot.analysis.listening;

import java.util.List;

/** What the memos ask of what a kept result was computed from: whether it is unchanged. */
public final class Unchanged {

    private Unchanged() {
    }

    /** The same object, or an equal one. */
    static boolean item(Object a, Object b) {
        return a == b || a.equals(b);
    }

    /** The same items in the same order (each the same object, or an equal one). */
    static boolean items(List<?> a, List<?> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!item(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * How many leading items of {@code now} are those of {@code seen} (the same object or an
     * equal one, in the same place).
     */
    public static int leading(Object[] seen, List<?> now) {
        int n = Math.min(seen.length, now.size());
        int same = 0;
        while (same < n && item(seen[same], now.get(same))) {
            same++;
        }
        return same;
    }
}
