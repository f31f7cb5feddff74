package io.earshot.analysis.summary;

import io.earshot.analysis.listening.CallListening;
import io.earshot.analysis.metrics.CallMetrics;
import io.earshot.analysis.metrics.SharedList;
import java.io.Serializable;
import java.util.List;

/**
 * How many leading items of each evidence list of a running value the call's previous running
 * value already carried, in the same order: the live topic sends only the items after them (the
 * contract's {@code KeptEvidence}).
 *
 * @param previousEmittedAtMs when the previous running value was emitted (epoch ms)
 */
public record KeptEvidence(long previousEmittedAtMs, int interruptions, int backchannels, int responseGaps,
        int pauseIntrusions, int deadAir, int behaviours, int toneEvents, int coaching) implements Serializable {

    /**
     * What {@code next} keeps of {@code previous}: for each list, how many leading items are
     * equal in both. Costs what changed between them ({@link SharedList#commonPrefix}).
     */
    public static KeptEvidence between(CallSummary previous, CallSummary next) {
        CallMetrics a = previous.metrics();
        CallMetrics b = next.metrics();
        CallListening x = previous.listening();
        CallListening y = next.listening();
        return new KeptEvidence(previous.emittedAtMs(),
                SharedList.commonPrefix(a.interruptions(), b.interruptions()),
                SharedList.commonPrefix(a.backchannels(), b.backchannels()),
                SharedList.commonPrefix(a.responseGaps(), b.responseGaps()),
                SharedList.commonPrefix(a.pauseIntrusions(), b.pauseIntrusions()),
                SharedList.commonPrefix(a.deadAir(), b.deadAir()),
                x == null || y == null ? 0 : SharedList.commonPrefix(x.behaviours(), y.behaviours()),
                x == null || y == null ? 0 : SharedList.commonPrefix(x.tone().events(), y.tone().events()),
                x == null || y == null ? 0 : SharedList.commonPrefix(x.coaching(), y.coaching()));
    }

    /** The items of {@code list} after the first {@code kept}: what goes out. */
    public static <T> List<T> after(List<T> list, int kept) {
        return kept == 0 ? list : list.subList(kept, list.size());
    }
}
