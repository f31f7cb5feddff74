package io.earshot.ingest.dsp;

import io.earshot.schemas.Role;

/**
 * Receives speech-activity results as soon as they are decided: the start edge of a spurt
 * once it has lasted long enough not to be a click, and the finished spurt once a gap long
 * enough to end it has passed. Calls arrive in media-time order per role.
 */
public interface SpeechHandler {

    /** {@code role} started speaking at {@code atMs}; the spurt is at least the minimum length. */
    void onSpeechStart(Role role, long atMs);

    /** A spurt ended; its end edge is {@code segment.endMs()}. */
    void onSegment(SpeechSegment segment);

    /**
     * A provisional edge: {@code role} started ({@code speaking}) or stopped speaking at
     * {@code atMs} by the detector's decision of each frame as it arrives, without look-ahead
     * (see {@link SpeechActivityDetector}). A start comes once the provisional spurt has lasted
     * the minimum spurt length, an end once the bridged gap has followed it (or, when the sounds
     * after it may still lead into speech, the voiced reach more): 0.3 s or more sooner than the
     * decided edges, which follow and may differ by a few frames, or (rarely)
     * have no provisional counterpart, or none for a provisional one. Provisional edges arrive in
     * media-time order per role among themselves; a start is always followed by its end, at the
     * latest when the detector finishes.
     */
    default void onProvisionalEdge(Role role, long atMs, boolean speaking) {
    }
}
