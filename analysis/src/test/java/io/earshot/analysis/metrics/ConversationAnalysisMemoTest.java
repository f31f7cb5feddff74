package io.earshot.analysis.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.schemas.Role;
import io.earshot.analysis.metrics.ConversationEvents.PauseIntrusion;
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
    /**
     * A continuation far shorter than the pause-intrusion window: parts settle at short
     * silences, and a stretch can wait on the customer's speech across more than one part.
     */
    private static final MetricsConfig QUICK = new MetricsConfig(300, 600, 2000, 1000, 2000,
            MetricsConfig.DEFAULTS.backchannelTokens(), 300, 300, 1500, 5000, 0.35, 0.55);
    private static final String[] WORDS = {"so", "the", "account", "was", "charged", "twice", "last", "month",
        "can", "you", "check", "that", "please", "i", "will", "look"};
    private static final String[][] TOKENS = {{"mm-hmm"}, {"yeah"}, {"right"}, {"okay"}, {"uh", "huh"}, {"i", "see"}};

    /** One thing the call learns, at the wall time it arrives. */
    private record Arrival(long atMs, Spurt spurt, List<TimedWord> words) {
    }

    @Test
    void shouldGiveTheSameMetricsAsThePassOverTheWholeCall() {
        sameMetricsAsTheWholePass(CFG, 160);
    }

    @Test
    void shouldGiveTheSameMetricsWithAShortContinuation() {
        sameMetricsAsTheWholePass(QUICK, 80);
    }

    private static void sameMetricsAsTheWholePass(MetricsConfig cfg, int calls) {
        int summaries = 0;
        int settledSummaries = 0;
        int quickSummaries = 0;
        for (long seed = 1; seed <= calls; seed++) {
            Random random = new Random(seed);
            List<Arrival> arrivals = call(random);
            ConversationAnalysis.Memo memo = new ConversationAnalysis.Memo();
            Caller caller = new Caller(true);
            Caller arriving = new Caller(false);
            Caller unsorted = new Caller(false, false);
            List<Spurt> spurts = new ArrayList<>();
            List<TimedWord> words = new ArrayList<>();
            long end = arrivals.get(arrivals.size() - 1).atMs();
            int next = 0;
            Random forgetful = new Random(-seed);
            for (long now = 5_000; next < arrivals.size(); now += 5_000) {
                if (forgetful.nextInt(6) == 0) { // now and then the caller cannot tell what is unchanged
                    caller.forgetLast();
                    arriving.forgetLast();
                    unsorted.forgetLast();
                }
                while (next < arrivals.size() && arrivals.get(next).atMs() <= now) {
                    Arrival a = arrivals.get(next++);
                    if (a.spurt() != null) {
                        spurts.add(a.spurt());
                    }
                    words.addAll(a.words());
                }
                long duration = spurts.stream().mapToLong(Spurt::endMs).max().orElse(0);
                CallMetrics whole = ConversationAnalysis.analyze(duration, spurts, words, cfg, false);
                CallMetrics kept = ConversationAnalysis.analyze(duration, spurts, words, cfg, false, memo);
                assertThat(kept).as("seed %d, running value at %d ms", seed, now).isEqualTo(whole);
                // the sums kept with the parts are those over the whole call's events
                assertThat(memo.tally()).as("seed %d, running value at %d ms", seed, now).isEqualTo(Tally.of(whole));
                assertThat(caller.analyze(duration, spurts, words, cfg, false))
                        .as("seed %d, running value at %d ms, told what is unchanged", seed, now).isEqualTo(whole);
                assertThat(arriving.analyze(duration, spurts, words, cfg, false))
                        .as("seed %d, running value at %d ms, words as they arrived", seed, now).isEqualTo(whole);
                assertThat(unsorted.analyze(duration, spurts, words, cfg, false))
                        .as("seed %d, running value at %d ms, spurts as they arrived", seed, now).isEqualTo(whole);
                summaries++;
                if (now > 120_000 && memo.settledUntilMs() > 60_000) {
                    settledSummaries++;
                }
                if (now > 120_000 && caller.memo.settledUntilMs() > 60_000) {
                    quickSummaries++;
                }
            }
            CallMetrics whole = ConversationAnalysis.analyze(end, spurts, words, cfg, true);
            CallMetrics kept = ConversationAnalysis.analyze(end, spurts, words, cfg, true, memo);
            assertThat(kept).as("seed %d, final summary", seed).isEqualTo(whole);
            assertThat(memo.tally()).as("seed %d, final summary", seed).isEqualTo(Tally.of(whole));
            assertThat(caller.analyze(end, spurts, words, cfg, true)).as("seed %d, final summary, told", seed)
                    .isEqualTo(whole);
            assertThat(arriving.analyze(end, spurts, words, cfg, true)).as("seed %d, final summary, arrived", seed)
                    .isEqualTo(whole);
            assertThat(unsorted.analyze(end, spurts, words, cfg, true))
                    .as("seed %d, final summary, spurts as they arrived", seed).isEqualTo(whole);
        }
        // the memo did keep most of the long calls, so the comparison above is of the settled path
        assertThat(settledSummaries).as("running values after 2 min with more than 1 min settled, of %d", summaries)
                .isGreaterThan(summaries / 3);
        assertThat(quickSummaries).as("the same, told what is unchanged").isEqualTo(settledSummaries);
    }

    /**
     * The agent's longest turn kept with the parts is the first of equally long ones, as over the
     * whole call: four agent turns of 4 s, each after a settled silence, so the first parts are
     * joined while their turns are as long as the ones after them, and a longer one last.
     */
    @Test
    void shouldKeepTheFirstOfEquallyLongTurnsAcrossParts() {
        List<Spurt> spurts = new ArrayList<>();
        List<TimedWord> words = new ArrayList<>();
        ConversationAnalysis.Memo memo = new ConversationAnalysis.Memo();
        long t = 0;
        for (int i = 0; i < 4; i++) {
            said(spurts, words, Role.AGENT, t, t + 4_000, "let", "me", "check", "that");
            said(spurts, words, Role.CUSTOMER, t + 4_500, t + 6_000, "fine");
            t += 20_000; // a settled silence after each exchange
            CallMetrics kept = ConversationAnalysis.analyze(t, spurts, words, CFG, false, memo);
            assertThat(kept).isEqualTo(ConversationAnalysis.analyze(t, spurts, words, CFG, false));
            assertThat(memo.tally().longestAgentTurn().startMs()).as("after exchange %d", i).isEqualTo(0);
        }
        assertThat(memo.settledUntilMs()).isGreaterThanOrEqualTo(40_000); // three parts, two of them joined
        said(spurts, words, Role.AGENT, t, t + 5_000, "one", "moment", "please");
        CallMetrics last = ConversationAnalysis.analyze(t + 5_000, spurts, words, CFG, true, memo);
        assertThat(memo.tally()).isEqualTo(Tally.of(last));
        assertThat(memo.tally().longestAgentTurn().startMs()).isEqualTo(t);
    }

    /**
     * The agent's worst interruption and the quickest answer kept with the parts are the first of
     * equal ones, as over the whole call: four alike exchanges, each after a settled silence, in
     * which the agent cuts in 2 s into the customer's 4 s and talks on past its end.
     */
    @Test
    void shouldKeepTheFirstOfEqualInterruptionsAndGapsAcrossParts() {
        List<Spurt> spurts = new ArrayList<>();
        List<TimedWord> words = new ArrayList<>();
        ConversationAnalysis.Memo memo = new ConversationAnalysis.Memo();
        long t = 0;
        for (int i = 0; i < 4; i++) {
            said(spurts, words, Role.CUSTOMER, t, t + 4_000, "my", "card", "was", "charged", "twice", "again");
            said(spurts, words, Role.AGENT, t + 2_000, t + 5_000, "let", "me", "check", "that");
            t += 20_000; // a settled silence after each exchange
            CallMetrics kept = ConversationAnalysis.analyze(t, spurts, words, CFG, false, memo);
            assertThat(kept).isEqualTo(ConversationAnalysis.analyze(t, spurts, words, CFG, false));
            assertThat(kept.interruptions()).as("after exchange %d", i).hasSize(i + 1);
            assertThat(kept.responseGaps()).as("after exchange %d", i).hasSize(i + 1);
            assertThat(memo.tally()).as("after exchange %d", i).isEqualTo(Tally.of(kept));
            assertThat(memo.tally().worstAgentInterruption().startMs()).as("after exchange %d", i).isEqualTo(2_000);
            assertThat(memo.tally().quickestGap().agentStartMs()).as("after exchange %d", i).isEqualTo(2_000);
        }
        assertThat(memo.settledUntilMs()).isGreaterThanOrEqualTo(40_000);
    }

    /**
     * With a short continuation, parts settle at short silences: the agent speaks up in the
     * customer's pause at 10 s, and again after a short silence, and the customer resumes at
     * 11.2 s for a long while. The memo keeps the part up to the agent's second remark (the agent's
     * recogniser is past it), then, once the agent speaks again, the part holding only that remark,
     * and the customer's resumption comes in the part after: the first remark waits across a whole
     * part for it, and is a pause intrusion as in the whole pass.
     */
    @Test
    void shouldCarryAStretchWaitingOnTheCustomerAcrossAPartWithoutThem() {
        List<Spurt> spurts = new ArrayList<>();
        List<TimedWord> words = new ArrayList<>();
        ConversationAnalysis.Memo memo = new ConversationAnalysis.Memo();
        said(spurts, words, Role.CUSTOMER, 0, 9_500, "my", "meter", "reading", "was", "wrong");
        said(spurts, words, Role.AGENT, 10_000, 10_200, "wait");
        said(spurts, words, Role.AGENT, 10_550, 10_800, "listen");
        said(spurts, words, Role.CUSTOMER, 11_200, 21_000, "I", "was", "saying", "that", "the", "meter", "was",
                "read", "wrong");
        assertThat(ConversationAnalysis.analyze(21_000, spurts, words, QUICK, false, memo))
                .isEqualTo(ConversationAnalysis.analyze(21_000, spurts, words, QUICK, false));
        assertThat(memo.settledUntilMs()).isEqualTo(10_550);
        said(spurts, words, Role.AGENT, 22_000, 23_000, "okay");
        assertThat(ConversationAnalysis.analyze(23_000, spurts, words, QUICK, false, memo))
                .isEqualTo(ConversationAnalysis.analyze(23_000, spurts, words, QUICK, false));
        assertThat(memo.settledUntilMs()).isEqualTo(11_200);
        said(spurts, words, Role.AGENT, 26_000, 30_000, "anything", "else", "today");
        said(spurts, words, Role.CUSTOMER, 31_000, 35_000, "no", "that", "is", "all");
        CallMetrics last = ConversationAnalysis.analyze(35_000, spurts, words, QUICK, true, memo);
        assertThat(last).isEqualTo(ConversationAnalysis.analyze(35_000, spurts, words, QUICK, true));
        assertThat(last.pauseIntrusions()).extracting(PauseIntrusion::agentStartMs).contains(10_000L);
    }

    /**
     * A silence that both parties have spoken after is settled at once: a spurt still under way
     * starts after its party's last known one. One that only one party spoke after waits until it
     * ended 10 s before the latest speech (the other party may be speaking since). A spurt that
     * comes anyway, starting before the kept part's end, makes the memo start over.
     */
    @Test
    void shouldSettleASilenceBothPartiesSpokeAfterWithoutWaiting() {
        List<Spurt> spurts = new ArrayList<>();
        List<TimedWord> words = new ArrayList<>();
        ConversationAnalysis.Memo memo = new ConversationAnalysis.Memo();
        said(spurts, words, Role.CUSTOMER, 0, 3_000, "my", "bill", "is", "wrong");
        said(spurts, words, Role.AGENT, 5_000, 8_000, "let", "me", "look", "at", "it");
        assertThat(ConversationAnalysis.analyze(8_000, spurts, words, CFG, false, memo))
                .isEqualTo(ConversationAnalysis.analyze(8_000, spurts, words, CFG, false));
        assertThat(memo.settledUntilMs()).as("only the agent spoke after the silence").isEqualTo(Long.MIN_VALUE);

        said(spurts, words, Role.CUSTOMER, 8_500, 9_500, "thank", "you");
        assertThat(ConversationAnalysis.analyze(9_500, spurts, words, CFG, false, memo))
                .isEqualTo(ConversationAnalysis.analyze(9_500, spurts, words, CFG, false));
        assertThat(memo.settledUntilMs()).as("both spoke after the silence").isEqualTo(5_000);

        // the customer's spurt in the silence, late and out of the customer's order
        said(spurts, words, Role.CUSTOMER, 3_600, 4_900, "it", "doubled");
        CallMetrics late = ConversationAnalysis.analyze(9_500, spurts, words, CFG, false, memo);
        assertThat(late).isEqualTo(ConversationAnalysis.analyze(9_500, spurts, words, CFG, false));
        assertThat(late.customerTalkMs()).isEqualTo(3_000 + 1_000 + 1_300);
    }

    /**
     * A short response just before a settled silence is a backchannel or not depending on who
     * speaks first after it. Once that is known for certain (the first spurt after the silence
     * holds a word, and the other party's first spurt after it is known and later), the part
     * before the silence is kept, judged by it; a spurt that comes later among those first ones
     * makes the memo start over.
     */
    @Test
    void shouldKeepAPartWhoseLastResponseWaitedOnWhoSpeaksNext() {
        List<Spurt> spurts = new ArrayList<>();
        List<TimedWord> words = new ArrayList<>();
        ConversationAnalysis.Memo memo = new ConversationAnalysis.Memo();
        okayBeforeASilence(spurts, words);
        CallMetrics kept = ConversationAnalysis.analyze(13_000, spurts, words, CFG, false, memo);
        assertThat(kept).isEqualTo(ConversationAnalysis.analyze(13_000, spurts, words, CFG, false));
        assertThat(memo.settledUntilMs()).isEqualTo(7_000);
        assertThat(kept.backchannels()).extracting(ConversationEvents.Backchannel::startMs).containsExactly(4_200L);

        // the agent spoke up sooner after the silence than known: the memo starts over
        said(spurts, words, Role.AGENT, 8_000, 8_600, "yes");
        spurts.sort(Comparator.comparingLong(Spurt::startMs));
        CallMetrics late = ConversationAnalysis.analyze(13_000, spurts, words, CFG, false, memo);
        assertThat(late).isEqualTo(ConversationAnalysis.analyze(13_000, spurts, words, CFG, false));

        // the customer's answer heard again without its words, and the customer heard speaking
        // later: the answer is no speech, the agent spoke first after the silence, and its
        // "okay" is no backchannel any more
        ConversationAnalysis.Memo other = new ConversationAnalysis.Memo();
        List<Spurt> s2 = new ArrayList<>();
        List<TimedWord> w2 = new ArrayList<>();
        okayBeforeASilence(s2, w2);
        ConversationAnalysis.analyze(13_000, s2, w2, CFG, false, other);
        assertThat(other.settledUntilMs()).isEqualTo(7_000);
        w2.removeIf(w -> w.role() == Role.CUSTOMER && w.startMs() >= 7_000);
        said(s2, w2, Role.CUSTOMER, 14_000, 15_000, "thanks");
        CallMetrics revised = ConversationAnalysis.analyze(15_000, s2, w2, CFG, false, other);
        assertThat(revised).isEqualTo(ConversationAnalysis.analyze(15_000, s2, w2, CFG, false));
        assertThat(revised.backchannels()).noneMatch(b -> b.startMs() == 4_200);
    }

    /** The customer's complaint, the agent's "okay", a silence, the customer going on, the agent answering. */
    private static void okayBeforeASilence(List<Spurt> spurts, List<TimedWord> words) {
        said(spurts, words, Role.CUSTOMER, 0, 4_000, "my", "bill", "is", "wrong", "again");
        said(spurts, words, Role.AGENT, 4_200, 4_700, "okay");
        said(spurts, words, Role.CUSTOMER, 7_000, 10_000, "and", "it", "doubled", "last", "month");
        said(spurts, words, Role.AGENT, 11_000, 13_000, "let", "me", "check");
    }

    /** One spurt, its words spread over it. */
    private static void said(List<Spurt> spurts, List<TimedWord> words, Role role, long from, long to,
            String... said) {
        spurts.add(new Spurt(role, from, to));
        long step = (to - from) / said.length;
        for (int i = 0; i < said.length; i++) {
            words.add(new TimedWord(role, said[i], from + i * step, from + (i + 1) * step - 10));
        }
    }

    /**
     * The agent's recogniser stops at 72 s and the customer's runs behind: the agent's last word
     * comes before the customer's last words before the kept part's end, in the order the words
     * arrived. The quick path reads only the words after those, none of them the agent's, and must
     * still know the agent has words (so its later spurts without any are not heard speech).
     */
    @Test
    void shouldKnowAPartyHasWordsFromTheWordsBeforeTheBoundary() {
        List<Spurt> spurts = new ArrayList<>();
        List<TimedWord> words = new ArrayList<>();
        TimedWord lateCustomer = null;
        TimedWord lastAgent = null;
        for (long t = 0; t < 120_000; t += 6_000) {
            Role role = t % 12_000 == 0 ? Role.AGENT : Role.CUSTOMER;
            spurts.add(new Spurt(role, t, t + 3_000));
            TimedWord w = new TimedWord(role, "hello", t + 100, t + 2_900);
            if (t == 66_000) {
                lateCustomer = w;
            } else if (t == 72_000) {
                lastAgent = w;
            } else if (role == Role.CUSTOMER || t < 72_000) {
                words.add(w);
            }
            if (t == 72_000) {
                words.add(lastAgent);
                words.add(lateCustomer);
            }
        }
        Caller caller = new Caller(false);
        assertThat(caller.analyze(120_000, spurts, words, CFG, false))
                .isEqualTo(ConversationAnalysis.analyze(120_000, spurts, words, CFG, false));
        // kept up to the customer's speech at 78 s: the agent's spurt before it holds its last word
        assertThat(caller.memo.settledUntilMs()).isEqualTo(78_000);
        // a summary with nothing new, then the final one with one more spurt
        assertThat(caller.analyze(120_000, spurts, words, CFG, false))
                .isEqualTo(ConversationAnalysis.analyze(120_000, spurts, words, CFG, false));
        spurts.add(new Spurt(Role.AGENT, 121_000, 122_000));
        CallMetrics last = caller.analyze(123_000, spurts, words, CFG, true);
        assertThat(last).isEqualTo(ConversationAnalysis.analyze(123_000, spurts, words, CFG, true));
        // the agent's spurts after its last word are not heard: no turn of the agent's after 72 s
        assertThat(last.turns()).noneSatisfy(t -> assertThat(t.role() == Role.AGENT && t.startMs() > 72_000).isTrue());
    }

    /**
     * A caller that hands the analysis its spurts sorted, as the call operator does, and its
     * words sorted or as they arrived (a late word then lands after the kept part's), and tells it how many of them lead unchanged from its last call (the same objects in the same
     * places), so the memo takes its quick path.
     */
    private static final class Caller {
        final ConversationAnalysis.Memo memo = new ConversationAnalysis.Memo();
        /** Whether it sorts the words (spurts) by start, or hands them in the order they arrived. */
        private final boolean sortWords;
        private final boolean sortSpurts;
        private List<Spurt> lastSpurts = List.of();
        private List<TimedWord> lastWords = List.of();

        Caller(boolean sortWords) {
            this(sortWords, true);
        }

        Caller(boolean sortWords, boolean sortSpurts) {
            this.sortWords = sortWords;
            this.sortSpurts = sortSpurts;
        }

        /** The next call tells the analysis nothing is known to be unchanged. */
        void forgetLast() {
            lastSpurts = List.of();
            lastWords = List.of();
        }

        CallMetrics analyze(long duration, List<Spurt> spurts, List<TimedWord> words, MetricsConfig cfg,
                boolean complete) {
            List<Spurt> s = new ArrayList<>(spurts);
            if (sortSpurts) {
                s.sort(java.util.Comparator.comparingLong(Spurt::startMs));
            }
            List<TimedWord> w = new ArrayList<>(words);
            if (sortWords) {
                w.sort(java.util.Comparator.comparingLong(TimedWord::startMs));
            }
            int sameSpurts = same(lastSpurts, s);
            int sameWords = same(lastWords, w);
            lastSpurts = s;
            lastWords = w;
            return ConversationAnalysis.analyze(duration, s, w, cfg, complete, memo, sameSpurts, sameWords);
        }

        private static int same(List<?> last, List<?> now) {
            int n = 0;
            while (n < Math.min(last.size(), now.size()) && last.get(n) == now.get(n)) {
                n++;
            }
            return n;
        }
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
        Caller caller = new Caller(false);
        ConversationAnalysis.analyze(120_000, spurts, words, CFG, false, memo);
        caller.analyze(120_000, spurts, words, CFG, false);
        assertThat(memo.settledUntilMs()).isGreaterThan(60_000);
        assertThat(caller.memo.settledUntilMs()).isGreaterThan(60_000);

        // a late interruption inside the kept part
        spurts.add(new Spurt(Role.CUSTOMER, 1_000, 2_500));
        words.add(new TimedWord(Role.CUSTOMER, "wait", 1_000, 2_400));
        assertThat(ConversationAnalysis.analyze(120_000, spurts, words, CFG, false, memo))
                .isEqualTo(ConversationAnalysis.analyze(120_000, spurts, words, CFG, false));
        assertThat(caller.analyze(120_000, spurts, words, CFG, false))
                .isEqualTo(ConversationAnalysis.analyze(120_000, spurts, words, CFG, false));
        assertThat(ConversationAnalysis.analyze(120_000, spurts, words, CFG, false).interruptions()).isNotEmpty();

        // a word of the kept part revised: the same times, another word
        ConversationAnalysis.analyze(120_000, spurts, words, CFG, false, memo);
        caller.analyze(120_000, spurts, words, CFG, false);
        assertThat(memo.settledUntilMs()).isGreaterThan(60_000);
        assertThat(caller.memo.settledUntilMs()).isGreaterThan(60_000);
        words.set(words.size() - 1, new TimedWord(Role.CUSTOMER, "stop", 1_000, 2_400));
        CallMetrics revised = ConversationAnalysis.analyze(120_000, spurts, words, CFG, false, memo);
        assertThat(revised).isEqualTo(ConversationAnalysis.analyze(120_000, spurts, words, CFG, false));
        assertThat(caller.analyze(120_000, spurts, words, CFG, false)).isEqualTo(revised);
        assertThat(revised.interruptions()).anySatisfy(i -> assertThat(i.byWords()).isEqualTo("stop"));

        // a word added late inside the kept part, after the words there: the quick path's read
        // from the boundary on meets it
        caller.analyze(120_000, spurts, words, CFG, false);
        assertThat(caller.memo.settledUntilMs()).isGreaterThan(60_000);
        words.add(new TimedWord(Role.AGENT, "sorry", 31_000, 31_400));
        CallMetrics late = caller.analyze(120_000, spurts, words, CFG, false);
        assertThat(late).isEqualTo(ConversationAnalysis.analyze(120_000, spurts, words, CFG, false));

        // ... and one that changes what an interruption in it said
        caller.analyze(120_000, spurts, words, CFG, false);
        assertThat(caller.memo.settledUntilMs()).isGreaterThan(60_000);
        words.add(new TimedWord(Role.CUSTOMER, "please", 2_000, 2_300));
        CallMetrics said = caller.analyze(120_000, spurts, words, CFG, false);
        assertThat(said).isEqualTo(ConversationAnalysis.analyze(120_000, spurts, words, CFG, false));
        assertThat(said.interruptions()).anySatisfy(i -> assertThat(i.byWords()).contains("please"));

        // a kept spurt given again longer, in its place
        caller.analyze(120_000, spurts, words, CFG, false);
        assertThat(caller.memo.settledUntilMs()).isGreaterThan(60_000);
        spurts.set(spurts.indexOf(new Spurt(Role.AGENT, 24_000, 27_000)), new Spurt(Role.AGENT, 24_000, 28_500));
        CallMetrics longer = caller.analyze(120_000, spurts, words, CFG, false);
        assertThat(longer).isEqualTo(ConversationAnalysis.analyze(120_000, spurts, words, CFG, false));
        assertThat(longer.agentTalkMs()).isEqualTo(late.agentTalkMs() + 1_500);

        // another threshold
        MetricsConfig strict = new MetricsConfig(300, 600, 2000, 1000, 2000, CFG.backchannelTokens(), 1000, 3_500,
                1500, 2_000, 0.35, 0.55);
        assertThat(ConversationAnalysis.analyze(120_000, spurts, words, strict, false, memo))
                .isEqualTo(ConversationAnalysis.analyze(120_000, spurts, words, strict, false));
    }

    /** A random call, as what arrives when, sorted by arrival. */
    private static List<Arrival> call(Random random) {
        long length = 60_000L * (2 + random.nextInt(9));
        // 0: none; 1: agent only; 2: customer from some minute on; 5: the agent's until some minute; else both
        int transcription = random.nextInt(6);
        long customerWordsFrom = transcription == 2 || transcription == 5 ? 30_000L * (1 + random.nextInt(6)) : 0;
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
     * transcribed then (with mode 5, {@code customerWordsFrom} is when the agent's words stop).
     */
    private static void add(List<Arrival> out, Random random, Spurt s, String[] said, int transcription,
            long customerWordsFrom, long[] lag) {
        long late = random.nextInt(40) == 0 ? 10_000 + random.nextInt(30_000) : random.nextInt(2_000);
        out.add(new Arrival(s.endMs() + late, s, List.of()));
        boolean transcribed = transcription == 3 || transcription == 4 || transcription == 1 && s.role() == Role.AGENT
                || transcription == 2 && (s.role() == Role.AGENT || s.startMs() >= customerWordsFrom)
                || transcription == 5 && (s.role() == Role.CUSTOMER || s.startMs() < customerWordsFrom);
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
