package io.earshot.analysis.evaluation.corpus;

import io.earshot.analysis.evaluation.corpus.PhraseTimings.PhraseTiming;
import io.earshot.analysis.evaluation.corpus.PhraseTimings.WordTiming;
import io.earshot.schemas.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Word-level timings drawn from a seed: each word lasts 180-480 ms and words are separated by
 * less than 120 ms, so a phrase is one talk spurt and every word has exact bounds. The same
 * (seed, role, voice, text) always gives the same timing, as a voice says a phrase the same
 * way each time.
 */
public final class SyntheticTimings implements PhraseTimings {

    static final long MIN_WORD_MS = 180;
    static final long MAX_WORD_MS = 480;
    static final long MAX_WORD_GAP_MS = 119;

    private final long seed;

    public SyntheticTimings(long seed) {
        this.seed = seed;
    }

    @Override
    public PhraseTiming timing(Role role, int voice, String text) {
        long h = seed;
        h = h * 31 + role.ordinal();
        h = h * 31 + voice;
        h = h * 1_000_003L + text.hashCode();
        SplittableRandom random = new SplittableRandom(h);
        List<WordTiming> words = new ArrayList<>();
        long at = 0;
        for (String word : text.split(" ")) {
            if (!words.isEmpty()) {
                at += random.nextLong(MAX_WORD_GAP_MS + 1);
            }
            long length = random.nextLong(MIN_WORD_MS, MAX_WORD_MS + 1);
            words.add(new WordTiming(word, at, at + length));
            at += length;
        }
        return new PhraseTiming(at, words);
    }
}
