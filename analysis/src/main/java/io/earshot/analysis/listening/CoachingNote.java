package io.earshot.analysis.listening;

/**
 * One observation for the agent, in plain language, pointing at the second of audio it comes
 * from.
 *
 * @param kind    what the note is about ({@code interruption}, {@code good_open_question}, ...):
 *                stable names a dashboard can group and count by
 * @param atMs    media position the note points at
 * @param message the sentence shown to the agent or supervisor
 */
public record CoachingNote(String kind, long atMs, String message) implements java.io.Serializable {
}
