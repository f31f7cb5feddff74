package io.earshot.analysis.evaluation.corpus;

import io.earshot.analysis.evaluation.corpus.PhraseTimings.PhraseTiming;
import io.earshot.analysis.evaluation.corpus.PhraseTimings.WordTiming;
import io.earshot.schemas.Role;
import java.util.ArrayList;
import java.util.List;

/** Every word lasts the same and words follow each other without a gap: placements are easy to work out by hand. */
final class FixedTimings implements PhraseTimings {

    private final long wordMs;

    FixedTimings(long wordMs) {
        this.wordMs = wordMs;
    }

    @Override
    public PhraseTiming timing(Role role, int voice, String text) {
        List<WordTiming> words = new ArrayList<>();
        long at = 0;
        for (String w : text.split(" ")) {
            words.add(new WordTiming(w, at, at + wordMs));
            at += wordMs;
        }
        return new PhraseTiming(at, words);
    }
}
