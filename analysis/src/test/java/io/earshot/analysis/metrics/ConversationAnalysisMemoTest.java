package io.earshot.analysis.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.schemas.Role;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The settled-part memo of {@link ConversationAnalysis} against the pass over the whole call:
 * on seeded random calls fed as a live call is (spurts up to 2 s out of order, now and then one
 * much later; each party's words seconds behind its speech, or none, or only from some minute
 * on), every running value and the final summary computed with the memo equal those computed
 * without it.
 */
class ConversationAnalysisMemoTest {

    private static final MetricsConfig CFG = MetricsConfig.DEFAULTS;
    private static final String[] WORDS = {"so", "the", "account", "was", "charged", "twice", "last", "month",
        "can", "you", "check", "that", "please", "i", "will", "look"};
    private static final String[][] TOKENS = {{"mm-hmm"}, {"yeah"}, {"right"}, {"okay"}, {"uh", "huh"}, {"i", "see"}};

    /** One thing the call learns, at the wall time it arrives. */
    private record Arrival(long atMs, Spurt spurt, List<TimedWord> words) {
    }

    @Test
    void shouldGiveTheSameMetricsAsThePassOverTheWholeCall() {
        int summaries = 0;
        int settledSummaries = 0;
        for (long seed = 1; seed <= 160; seed++) {
            Random random = new Random(seed);
            List<Arrival> arrivals = call(random);
            ConversationAnalysis.Memo memo = new ConversationAnalysis.Memo();
            List<Spurt> spurts = new ArrayList<>();
            List<TimedWord> words = new ArrayList<>();
            long end = arrivals.get(arrivals.size() - 1).atMs();
            int next = 0;
            for (long now = 5_000; next < arrivals.size(); now += 5_000) {
                while (next < arrivals.size() && arrivals.get(next).atMs() <= now) {
                    Arrival a = arrivals.get(next++);
                    if (a.spurt() != null) {
                        spurts.add(a.spurt());
                    }
                    words.addAll(a.words());
                }
                long duration = spurts.stream().mapToLong(Spurt::endMs).max().orElse(0);
                CallMetrics whole = ConversationAnalysis.analyze(duration, spurts, words, CFG, false);
                CallMetrics kept = ConversationAnalysis.analyze(duration, spurts, words, CFG, false, memo);
                assertThat(kept).as("seed %d, running value at %d ms", seed, now).isEqualTo(whole);
                summaries++;
                if (now > 120_000 && memo.settledUntilMs() > 60_000) {
                    settledSummaries++;
                }
            }
            CallMetrics whole = ConversationAnalysis.analyze(end, spurts, words, CFG, true);
            CallMetrics kept = ConversationAnalysis.analyze(end, spurts, words, CFG, true, memo);
            assertThat(kept).as("seed %d, final summary", seed).isEqualTo(whole);
        }
        // the memo did keep most of the long calls, so the comparison above is of the settled path
        assertThat(settledSummaries).as("running values after 2 min with more than 1 min settled, of %d", summaries)
                .isGreaterThan(summaries / 3);
    }

    @Test
    void shouldStartOverWhenTheKeptPartChangesOrTheConfigDoes() {
        List<Spurt> spurts = new ArrayList<>();
        List<TimedWord> words = new ArrayList<>();
        for (long t = 0; t < 120_000; t += 6_000) {
            Role role = t % 12_000 == 0 ? Role.AGENT : Role.CUSTOMER;
            spurts.add(new Spurt(role, t, t + 3_000));
            words.add(new TimedWord(role, "hello", t + 100, t + 2_900));
        }
        ConversationAnalysis.Memo memo = new ConversationAnalysis.Memo();
        ConversationAnalysis.analyze(120_000, spurts, words, CFG, false, memo);
        assertThat(memo.settledUntilMs()).isGreaterThan(60_000);

        // a late interruption inside the kept part
        spurts.add(new Spurt(Role.CUSTOMER, 1_000, 2_500));
        words.add(new TimedWord(Role.CUSTOMER, "wait", 1_000, 2_400));
        assertThat(ConversationAnalysis.analyze(120_000, spurts, words, CFG, false, memo))
                .isEqualTo(ConversationAnalysis.analyze(120_000, spurts, words, CFG, false));
        assertThat(ConversationAnalysis.analyze(120_000, spurts, words, CFG, false).interruptions()).isNotEmpty();

        // a word of the kept part revised: the same times, another word
        ConversationAnalysis.analyze(120_000, spurts, words, CFG, false, memo);
        assertThat(memo.settledUntilMs()).isGreaterThan(60_000);
        words.set(words.size() - 1, new TimedWord(Role.CUSTOMER, "stop", 1_000, 2_400));
        CallMetrics revised = ConversationAnalysis.analyze(120_000, spurts, words, CFG, false, memo);
        assertThat(revised).isEqualTo(ConversationAnalysis.analyze(120_000, spurts, words, CFG, false));
        assertThat(revised.interruptions()).anySatisfy(i -> assertThat(i.byWords()).isEqualTo("stop"));

        // another threshold
        MetricsConfig strict = new MetricsConfig(300, 600, 2000, 1000, 2000, CFG.backchannelTokens(), 1000, 3_500,
                1500, 2_000, 0.35, 0.55);
        assertThat(ConversationAnalysis.analyze(120_000, spurts, words, strict, false, memo))
                .isEqualTo(ConversationAnalysis.analyze(120_000, spurts, words, strict, false));
    }

    /** A random call, as what arrives when, sorted by arrival. */
    private static List<Arrival> call(Random random) {
        long length = 60_000L * (2 + random.nextInt(9));
        int transcription = random.nextInt(6); // 0: none; 1: agent only; 2: customer from some minute on; else both
        long customerWordsFrom = transcription == 2 ? 30_000L * (1 + random.nextInt(6)) : 0;
        long[] lag = {1_000 + random.nextInt(12_000), 1_000 + random.nextInt(12_000)};
        List<Arrival> out = new ArrayList<>();
        Role speaker = random.nextBoolean() ? Role.AGENT : Role.CUSTOMER;
        long t = random.nextInt(3_000);
        while (t < length - 5_000) {
            Role listener = speaker == Role.AGENT ? Role.CUSTOMER : Role.AGENT;
            int spurts = 1 + random.nextInt(4);
            for (int i = 0; i < spurts; i++) {
                long end = t + 200 + random.nextInt(4_000);
                boolean breath = random.nextInt(10) == 0;
                String[] said = breath ? new String[0] : words(random, 1 + (end - t) / 400);
                add(out, random, new Spurt(speaker, t, end), said, transcription, customerWordsFrom, lag);
                if (random.nextInt(4) == 0 && end - t > 1_000) { // the listener backchannels, or tries to speak
                    long at = t + random.nextInt((int) (end - t));
                    long to = at + 150 + random.nextInt(random.nextBoolean() ? 900 : 2_500);
                    add(out, random, new Spurt(listener, at, to), random.nextInt(3) == 0 ? new String[0]
                            : random.nextBoolean() ? TOKENS[random.nextInt(TOKENS.length)] : words(random, 3),
                            transcription, customerWordsFrom, lag);
                }
                t = end + 100 + random.nextInt(1_400);
            }
            if (random.nextInt(5) == 0) { // a quick remark in the speaker's pause, and the speaker goes on
                long at = t + random.nextInt(300);
                long to = at + 150 + random.nextInt(500);
                add(out, random, new Spurt(listener, at, to), words(random, 2), transcription, customerWordsFrom, lag);
                t = to + 700 + random.nextInt(1_000);
                continue;
            }
            if (random.nextInt(6) == 0) { // a short response just before a long silence
                long at = t + random.nextInt(400);
                add(out, random, new Spurt(listener, at, at + 300 + random.nextInt(600)),
                        random.nextBoolean() ? new String[0] : TOKENS[random.nextInt(TOKENS.length)], transcription,
                        customerWordsFrom, lag);
                t = at + 2_000 + random.nextInt(6_000);
            }
            if (random.nextInt(5) != 0) {
                speaker = listener;
            }
            int gap = random.nextInt(4);
            t += gap == 0 ? -200 - random.nextInt(1_300) : gap == 1 ? random.nextInt(1_000)
                    : gap == 2 ? 1_000 + random.nextInt(1_500) : 2_500 + random.nextInt(10_000);
            t = Math.max(t, 0);
        }
        out.sort(Comparator.comparingLong(Arrival::atMs));
        return out;
    }

    private static String[] words(Random random, long n) {
        String[] out = new String[(int) Math.min(n, 12)];
        for (int i = 0; i < out.length; i++) {
            out[i] = WORDS[random.nextInt(WORDS.length)];
        }
        return out;
    }

    /**
     * The spurt arrives up to 2 s after its end (one in 40 up to 40 s late); its words, spread over
     * it and now and then a little past its ends, arrive the party's lag after it, if the party is
     * transcribed then.
     */
    private static void add(List<Arrival> out, Random random, Spurt s, String[] said, int transcription,
            long customerWordsFrom, long[] lag) {
        long late = random.nextInt(40) == 0 ? 10_000 + random.nextInt(30_000) : random.nextInt(2_000);
        out.add(new Arrival(s.endMs() + late, s, List.of()));
        boolean transcribed = transcription >= 3 || transcription == 1 && s.role() == Role.AGENT
                || transcription == 2 && (s.role() == Role.AGENT || s.startMs() >= customerWordsFrom);
        if (!transcribed || said.length == 0) {
            return;
        }
        List<TimedWord> words = new ArrayList<>();
        long step = Math.max(1, s.durationMs() / said.length);
        for (int i = 0; i < said.length; i++) {
            long from = s.startMs() + i * step - (i == 0 ? random.nextInt(150) : 0);
            long to = s.startMs() + (i + 1) * step + (i == said.length - 1 ? random.nextInt(300) : 0);
            words.add(new TimedWord(s.role(), said[i], Math.max(0, from), Math.max(from + 1, to)));
        }
        out.add(new Arrival(s.endMs() + lag[s.role() == Role.AGENT ? 0 : 1] + random.nextInt(500), null, words));
    }
}
