package io.earshot.contracts;

import io.earshot.schemas.CallSummaryComputed;
import io.earshot.schemas.KeptEvidence;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds the running values of {@link Topics#CALL_LIVE} with their evidence whole. The metric
 * job sends each item of a call's evidence (an interruption, a backchannel, a behaviour...)
 * once: a running value with {@code keptEvidence} carries only what changed since the call's
 * previous running value and says how many leading items of each list it keeps of that one. A
 * reader keeps each call's last whole value here and gets every later one whole.
 *
 * <p>A record that continues a running value this reader never had (it started reading in the
 * middle of a call, or a record was lost) cannot be made whole: {@link #accept} says so with
 * {@code null}, and the call's values come whole again with its next whole running value, which
 * the job sends at least once every five minutes of call time. Not thread-safe: one reader, one thread.
 */
public final class RunningValues {

    private final Map<String, CallSummaryComputed> whole = new HashMap<>();

    /**
     * {@code s} with its evidence whole (its own lists completed in place, {@code keptEvidence}
     * cleared), or {@code null} when it continues a running value this reader does not have. A
     * final summary is whole already and ends the call here; a record repeated (the same
     * {@code emittedAt} again) gives the whole one kept for it.
     */
    public CallSummaryComputed accept(CallSummaryComputed s) {
        String call = s.getCallId();
        if (s.getIsFinal()) {
            whole.remove(call);
            return s;
        }
        KeptEvidence kept = s.getKeptEvidence();
        CallSummaryComputed before = whole.get(call);
        if (kept != null) {
            if (before != null && before.getEmittedAt().equals(s.getEmittedAt())) {
                return before; // the same running value again (the job's delivery is at least once)
            }
            if (before == null || !before.getEmittedAt().equals(kept.getPreviousEmittedAt())) {
                return null;
            }
            join(before, s);
        }
        whole.put(call, s);
        return s;
    }

    /** Forgets a call (its final summary came another way, or it is no longer shown). */
    public void forget(String callId) {
        whole.remove(callId);
    }

    /** How many calls this reader keeps a whole running value of. */
    public int calls() {
        return whole.size();
    }

    /**
     * Completes {@code next}'s lists in place with the items {@code next.keptEvidence} keeps of
     * {@code before} (the call's running value emitted at its {@code previousEmittedAt}, whole).
     *
     * @throws IllegalArgumentException when {@code before} has fewer items than {@code next} keeps
     */
    public static void join(CallSummaryComputed before, CallSummaryComputed next) {
        KeptEvidence k = next.getKeptEvidence();
        next.setInterruptions(joined(before.getInterruptions(), k.getInterruptions(), next.getInterruptions()));
        next.setBackchannels(joined(before.getBackchannels(), k.getBackchannels(), next.getBackchannels()));
        next.setResponseGaps(joined(before.getResponseGaps(), k.getResponseGaps(), next.getResponseGaps()));
        next.setPauseIntrusions(joined(before.getPauseIntrusions(), k.getPauseIntrusions(),
                next.getPauseIntrusions()));
        next.setDeadAir(joined(before.getDeadAir(), k.getDeadAir(), next.getDeadAir()));
        next.setBehaviours(joined(before.getBehaviours(), k.getBehaviours(), next.getBehaviours()));
        next.setToneEvents(joined(before.getToneEvents(), k.getToneEvents(), next.getToneEvents()));
        next.setCoaching(joined(before.getCoaching(), k.getCoaching(), next.getCoaching()));
        next.setKeptEvidence(null);
    }

    private static <T> List<T> joined(List<T> before, int keep, List<T> then) {
        if (keep < 0 || keep > before.size()) {
            throw new IllegalArgumentException("keeps " + keep + " items of a list of " + before.size());
        }
        List<T> out = new ArrayList<>(keep + then.size());
        out.addAll(before.subList(0, keep));
        out.addAll(then);
        return out;
    }
}
