package io.earshot.analysis.listening;

import io.earshot.analysis.events.UtteranceItem;
import io.earshot.analysis.events.WordItem;
import io.earshot.schemas.Role;
import java.util.ArrayList;
import java.util.List;

/** Utterances as the recogniser prints them, with even word timings, for the detector's tests. */
final class Speech {

    /** Each word lasts this long, with no silence between words. */
    static final long WORD_MS = 300;

    private Speech() {
    }

    /** {@code text}'s words from {@code startMs}, {@link #WORD_MS} each, back to back. */
    static UtteranceItem say(Role role, long startMs, String text) {
        List<WordItem> words = new ArrayList<>();
        long t = startMs;
        for (String w : text.strip().split("\\s+")) {
            words.add(new WordItem(w, t, t + WORD_MS, 1.0));
            t += WORD_MS;
        }
        return new UtteranceItem(role, startMs, t, text, words);
    }

    /** The same, with a silence of {@code pauseMs} before the word at {@code pauseBefore}. */
    static UtteranceItem sayWithPause(Role role, long startMs, String text, int pauseBefore, long pauseMs) {
        List<WordItem> words = new ArrayList<>();
        long t = startMs;
        String[] split = text.strip().split("\\s+");
        for (int i = 0; i < split.length; i++) {
            if (i == pauseBefore) {
                t += pauseMs;
            }
            words.add(new WordItem(split[i], t, t + WORD_MS, 1.0));
            t += WORD_MS;
        }
        return new UtteranceItem(role, startMs, t, text, words);
    }
}
