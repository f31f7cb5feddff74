package io.earshot.analysis.evaluation.corpus;

/**
 * What a scripted line does to the floor, which is what the truth labeller reads: whether it
 * takes the floor, whether its onset is an interruption and how that ends, and whether it is
 * a backchannel. The generator draws every kind; the corpus test reports its figures per kind.
 */
public enum LineKind {
    /** The call's first claim: its speaker holds the floor first. */
    OPENING(true, Onset.NONE, false),
    /** A floor transfer: starts after the holder's line ends, or up to 600 ms minus the margin before. */
    TURN(true, Onset.NONE, false),
    /** A short complete answer (a single phrase with a word that is not a backchannel token). */
    SHORT_ANSWER(true, Onset.NONE, false),
    /** A turn that closes with a question ("is that right"). */
    QUESTION(true, Onset.NONE, false),
    /**
     * A short first phrase overlapping the holder's last words by less than 600 ms minus the
     * margin, carried on within a second into a turn after the holder stopped.
     */
    FLOOR_GRAB(true, Onset.NONE, false),
    /** As {@link #FLOOR_GRAB}, overlapping by more than 600 ms plus the margin: a successful interruption. */
    FLOOR_GRAB_INTERRUPTION(true, Onset.SUCCESSFUL, false),
    /** Starts while the holder speaks; the holder yields within 2 s (its line is cut) and this line carries on. */
    INTERRUPTION(true, Onset.SUCCESSFUL, false),
    /** Starts in a pause of the holder, who resumes, overlaps and yields within 2 s; this line carries on. */
    BARGE_IN(true, Onset.SUCCESSFUL, false),
    /** Starts while the holder speaks; the holder talks on past 2 s, then yields, and this line outlasts it. */
    OUTLASTING_INTERRUPTION(true, Onset.UNSUCCESSFUL, false),
    /** Starts while the holder speaks and gives up while the holder talks on past 2 s. */
    ATTEMPT(false, Onset.UNSUCCESSFUL, false),
    /** Starts in a pause of the holder, who resumes and talks on past 2 s; this line gives up. */
    BARGE_IN_ATTEMPT(false, Onset.UNSUCCESSFUL, false),
    /** Backchannel tokens only, while the holder keeps its turn. */
    BACKCHANNEL(false, Onset.NONE, true);

    /** Whether a line's onset is an interruption, and if so how it ends. */
    public enum Onset { NONE, SUCCESSFUL, UNSUCCESSFUL }

    private final boolean takesFloor;
    private final Onset onset;
    private final boolean backchannel;

    LineKind(boolean takesFloor, Onset onset, boolean backchannel) {
        this.takesFloor = takesFloor;
        this.onset = onset;
        this.backchannel = backchannel;
    }

    public boolean takesFloor() {
        return takesFloor;
    }

    public Onset onset() {
        return onset;
    }

    public boolean interrupts() {
        return onset != Onset.NONE;
    }

    public boolean backchannel() {
        return backchannel;
    }

    /** Interruptions that start in a pause of the holder (who then resumes) rather than over its speech. */
    public boolean inPause() {
        return this == BARGE_IN || this == BARGE_IN_ATTEMPT;
    }
}
