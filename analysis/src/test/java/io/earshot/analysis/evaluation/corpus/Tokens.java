package io.earshot.analysis.evaluation.corpus;

import java.util.Comparator;
import java.util.List;

/**
 * The backchannel tokens of the turn-taking rules, read the way the rules read them: a
 * response is made of tokens only when its words, in order, split into tokens (longest first),
 * repeated or combined in any order. Kept here rather than taken from the metric code's
 * configuration so the corpus states the rules independently of the code it checks.
 */
final class Tokens {

    static final List<String> DEFAULT = List.of("uh-huh", "uh huh", "mm-hmm", "mm hmm", "mhm", "mhmm", "mmhmm", "hmm",
            "mm", "mmm", "yeah", "yes", "yep", "right", "okay", "ok", "sure", "i see", "got it", "alright", "all right", "oh", "ah",
            "aha");

    private static final List<String[]> LONGEST_FIRST = DEFAULT.stream().map(t -> t.split(" "))
            .sorted(Comparator.comparingInt((String[] t) -> -t.length)).toList();

    private Tokens() {
    }

    static boolean onlyTokens(List<String> words) {
        if (words.isEmpty()) {
            return false;
        }
        int i = 0;
        outer:
        while (i < words.size()) {
            for (String[] token : LONGEST_FIRST) {
                if (i + token.length <= words.size()
                        && List.of(token).equals(words.subList(i, i + token.length))) {
                    i += token.length;
                    continue outer;
                }
            }
            return false;
        }
        return true;
    }
}
