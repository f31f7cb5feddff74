package io.earshot.analysis.listening;

import static io.earshot.analysis.listening.Speech.say;
import static io.earshot.analysis.listening.Speech.sayWithPause;
import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.analysis.events.UtteranceItem;
import io.earshot.schemas.Role;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BehaviourDetectorTest {

    private static final BehaviourDetector DETECTOR = new BehaviourDetector(PhraseBook.builtIn("en"));

    private static List<Behaviour> paraphrases(List<UtteranceItem> call) {
        return DETECTOR.detect(call).stream().filter(b -> b.kind() == BehaviourKind.PARAPHRASE).toList();
    }

    @Test
    void shouldReportAPhraseHitOnItsMatchedWordsWithThePhraseAsReason() {
        UtteranceItem u = say(Role.AGENT, 10_000, "okay just to confirm it is the flat on the second floor");
        assertThat(DETECTOR.detect(List.of(u))).containsExactly(new Behaviour(Role.AGENT, BehaviourKind.PARAPHRASE,
                10_300, 11_200, "just to confirm", "phrase \"just to confirm\""));
    }

    @Test
    void shouldSpanAContractionAndAFillerAsTheRecogniserPrintedThem() {
        UtteranceItem u = say(Role.CUSTOMER, 0, "oh i'm uh so sorry");
        assertThat(DETECTOR.detect(List.of(u))).singleElement().satisfies(b -> {
            assertThat(b.by()).isEqualTo(Role.CUSTOMER);
            assertThat(b.kind()).isEqualTo(BehaviourKind.APOLOGY);
            assertThat(b.text()).isEqualTo("i'm uh so sorry");
            assertThat(b.reason()).matches("phrase \"i am so sorry\" \\(phrases-en\\.txt:\\d+\\)");
            assertThat(b.startMs()).isEqualTo(300);
            assertThat(b.endMs()).isEqualTo(1_500);
        });
    }

    @Test
    void shouldUseTheUtterancesSpanWhenItsWordsHaveNoTimings() {
        UtteranceItem u = new UtteranceItem(Role.AGENT, 4_000, 6_500, "i apologize for the wait", List.of());
        assertThat(DETECTOR.detect(List.of(u))).singleElement().satisfies(b -> {
            assertThat(b.startMs()).isEqualTo(4_000);
            assertThat(b.endMs()).isEqualTo(6_500);
            assertThat(b.text()).isEqualTo("i apologize");
        });
    }

    @Test
    void shouldFindParaphraseByOverlapWithTheCustomersPrecedingTurn() {
        List<UtteranceItem> call = List.of(
                say(Role.CUSTOMER, 0, "hi i was charged twice in march"),
                say(Role.CUSTOMER, 2_500, "on my account"),
                say(Role.AGENT, 4_000, "right the account was charged twice for march"));
        assertThat(paraphrases(call)).singleElement().satisfies(b -> {
            assertThat(b.reason()).isEqualTo("restates 4 of the customer's words: account, charged, twice, march");
            assertThat(b.text()).isEqualTo("account was charged twice for march");
            assertThat(b.startMs()).isEqualTo(4_600);
            assertThat(b.endMs()).isEqualTo(6_400);
        });
    }

    @Test
    void shouldMatchTheCustomersWordsThroughSimpleStemming() {
        List<UtteranceItem> call = List.of(
                say(Role.CUSTOMER, 0, "my bill is almost double and nothing changed at home"),
                say(Role.AGENT, 4_000, "so the bills doubled though nothing changes at home"));
        assertThat(paraphrases(call)).singleElement().extracting(Behaviour::reason)
                .isEqualTo("restates 4 of the customer's words: bills, doubled, changes, home");
    }

    @Test
    void shouldNotParaphraseByOverlapBelowTheMinimumWordsOrShare() {
        List<UtteranceItem> twoWords = List.of(
                say(Role.CUSTOMER, 0, "my router keeps dropping the signal"),
                say(Role.AGENT, 3_000, "the router signal"));
        assertThat(paraphrases(twoWords)).isEmpty();
        List<UtteranceItem> smallShare = List.of(
                say(Role.CUSTOMER, 0, "my router keeps dropping the signal every night"),
                say(Role.AGENT, 3_000, "i can reset your router remotely and check the signal strength overnight tonight"));
        assertThat(paraphrases(smallShare)).isEmpty();
    }

    @Test
    void shouldTakeTheOverlapParametersFromThePhraseBook() {
        PhraseBook loose = PhraseBook.parse("loose.txt", List.of("@extends en", "[settings]",
                "paraphrase.overlap.min-words = 2", "paraphrase.overlap.min-share = 0.2"));
        List<UtteranceItem> call = List.of(
                say(Role.CUSTOMER, 0, "my router keeps dropping the signal every night"),
                say(Role.AGENT, 3_000, "i can reset your router remotely and check the signal strength"));
        assertThat(paraphrases(call)).isEmpty();
        assertThat(new BehaviourDetector(loose).detect(call)).extracting(Behaviour::reason)
                .contains("restates 2 of the customer's words: router, signal");
    }

    @Test
    void shouldOnlyRestateCustomerSpeechBetweenTheAgentsPreviousUtteranceAndThisOne() {
        String customer = "the engineer was booked for tuesday but never came";
        String agent = "the engineer never came on tuesday";
        // the customer spoke before the agent's previous utterance: not this turn
        assertThat(paraphrases(List.of(say(Role.CUSTOMER, 0, customer), say(Role.AGENT, 4_000, "okay"),
                say(Role.AGENT, 6_000, agent)))).noneMatch(b -> b.startMs() >= 6_000);
        // the customer is still talking when the agent starts: not a preceding turn
        assertThat(paraphrases(List.of(say(Role.CUSTOMER, 0, customer), say(Role.AGENT, 2_000, agent)))).isEmpty();
        // an agent backchannel inside the customer's turn does not end the turn
        assertThat(paraphrases(List.of(say(Role.CUSTOMER, 0, customer), say(Role.AGENT, 1_000, "mm hmm"),
                say(Role.AGENT, 4_000, agent)))).hasSize(1);
    }

    @Test
    void shouldNotParaphraseByOverlapForTheCustomer() {
        List<UtteranceItem> call = List.of(
                say(Role.AGENT, 0, "the march bill used an estimated meter reading"),
                say(Role.CUSTOMER, 3_000, "an estimated meter reading for march"));
        assertThat(paraphrases(call)).isEmpty();
    }

    @Test
    void shouldStartAClauseAtAPauseInTheWords() {
        String text = "let me pull up your account what is the number";
        assertThat(DETECTOR.detect(List.of(sayWithPause(Role.AGENT, 0, text, 6, 400))))
                .extracting(Behaviour::kind, Behaviour::text)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(BehaviourKind.CLOSED_QUESTION, "what is the number"));
        assertThat(DETECTOR.detect(List.of(sayWithPause(Role.AGENT, 0, text, 6, 100)))).isEmpty();
    }

    @Test
    void shouldKeepOnlyTheStrongestQuestionKindButEveryOtherKind() {
        assertThat(DETECTOR.detect(List.of(say(Role.AGENT, 0, "can you tell me more about it"))))
                .extracting(Behaviour::kind).containsExactly(BehaviourKind.OPEN_QUESTION);
        assertThat(DETECTOR.detect(List.of(say(Role.AGENT, 0, "do you mean the old address"))))
                .extracting(Behaviour::kind).containsExactly(BehaviourKind.CLARIFYING_QUESTION);
        assertThat(DETECTOR.detect(List.of(say(Role.AGENT, 0, "i'm sorry about that i'll email you the receipt tonight"))))
                .extracting(Behaviour::kind).containsExactly(BehaviourKind.APOLOGY, BehaviourKind.FOLLOW_UP);
    }

    private static List<UtteranceItem> call() {
        return List.of(
                say(Role.AGENT, 0, "parcel express sarah speaking how can i help"),
                say(Role.CUSTOMER, 3_000, "my parcel was due on monday and the tracking still says in transit"),
                say(Role.AGENT, 8_000, "i'm so sorry the parcel is still in transit after monday"),
                say(Role.AGENT, 12_000, "can you tell me the tracking number"),
                say(Role.CUSTOMER, 15_000, "sorry what was that"),
                say(Role.AGENT, 17_000, "what is the tracking number"),
                say(Role.CUSTOMER, 19_000, "p x nine three eight one"),
                say(Role.AGENT, 21_500, "thanks so to recap it will arrive tomorrow"));
    }

    @Test
    void shouldSortHitsByStartThenKind() {
        List<Behaviour> hits = DETECTOR.detect(call());
        assertThat(hits).extracting(Behaviour::kind).containsExactly(BehaviourKind.OPEN_QUESTION,
                BehaviourKind.APOLOGY, BehaviourKind.PARAPHRASE, BehaviourKind.CLOSED_QUESTION,
                BehaviourKind.CLARIFYING_QUESTION, BehaviourKind.CLOSED_QUESTION, BehaviourKind.SUMMARY,
                BehaviourKind.FOLLOW_UP);
        for (int i = 1; i < hits.size(); i++) {
            assertThat(hits.get(i).startMs()).isGreaterThanOrEqualTo(hits.get(i - 1).startMs());
        }
    }

    @Test
    void shouldFindTheSameHitsInACallSoFarAsInTheWholeCall() {
        List<UtteranceItem> call = call();
        List<Behaviour> whole = DETECTOR.detect(call);
        for (int n = 1; n <= call.size(); n++) {
            long nextStart = n < call.size() ? call.get(n).startMs() : Long.MAX_VALUE;
            List<Behaviour> soFar = DETECTOR.detect(call.subList(0, n));
            assertThat(soFar).as("first %d utterances", n)
                    .isEqualTo(whole.stream().filter(b -> b.startMs() < nextStart).toList());
        }
    }

    @Test
    void shouldFindTheSameHitsUtteranceByUtteranceAsLiveIngestDeliversThem() {
        List<UtteranceItem> call = call();
        List<Behaviour> live = new ArrayList<>();
        for (int n = 0; n < call.size(); n++) {
            live.addAll(DETECTOR.detect(call.get(n), call.subList(0, n)));
        }
        assertThat(live).isEqualTo(DETECTOR.detect(call));
    }

    @Test
    void shouldNotDependOnTheOrderTheUtterancesArrive() {
        List<UtteranceItem> shuffled = new ArrayList<>(call());
        Collections.shuffle(shuffled, new Random(7));
        assertThat(DETECTOR.detect(shuffled)).isEqualTo(DETECTOR.detect(call()));
    }

    @Test
    void shouldFindWithAMemoWhatAFullPassFindsAsUtterancesArriveOutOfOrder() {
        String[] agentLines = {"i'm so sorry the parcel is still in transit after monday",
            "can you tell me the tracking number", "so what you're saying is the parcel never arrived",
            "i understand how frustrating that must be", "what is the tracking number",
            "thanks so to recap it will arrive tomorrow", "i will call you back tomorrow morning",
            "the parcel left the depot on monday", "okay", "just to confirm the address is the same"};
        String[] customerLines = {"my parcel was due on monday and the tracking still says in transit",
            "sorry what was that", "p x nine three eight one", "the parcel never arrived at the depot",
            "yes", "i waited all monday for the parcel", "the address is the same as before",
            "can you call me back tomorrow"};
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            List<UtteranceItem> agent = new ArrayList<>();
            List<UtteranceItem> customer = new ArrayList<>();
            long t = 0;
            for (int i = 0; i < 6 + random.nextInt(20); i++) {
                boolean byAgent = random.nextBoolean();
                String[] lines = byAgent ? agentLines : customerLines;
                UtteranceItem u = say(byAgent ? Role.AGENT : Role.CUSTOMER, t, lines[random.nextInt(lines.length)]);
                (byAgent ? agent : customer).add(u);
                t = u.endMs() - 400 + random.nextInt(1_500); // now and then they overlap
            }
            // each party's utterances arrive in order, the two parties interleaved at random:
            // an agent utterance can arrive before the customer's turn it restates
            List<UtteranceItem> known = new ArrayList<>();
            BehaviourDetector.Memo memo = new BehaviourDetector.Memo();
            int a = 0;
            int c = 0;
            while (a < agent.size() || c < customer.size()) {
                boolean takeAgent = c == customer.size() || a < agent.size() && random.nextBoolean();
                known.add(takeAgent ? agent.get(a++) : customer.get(c++));
                if (random.nextInt(8) == 0) { // one known already is given again with other words
                    int i = random.nextInt(known.size());
                    UtteranceItem was = known.get(i);
                    String[] lines = was.role() == Role.AGENT ? agentLines : customerLines;
                    known.set(i, say(was.role(), was.startMs(), lines[random.nextInt(lines.length)]));
                }
                assertThat(DETECTOR.detect(known, memo)).as("round %d, %d utterances known", round, known.size())
                        .isEqualTo(DETECTOR.detect(known));
                assertThat(memo.size()).isEqualTo(known.size());
            }
        }
    }

    /**
     * Utterances arriving in order of start, as a running call's mostly do, but overlapping by up
     * to several seconds: a new utterance's hits can then sort before the last ones of an earlier,
     * longer one, and the memo must place them there, not append them.
     */
    @Test
    void shouldFindWithAMemoWhatAFullPassFindsWhenNewUtterancesStartInsideEarlierOnes() {
        String[] lines = {"i'm so sorry the parcel is still in transit and i understand how frustrating that must be",
            "sorry what was that", "so what you're saying is the parcel never arrived", "okay", "yes",
            "thanks so to recap it will arrive tomorrow", "i waited all monday for the parcel", "mm-hmm",
            "can you call me back tomorrow and just to confirm the address is the same"};
        Random random = new Random(11);
        int placedBefore = 0;
        for (int round = 0; round < 300; round++) {
            List<UtteranceItem> call = new ArrayList<>();
            long t = 0;
            for (int i = 0; i < 4 + random.nextInt(16); i++) {
                Role role = random.nextBoolean() ? Role.AGENT : Role.CUSTOMER;
                UtteranceItem u = say(role, t, lines[random.nextInt(lines.length)]);
                call.add(u);
                t = u.startMs() + random.nextInt((int) (u.endMs() - u.startMs()) + 1_000); // often inside it
            }
            call.sort(Comparator.comparingLong(UtteranceItem::startMs));
            List<UtteranceItem> known = new ArrayList<>();
            BehaviourDetector.Memo memo = new BehaviourDetector.Memo();
            List<Behaviour> last = List.of();
            for (UtteranceItem u : call) {
                known.add(u);
                List<Behaviour> found = DETECTOR.detect(known, memo);
                assertThat(found).as("round %d, %d utterances known", round, known.size())
                        .isEqualTo(DETECTOR.detect(known));
                if (!last.isEmpty() && (found.size() < last.size() || !found.subList(0, last.size()).equals(last))) {
                    placedBefore++; // a new hit went in before an earlier one
                }
                last = found;
            }
        }
        assertThat(placedBefore).as("calls where a new hit sorts before an earlier one").isGreaterThan(20);
    }

    @Test
    void shouldFindAParaphraseOnceTheCustomersTurnBeforeItArrivesAfterIt() {
        UtteranceItem customer = say(Role.CUSTOMER, 3_000, "my parcel was due on monday and the tracking still says in transit");
        UtteranceItem agent = say(Role.AGENT, 8_000, "the parcel is still in transit after monday");
        BehaviourDetector.Memo memo = new BehaviourDetector.Memo();
        assertThat(DETECTOR.detect(List.of(agent), memo)).noneMatch(b -> b.kind() == BehaviourKind.PARAPHRASE);
        assertThat(DETECTOR.detect(List.of(agent, customer), memo))
                .anyMatch(b -> b.kind() == BehaviourKind.PARAPHRASE && b.by() == Role.AGENT)
                .isEqualTo(DETECTOR.detect(List.of(customer, agent)));
    }
}
