package io.earshot.analysis.evaluation.corpus;

import io.earshot.schemas.Role;
import java.util.List;

/**
 * How long a phrase lasts when a given voice says it, and where its words fall. Synthetic
 * timings serve the exact-spurt corpus; a text-to-speech renderer supplies real durations.
 */
public interface PhraseTimings {

    PhraseTiming timing(Role role, int voice, String text);

    /** A phrase's length, from its first sound to its last, and its words relative to its start. */
    record PhraseTiming(long durationMs, List<WordTiming> words) {

        public PhraseTiming {
            words = List.copyOf(words);
            if (durationMs <= 0) {
                throw new IllegalArgumentException("a phrase lasts: " + durationMs);
            }
            for (WordTiming w : words) {
                if (w.startMs() < 0 || w.endMs() > durationMs || w.endMs() < w.startMs()) {
                    throw new IllegalArgumentException("word " + w + " outside the phrase's " + durationMs + " ms");
                }
            }
        }
    }

    /** A word of a phrase, {@code [startMs, endMs)} from the phrase's start. */
    record WordTiming(String word, long startMs, long endMs) {
    }
}
