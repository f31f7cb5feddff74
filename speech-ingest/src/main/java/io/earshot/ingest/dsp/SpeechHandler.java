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
}
