package io.earshot.analysis.listening;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.analysis.events.UtteranceItem;
import io.earshot.analysis.events.WordItem;
import io.earshot.analysis.metrics.ConversationEvents.Interruption;
import io.earshot.schemas.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The quote of the worst interruption a call's coaching keeps from summary to summary
 * ({@link Coach.Kept#quote}) against quoting each summary's utterances afresh, while utterances
 * arrive, the last ones change and the worst interruption moves.
 */
class CoachQuoteTest {

    private static UtteranceItem utterance(Random random, long start) {
        Role role = random.nextInt(3) == 0 ? Role.CUSTOMER : Role.AGENT;
        List<WordItem> words = new ArrayList<>();
        long t = start;
        int n = random.nextInt(6); // some utterances have no word
        for (int i = 0; i < n; i++) {
            long length = 100 + random.nextInt(400);
            words.add(new WordItem("w" + random.nextInt(50), t, t + length, 1.0));
            t += length + random.nextInt(200);
        }
        return new UtteranceItem(role, start, Math.max(t, start + 200), "", words);
    }

    @Test
    void keptQuoteEqualsTheQuoteTakenAfreshAfterEverySummary() {
        Random random = new Random(17);
        int reused = 0;
        int moved = 0;
        for (int call = 0; call < 300; call++) {
            Coach.Kept kept = new Coach.Kept();
            List<UtteranceItem> utterances = new ArrayList<>();
            Interruption worst = null;
            long t = 0;
            for (int summary = 0; summary < 40; summary++) {
                int same = utterances.size();
                if (!utterances.isEmpty() && random.nextInt(4) == 0) {
                    // the last few utterances are heard again, changed
                    same = utterances.size() - 1 - random.nextInt(Math.min(4, utterances.size()));
                    for (int i = same; i < utterances.size(); i++) {
                        utterances.set(i, utterance(random, utterances.get(i).startMs()));
                    }
                }
                for (int k = random.nextInt(3); k > 0; k--) {
                    t += random.nextInt(1_500);
                    utterances.add(utterance(random, t));
                }
                if (worst == null || random.nextInt(8) == 0) {
                    // a new worst interruption, at an agent word or anywhere so far
                    long at = random.nextInt((int) t + 1);
                    worst = new Interruption(Role.AGENT, Role.CUSTOMER, at, 700, false, null, null);
                    moved++;
                }
                long[] ends = Coach.latestEnds(utterances, new long[0], 0);
                kept.utterancesKept(same);
                if (random.nextInt(6) == 0) {
                    continue; // a summary whose notes quote nothing: the next one quotes the same again
                }
                String want = Coach.wordsFrom(utterances, ends, Role.AGENT, worst.startMs()).words();
                Coach.Quoted before = kept.lastQuoted();
                assertThat(kept.quote(utterances, ends, worst)).as("call %d, summary %d", call, summary)
                        .isEqualTo(want);
                reused += before != null && kept.lastQuoted() == before ? 1 : 0;
            }
        }
        // both ways are taken: quotes kept over summaries, and taken again
        assertThat(reused).isGreaterThan(1_000);
        assertThat(moved).isGreaterThan(1_000);
    }
}
