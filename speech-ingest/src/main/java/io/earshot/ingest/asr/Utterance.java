package io.earshot.ingest.asr;

import io.earshot.schemas.Role;
import java.util.List;

/**
 * A stretch of one party's speech as the recogniser heard it.
 *
 * @param role    who spoke
 * @param startMs media position of the first word (of the region when no word was found)
 * @param endMs   media position of the end of the last word
 * @param text    the words joined by spaces
 * @param words   word timings and confidences
 * @param isFinal whether the recogniser has committed to this text (false for live partials)
 */
public record Utterance(Role role, long startMs, long endMs, String text, List<Word> words, boolean isFinal) {

    public Utterance {
        words = List.copyOf(words);
    }
}
