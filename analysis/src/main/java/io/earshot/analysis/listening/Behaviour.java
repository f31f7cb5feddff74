package io.earshot.analysis.listening;

import io.earshot.schemas.Role;

/**
 * One listening behaviour found in one utterance, with its evidence.
 *
 * @param by      who said it
 * @param kind    which behaviour
 * @param startMs media position of the first matched word (the utterance's start when the
 *                words have no timings)
 * @param endMs   media position of the end of the last matched word
 * @param text    the utterance's words the rule matched, as the recogniser printed them
 * @param reason  why it matched, in words a supervisor reads: the rule and the phrase or the
 *                overlap that made it
 */
public record Behaviour(Role by, BehaviourKind kind, long startMs, long endMs, String text, String reason)
        implements java.io.Serializable {
}
