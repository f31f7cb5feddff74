package io.earshot.analysis.summary;

/**
 * One call's running values as the live topic carries them: each names what it keeps of the
 * evidence of the one sent before it ({@link KeptEvidence}), so an interruption, a backchannel
 * or a behaviour goes out once instead of in every running value after it, and a running value
 * of an hour-long call costs what changed since the last one. A running value goes out whole
 * (no {@code kept}) when it is the call's first here, and again once {@link #WHOLE_EVERY_MS} of
 * call time has passed since the last whole one: a consumer that joined late or missed a record
 * has the whole evidence again within that. Final summaries always go out whole.
 *
 * <p>Not state to checkpoint: after a restart the first running value goes out whole. Not
 * thread-safe; one per call.
 */
public final class EvidenceSent {

    /**
     * A whole running value at least this often, in ms of call time (event time). A whole value
     * of an hour-long call is some 25 times the size of one that leaves out what was sent, so
     * this is what a late joiner's wait is traded against; a reader that starts from the call's
     * beginning (the floor replays its lookback) never waits.
     */
    public static final long WHOLE_EVERY_MS = 300_000;

    private CallSummary last;
    private long wholeAtMs;

    /** {@code s} as it goes out: with what it keeps of the running value sent before it. */
    public CallSummary next(CallSummary s) {
        if (s.isFinal()) {
            last = null;
            return s;
        }
        CallSummary out;
        if (last == null || s.emittedAtMs() - wholeAtMs >= WHOLE_EVERY_MS || s.emittedAtMs() <= last.emittedAtMs()) {
            out = s.kept() == null ? s : s.withKept(null);
            wholeAtMs = s.emittedAtMs();
        } else {
            out = s.withKept(KeptEvidence.between(last, s));
        }
        last = s;
        return out;
    }
}
