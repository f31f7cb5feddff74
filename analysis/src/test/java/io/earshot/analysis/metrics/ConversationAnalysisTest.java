package io.earshot.analysis.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.earshot.analysis.metrics.ConversationEvents.Backchannel;
import io.earshot.analysis.metrics.ConversationEvents.Interruption;
import io.earshot.analysis.metrics.ConversationEvents.PauseIntrusion;
import io.earshot.analysis.metrics.ConversationEvents.ResponseGap;
import io.earshot.analysis.metrics.ConversationEvents.Silence;
import io.earshot.analysis.metrics.ConversationEvents.Turn;
import io.earshot.schemas.Role;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Edge cases of the metric math of docs/metrics.md over hand-built spurts and words, with the
 * default thresholds: interruption onset 300 ms, overlap 600 ms, success within 2000 ms,
 * backchannel at most 1000 ms, pause respect 300 ms, pause intrusion 1500 ms, dead air 5000 ms.
 *
 * <p>Spurts are written {@code A0-3000 C2000-4000} (role letter, start, end in ms; kept on the
 * 20 ms grid the floor-holding scan steps on). Words are written
 * {@code A1000-2500=yeah right; C0-5000=...}: the words spread evenly over that span.
 * Events are compared as short strings so a failing row shows the whole outcome at once.
 */
class ConversationAnalysisTest {

    private static final MetricsConfig CFG = MetricsConfig.DEFAULTS;

    // ---------------------------------------------------------------- zero and one speaker

    @ParameterizedTest(name = "duration {0} ms")
    @CsvSource({"0", "20", "60000", "3600000"})
    void shouldReportNoTalkAndTheWholeCallAsSilenceWhenNobodySpeaks(long durationMs) {
        CallMetrics m = ConversationAnalysis.analyze(durationMs, List.of(), List.of(), CFG);

        assertThat(m.agentTalkMs()).isZero();
        assertThat(m.customerTalkMs()).isZero();
        assertThat(m.overlapMs()).isZero();
        assertThat(m.silenceMs()).isEqualTo(durationMs);
        assertThat(m.agentTalkShare()).isNaN();
        assertThat(m.interruptions()).isEmpty();
        assertThat(m.backchannels()).isEmpty();
        assertThat(m.responseGaps()).isEmpty();
        assertThat(m.pauseIntrusions()).isEmpty();
        assertThat(m.deadAir()).isEmpty();
        assertThat(m.turns()).isEmpty();
        assertThat(m.pauseRespectRate()).isNaN();
        assertThat(m.meanResponseGapMs()).isNaN();
        assertThat(m.agentInterruptionsPer10Min()).isZero();
        assertThat(m.longestAgentMonologueMs()).isZero();
        assertThat(m.longestCustomerStoryMs()).isZero();
        assertThat(m.config()).isSameAs(CFG);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            # spurts                                | role     | talk | share | silence | turn
            A1000-5000 A6000-9000                   | AGENT    | 7000 | 1.0   | 3000    | 1000-9000
            A0-800 A1200-4000                       | AGENT    | 3600 | 1.0   | 6400    | 0-4000
            C1000-5000 C6000-9000                   | CUSTOMER | 7000 | 0.0   | 3000    | 1000-9000
            """)
    void shouldGiveAFullOrEmptyShareAndNoConversationEventsOnASingleSpeakerCall(
            String spurts, Role role, long talk, double share, long silence, String turn) {
        CallMetrics m = analyze(10_000, spurts);

        assertThat(role == Role.AGENT ? m.agentTalkMs() : m.customerTalkMs()).isEqualTo(talk);
        assertThat(role == Role.AGENT ? m.customerTalkMs() : m.agentTalkMs()).isZero();
        assertThat(m.agentTalkShare()).isEqualTo(share);
        assertThat(m.overlapMs()).isZero();
        assertThat(m.silenceMs()).isEqualTo(silence);
        assertThat(m.interruptions()).isEmpty();
        assertThat(m.backchannels()).as("nobody to listen to").isEmpty();
        assertThat(m.responseGaps()).isEmpty();
        assertThat(m.pauseIntrusions()).isEmpty();
        assertThat(m.pauseRespectRate()).isNaN();
        assertThat(m.meanResponseGapMs()).isNaN();
        assertThat(m.agentInterruptionsPer10Min()).isZero();
        assertThat(turns(m)).containsExactly(role + " " + turn);
        String[] span = turn.split("-");
        long turnMs = Long.parseLong(span[1]) - Long.parseLong(span[0]);
        assertThat(m.longestAgentMonologueMs()).isEqualTo(role == Role.AGENT ? turnMs : 0);
        assertThat(m.longestCustomerStoryMs()).isEqualTo(role == Role.CUSTOMER ? turnMs : 0);
    }

    // ---------------------------------------------------------------- talk, overlap, silence

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            # spurts                                                | agent | customer | overlap | silence | share
            # one role overlapping itself is counted once
            A0-3000 A2000-5000                                      | 5000  | 0        | 0       | 5000    | 1.0
            A0-4000 A1000-2000                                      | 4000  | 0        | 0       | 6000    | 1.0
            A0-1000 A1000-2000 C3000-4000                           | 2000  | 1000     | 0       | 7000    | 0.6666666666666666
            # overlap counts for both parties in the share
            A0-3000 C2000-4000                                      | 3000  | 2000     | 1000    | 6000    | 0.6
            # several partial overlaps: 500 + 500 + 500 + 500 + 100
            A0-2000 A3000-5000 A6000-8000 C1500-3500 C4500-6500 C7900-9000 | 6000 | 5100 | 2100  | 1000    | 0.5405405405405406
            # one customer spurt across two agent spurts
            A0-1000 A2000-3000 C500-2500                            | 2000  | 2000     | 1000    | 7000    | 0.5
            # one party entirely inside the other
            C0-8000 A2000-3000 A4000-5000                           | 2000  | 8000     | 2000    | 2000    | 0.2
            # touching spurts do not overlap
            A0-1000 C1000-2000                                      | 1000  | 1000     | 0       | 8000    | 0.5
            # overlapping customer spurts overlapping an agent spurt
            C0-3000 C1000-4000 A2000-6000                           | 4000  | 4000     | 2000    | 4000    | 0.5
            """)
    void shouldCountTalkOverlapAndSilenceFromTheUnionOfSpurts(
            String spurts, long agent, long customer, long overlap, long silence, double share) {
        CallMetrics m = analyze(10_000, spurts);

        assertThat(m.agentTalkMs()).as("agent talk").isEqualTo(agent);
        assertThat(m.customerTalkMs()).as("customer talk").isEqualTo(customer);
        assertThat(m.overlapMs()).as("overlap").isEqualTo(overlap);
        assertThat(m.silenceMs()).as("silence = duration - union of all speech").isEqualTo(silence);
        assertThat(m.agentTalkShare()).as("agent share").isCloseTo(share, within(1e-12));
    }

    @ParameterizedTest(name = "[{index}] {0} & {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # agent                    | customer                  | intersection
            A0-2000 A3000-5000         | C1500-3500 C4500-6500     | 1500
            A0-1000                    | C2000-3000                | 0
            A0-10000                   | C1000-2000 C3000-4000     | 2000
            A0-3000 A2000-5000         | C1000-4000                | 3000
            """)
    void shouldIntersectTwoPartiesWithoutCountingEitherPartyTwice(String agent, String customer, long expected) {
        assertThat(ConversationAnalysis.intersection(spurts(agent), spurts(customer))).isEqualTo(expected);
        assertThat(ConversationAnalysis.intersection(spurts(customer), spurts(agent))).isEqualTo(expected);
    }

    // ---------------------------------------------------------------- interruptions

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # spurts                | case                                                  | interruptions
            C0-3000 A300-2000       | interrupted party began exactly 300 ms before         | AGENT>CUSTOMER@300 overlap 1700 unsuccessful
            C0-3000 A280-2000       | interrupted party began only 280 ms before            | ''
            C0-3000 A2400-4000      | overlap exactly 600 ms                                | AGENT>CUSTOMER@2400 overlap 600 successful
            C0-3000 A2420-4000      | overlap only 580 ms                                   | ''
            C0-4000 A2000-5000      | interrupted party stops exactly 2000 ms after onset   | AGENT>CUSTOMER@2000 overlap 2000 successful
            C0-4020 A2000-5000      | interrupted party stops 2020 ms after onset           | AGENT>CUSTOMER@2000 overlap 2020 unsuccessful
            C0-4000 A2000-3600      | interrupted party stops in time but outlasts the agent | AGENT>CUSTOMER@2000 overlap 1600 unsuccessful
            C0-4000 A2000-4000      | both stop together                                    | AGENT>CUSTOMER@2000 overlap 2000 unsuccessful
            A0-4000 C2000-5000      | customer interrupting the agent                       | CUSTOMER>AGENT@2000 overlap 2000 successful
            C0-2000 A1500-4000 C3000-6000 | agent overlap only 500 ms, customer cuts back in | CUSTOMER>AGENT@3000 overlap 1000 successful
            """)
    void shouldApplyTheInterruptionThresholdsInclusively(String spurts, String description, String expected) {
        CallMetrics m = analyze(10_000, spurts);

        assertThat(interruptions(m)).as(description).containsExactlyElementsOf(lines(expected));
    }

    @Test
    void shouldCountEachPartysCutInSeparately() {
        // the agent cuts in on the customer (overlap 1000), then the customer cuts back in on the agent
        CallMetrics m = analyze(10_000, "C0-3000 A2000-5000 C4000-7000");

        assertThat(interruptions(m)).containsExactly(
                "AGENT>CUSTOMER@2000 overlap 1000 successful",
                "CUSTOMER>AGENT@4000 overlap 1000 successful");
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # agent spurt   | agent words       | backchannel text
            A1000-2500      | uh-huh            | uh-huh
            A1000-2500      | yeah right        | yeah right
            A1000-2500      | i see             | i see
            A1000-2500      | Yeah Right        | yeah right
            A1000-2500      | mm-hmm okay sure  | mm-hmm okay sure
            A1000-2500      | got it yes        | got it yes
            A1000-1800      | ''                | ''
            A1000-2500      | mhmm              | mhmm
            A1000-2060      | mm hmm            | mm hmm
            A1000-2900      | uh huh uh huh     | uh huh uh huh
            """)
    void shouldNeverCountABackchannelAsAnInterruption(String agentSpurt, String agentWords, String text) {
        // the customer talks throughout; without the backchannel rule each row would be an interruption
        List<TimedWord> words = agentWords.isEmpty() ? List.of() : words(agentSpurt + "=" + agentWords);
        CallMetrics m = analyze(10_000, "C0-5000 " + agentSpurt, words);

        assertThat(m.interruptions()).isEmpty();
        Spurt bc = spurts(agentSpurt).get(0);
        assertThat(m.backchannels()).containsExactly(new Backchannel(Role.AGENT, bc.startMs(), bc.endMs(), text));
        assertThat(turns(m)).as("a backchannel does not take the floor").containsExactly("CUSTOMER 0-5000");
    }

    @Test
    void shouldCountATwelveHundredMillisecondSpurtOfOrdinaryWordsAsAnInterruptionWithTheWordsOverTheOverlap() {
        CallMetrics m = analyze(10_000, "C0-5000 A1000-2200",
                words("A1000-2200=yes i know that; C0-5000=my router keeps dropping the line every single evening now"));

        assertThat(m.backchannels()).isEmpty();
        // customer words are 500 ms each, so "keeps" (1000-1500) to "the" (2000-2500) touch the overlap 1000-2200
        assertThat(m.interruptions()).containsExactly(new Interruption(Role.AGENT, Role.CUSTOMER, 1000, 1200, false,
                "yes i know that", "keeps dropping the"));
    }

    @ParameterizedTest(name = "[{index}] customer says \"{0}\"")
    @CsvSource(delimiter = '|', textBlock = """
            # customer words over C2300-4000 | interruptions                                 | backchannels
            yeah right                       | ''                                            | CUSTOMER@2300-4000
            okay                             | ''                                            | CUSTOMER@2300-4000
            # not a backchannel: the customer started 300 ms into the agent's 800 ms pause and the
            # agent resumed over it, so the customer interrupted, never the agent who resumed its turn
            ''                               | CUSTOMER>AGENT@2300 overlap 1200 unsuccessful | ''
            wait that is wrong               | CUSTOMER>AGENT@2300 overlap 1200 unsuccessful | ''
            """)
    void shouldNotCountSpeechStartingInsideTheOtherPartysBackchannelAsInterruptingIt(
            String customerWords, String interruptions, String backchannels) {
        // the agent talks and pauses, the customer answers with a 1.7 s spurt, the agent carries on over it
        List<TimedWord> words = customerWords.isEmpty() ? List.of() : words("C2300-4000=" + customerWords);
        CallMetrics m = analyze(10_000, "A0-2000 C2300-4000 A2800-6000", words);

        assertThat(interruptions(m)).containsExactlyElementsOf(lines(interruptions));
        assertThat(backchannels(m)).containsExactlyElementsOf(lines(backchannels));
    }

    /**
     * A barge-in during a mid-sentence pause: the listener starts while the speaker pauses and
     * the speaker resumes over it. The one who started inside the other's turn interrupted; a
     * silence of {@code continuationMs} (1 s) or more is no pause inside a turn, and then the
     * one who comes back over the other is the interrupter.
     */
    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # spurts                              | case                                                  | interruptions                                  | turns
            A0-2000 C2300-4000 A2980-6000         | agent pauses 980 ms, customer started inside it       | CUSTOMER>AGENT@2300 overlap 1020 unsuccessful  | AGENT 0-6000
            A0-2000 C2300-4000 A3000-6000         | agent silent 1000 ms: the customer had taken the floor | AGENT>CUSTOMER@3000 overlap 1000 successful    | AGENT 0-2000,CUSTOMER 2300-4000,AGENT 3000-6000
            A0-2000 C2300-3400 A2800-6000         | overlap 600 ms with the resumed speech                | CUSTOMER>AGENT@2300 overlap 600 unsuccessful   | AGENT 0-6000
            A0-2000 C2300-3380 A2800-6000         | overlap 580 ms: the customer took the floor, briefly  | ''                                             | AGENT 0-2000,CUSTOMER 2300-3380,AGENT 2800-6000
            A0-2000 C2300-5000 A2800-3600         | the agent resumes and yields within 2 s               | CUSTOMER>AGENT@2300 overlap 800 successful     | AGENT 0-3600,CUSTOMER 2300-5000
            A0-2000 C2300-5000 A3900-5200         | the agent comes back 1600 ms after the customer's onset | AGENT>CUSTOMER@3900 overlap 1100 successful  | AGENT 0-2000,CUSTOMER 2300-5000,AGENT 3900-5200
            """)
    void shouldNameTheListenerWhoStartedInASpeakersPauseAsTheInterrupter(
            String spurts, String description, String expected, String expectedTurns) {
        CallMetrics m = analyze(10_000, spurts);

        assertThat(interruptions(m)).as(description).containsExactlyElementsOf(lines(expected));
        assertThat(turns(m)).as(description).containsExactlyElementsOf(lines(expectedTurns));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # spurts                         | case
            C0-3000 C1000-4000 A2000-6000    | both customer spurts began 300 ms before the agent and overlap it by 600 ms
            C0-3000 C3400-6000 A2000-5000    | the agent spurt runs over the customer's next spurt too
            """)
    void shouldCountASpurtOverlappingTwoOfTheOthersSpurtsAtMostOnce(String spurts, String description) {
        CallMetrics m = analyze(10_000, spurts);

        assertThat(m.interruptions()).as(description).filteredOn(i -> i.by() == Role.AGENT)
                .extracting(Interruption::startMs).containsExactly(2000L);
    }

    /**
     * The interrupted party's speech is all its (non-backchannel) spurts together, as for
     * talk time: when one role's spurts overlap or touch, "Y began 300 ms earlier", "the
     * overlap lasted" and "Y stops within 2 s" are about that merged speech, not about
     * whichever single spurt is looked at first. Ingest never emits such spurts (they are
     * maximal runs), but {@code analyze} accepts them and merges them for talk time.
     */
    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # spurts                         | case                                                      | interruptions
            C0-3000 C1000-6000 A2000-5000    | customer speaks 0-6000 and outlasts the agent             | AGENT>CUSTOMER@2000 overlap 3000 unsuccessful
            C0-3000 C1000-4000 A2000-5000    | customer speaks 0-4000 and stops 2000 ms after the onset  | AGENT>CUSTOMER@2000 overlap 2000 successful
            C0-1000 C1000-4000 A1100-3000    | customer speaks 0-4000 without a break                    | AGENT>CUSTOMER@1100 overlap 1900 unsuccessful
            """)
    void shouldJudgeAnInterruptionAgainstAllOfTheInterruptedPartysSpeech(String spurts, String description, String expected) {
        CallMetrics m = analyze(10_000, spurts);

        assertThat(interruptions(m)).as(description).containsExactlyElementsOf(lines(expected));
    }

    @ParameterizedTest(name = "{0} agent interruptions in {1} ms -> {2} per 10 min")
    @MethodSource("interruptionRates")
    void shouldRateAgentInterruptionsPerTenMinutesOfCallTime(int agentInterruptions, long durationMs, double perTenMin) {
        List<Spurt> spurts = new ArrayList<>();
        for (int k = 0; k < agentInterruptions; k++) {
            long t = k * 20_000L;
            spurts.add(new Spurt(Role.CUSTOMER, t, t + 3000));
            spurts.add(new Spurt(Role.AGENT, t + 2000, t + 5000));
        }
        // and one customer interruption of the agent, which the agent rate must ignore
        long t = agentInterruptions * 20_000L;
        spurts.add(new Spurt(Role.AGENT, t, t + 4000));
        spurts.add(new Spurt(Role.CUSTOMER, t + 2000, t + 5000));

        CallMetrics m = ConversationAnalysis.analyze(durationMs, spurts, List.of(), CFG);

        assertThat(m.interruptions()).filteredOn(i -> i.by() == Role.AGENT).hasSize(agentInterruptions);
        assertThat(m.interruptions()).filteredOn(i -> i.by() == Role.CUSTOMER).hasSize(1);
        assertThat(m.agentInterruptionsPer10Min()).isCloseTo(perTenMin, within(1e-9));
    }

    static Stream<Arguments> interruptionRates() {
        return Stream.of(
                Arguments.of(3, 300_000L, 6.0),
                Arguments.of(1, 600_000L, 1.0),
                Arguments.of(5, 1_200_000L, 2.5),
                Arguments.of(2, 90_000L, 13.333333333333334),
                Arguments.of(0, 60_000L, 0.0));
    }

    // ---------------------------------------------------------------- backchannels

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # spurts                                   | case                                                   | backchannels
            C0-5000 A1000-1800                         | speaker still talking at its end                       | AGENT@1000-1800
            C0-3000 A1000-2000                         | exactly 1000 ms                                        | AGENT@1000-2000
            C0-3000 A1000-2020                         | 1020 ms without tokens                                 | ''
            C0-3000 A3500-4300 C4600-8000              | speaker speaks again before the listener's next spurt   | AGENT@3500-4300
            A0-800 C1000-5000                          | 0.8 s at the very start of the call                    | ''
            C1000-3000 A1000-1800                      | speaker started together with it, not before           | ''
            C0-3000 A3500-4300 A4600-8000              | only the same party speaks afterwards                  | ''
            C0-3000 A3500-4300                         | nobody speaks afterwards                               | ''
            C0-3000 A3500-4300 A4600-6000 C7000-9000   | speaker resumes only after the listener's next spurt   | ''
            A0-4000 C1000-1400 C2600-3000 A4400-6000   | two customer backchannels in one agent turn            | CUSTOMER@1000-1400,CUSTOMER@2600-3000
            A0-4000 C1000-1400 C2000-2600 A4400-6000   | carried on within 1 s: one 1.6 s response, too long    | ''
            """)
    void shouldOnlyCountAShortSpurtAsABackchannelWhenTheOtherPartySpokeBeforeAndKeepsTalking(
            String spurts, String description, String expected) {
        CallMetrics m = analyze(10_000, spurts);

        assertThat(backchannels(m)).as(description).containsExactlyElementsOf(lines(expected));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            uh-huh                | true
            yeah right            | true
            i see                 | true
            got it okay           | true
            mm-hmm yes sure       | true
            yes i know that       | false
            i                     | false
            see                   | false
            i see that            | false
            got                   | false
            uh huh                | true
            mhmm                  | true
            mm hmm yeah           | true
            okay right i see i see | true
            is that right         | false
            right so              | false
            hmm hmm hmm           | true
            no                    | false
            ''                    | false
            """)
    void shouldRecogniseSpokenWordsMadeOnlyOfBackchannelTokens(String spoken, boolean onlyTokens) {
        List<String> words = spoken.isEmpty() ? List.of() : Arrays.asList(spoken.split(" "));

        assertThat(ConversationAnalysis.onlyTokens(words, CFG)).isEqualTo(onlyTokens);
    }

    // ---------------------------------------------------------------- response gaps, pause respect

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # spurts                                     | case                                              | gaps (customerEnd>agentStart gap respected?)
            C0-2000 A2300-4000                           | gap exactly 300 ms                                | 2000>2300 300 respected
            C0-2000 A2280-4000                           | gap 280 ms                                        | 2000>2280 280 not respected
            C0-2000 A2000-4000                           | no gap at all                                     | 2000>2000 0 not respected
            C0-3000 A2000-5000                           | successful agent interruption                     | 3000>2000 -1000 not respected
            C0-5000 A2000-8000                           | late-stopping customer, agent takes the floor     | 5000>2000 -3000 not respected
            C0-5000 A2000-3500                           | unsuccessful agent interruption, customer outlasts | ''
            C0-5000 A2000-3500 A5400-7000                | agent answers after the failed cut-in             | 5000>5400 400 respected
            C0-2000 A2400-4000 C4200-4600 A4800-8000     | customer backchannel inside the agent turn        | 2000>2400 400 respected
            A0-2000 C2400-4000                           | agent-to-customer transfers are not response gaps | ''
            """)
    void shouldMeasureTheResponseGapOfEveryCustomerToAgentFloorTransfer(String spurts, String description, String expected) {
        CallMetrics m = analyze(10_000, spurts);

        assertThat(gaps(m)).as(description).containsExactlyElementsOf(lines(expected));
    }

    @Test
    void shouldNotLetACustomerBackchannelSplitTheAgentTurn() {
        CallMetrics m = analyze(10_000, "C0-2000 A2400-4000 C4200-4600 A4800-8000");

        assertThat(backchannels(m)).containsExactly("CUSTOMER@4200-4600");
        assertThat(turns(m)).containsExactly("CUSTOMER 0-2000", "AGENT 2400-8000");
        assertThat(m.longestAgentMonologueMs()).isEqualTo(5600);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            # spurts                                                    | respect rate        | mean gap
            # gaps 500, 100, 300
            C0-1200 A1700-3000 C3300-5000 A5100-7000 C7400-9000 A9300-11000 | 0.6666666666666666 | 300.0
            # gaps -1000 (successful agent interruption), 300
            C0-3000 A2000-5000 C5400-8000 A8300-10000                   | 0.5                 | -350.0
            # gaps 400, 280
            C0-2000 A2400-4000 C4400-6000 A6280-8000                    | 0.5                 | 340.0
            # a single respected transfer
            C0-2000 A2300-4000                                          | 1.0                 | 300.0
            # no customer-to-agent transfer at all
            A0-2000 C2400-4000                                          | NaN                 | NaN
            C0-5000 A2000-3500                                          | NaN                 | NaN
            """)
    void shouldComputePauseRespectRateAndMeanResponseGapOverAllTransfers(String spurts, double rate, double mean) {
        CallMetrics m = analyze(12_000, spurts);

        assertCloseOrNaN(m.pauseRespectRate(), rate, "pause respect rate");
        assertCloseOrNaN(m.meanResponseGapMs(), mean, "mean response gap");
    }

    // ---------------------------------------------------------------- pause intrusion

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # spurts                              | case                                             | intrusions (pause start>agent onset>customer resume)
            C0-2000 A2400-3600 C3900-6000         | customer resumes 1500 ms after the agent's onset | 2000>2400>3900
            C0-2000 A2400-3600 C3920-6000         | customer resumes 1520 ms after the agent's onset | ''
            C0-2000 A2000-3600 C3500-6000         | gap exactly 0, resume after 1500 ms              | 2000>2000>3500
            C0-3000 A2000-3200 C3400-5000         | negative gap: the agent cut in, never an intrusion | ''
            C0-2000 A2400-3600 C3600-3800 A4000-6000 | customer resume is only a backchannel         | ''
            A0-2000 C2400-3600 A3900-6000         | customer starting in an agent pause              | ''
            """)
    void shouldCountAPauseIntrusionWhenTheCustomerResumesWithinOneAndAHalfSecondsOfTheAgentsOnset(
            String spurts, String description, String expected) {
        CallMetrics m = analyze(10_000, spurts);

        assertThat(intrusions(m)).as(description).containsExactlyElementsOf(lines(expected));
    }

    // ---------------------------------------------------------------- dead air

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # spurts                           | case                                         | duration | silence | dead air
            A0-2000 C7000-9000                 | 5000 ms between spurts                       | 10000    | 6000    | 2000-7000
            A0-2000 C6980-9000                 | 4980 ms between spurts                       | 10000    | 5980    | ''
            A0-2000 A7000-9000                 | one party pausing 5000 ms                    | 10000    | 6000    | 2000-7000
            A6000-8000                         | leading and trailing silence only            | 20000    | 18000   | ''
            A6000-8000 C8400-9000              | long leading and trailing silence            | 30000    | 27400   | ''
            A0-10000 C1000-2000 C16000-18000   | measured from the end of all speech          | 20000    | 8000    | 10000-16000
            A0-1000 C6000-7000 A12000-13000    | two stretches                                | 20000    | 17000   | 1000-6000,7000-12000
            """)
    void shouldCountOnlySilencesOfFiveSecondsBetweenSpurtsAsDeadAir(
            String spurts, String description, long durationMs, long silence, String expected) {
        CallMetrics m = analyze(durationMs, spurts);

        assertThat(m.silenceMs()).as("silence").isEqualTo(silence);
        assertThat(m.deadAir().stream().map((Silence s) -> s.startMs() + "-" + s.endMs()).toList())
                .as(description).containsExactlyElementsOf(lines(expected));
    }

    // ---------------------------------------------------------------- turns

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # spurts                                                        | case                                          | monologue | story | turns
            C0-3000 A3500-6000 C6200-6600 A6800-12000 C12500-20000 A20400-22000 | agent turn spans a customer backchannel   | 8500      | 7500  | CUSTOMER 0-3000,AGENT 3500-12000,CUSTOMER 12500-20000,AGENT 20400-22000
            A0-6000 C2000-3500 A6400-9000 C9400-10600                       | failed customer cut-in does not end the turn  | 9000      | 1200  | AGENT 0-9000,CUSTOMER 9400-10600
            C0-4000 A3000-7000 C7400-9000                                   | successful agent cut-in starts the agent turn | 4000      | 4000  | CUSTOMER 0-4000,AGENT 3000-7000,CUSTOMER 7400-9000
            C0-2000 C2400-5000 C5400-9000 A9400-11000                       | customer story across three spurts            | 1600      | 9000  | CUSTOMER 0-9000,AGENT 9400-11000
            """)
    void shouldMeasureTheLongestAgentMonologueAndCustomerStoryAcrossTurns(
            String spurts, String description, long monologue, long story, String expectedTurns) {
        CallMetrics m = analyze(24_000, spurts);

        assertThat(turns(m)).as(description).containsExactlyElementsOf(lines(expectedTurns));
        assertThat(m.longestAgentMonologueMs()).as("longest agent monologue").isEqualTo(monologue);
        assertThat(m.longestCustomerStoryMs()).as("longest customer story").isEqualTo(story);
    }

    // ---------------------------------------------------------------- spurt

    @ParameterizedTest(name = "[{index}] {0}-{1}")
    @CsvSource({"1000, 980", "1000, 0", "0, -20"})
    void shouldRejectASpurtThatEndsBeforeItStarts(long start, long end) {
        assertThatThrownBy(() -> new Spurt(Role.AGENT, start, end))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(start));
    }

    @Test
    void shouldAcceptAnEmptySpurtThatCoversNothing() {
        assertThatNoException().isThrownBy(() -> new Spurt(Role.CUSTOMER, 1000, 1000));
        Spurt empty = new Spurt(Role.CUSTOMER, 1000, 1000);
        assertThat(empty.durationMs()).isZero();
        assertThat(empty.covers(1000)).isFalse();
    }

    @ParameterizedTest(name = "[{index}] covers {0} -> {1}")
    @CsvSource({"980, false", "1000, true", "1980, true", "2000, false"})
    void shouldCoverItsStartButNotItsEnd(long t, boolean covered) {
        assertThat(new Spurt(Role.AGENT, 1000, 2000).covers(t)).isEqualTo(covered);
    }

    // ---------------------------------------------------------------- helpers

    private static CallMetrics analyze(long durationMs, String spurts) {
        return analyze(durationMs, spurts, List.of());
    }

    private static CallMetrics analyze(long durationMs, String spurts, List<TimedWord> words) {
        return ConversationAnalysis.analyze(durationMs, spurts(spurts), words, CFG);
    }

    /** {@code "A0-3000 C2000-4000"}: role letter, start and end in ms. */
    private static List<Spurt> spurts(String spec) {
        List<Spurt> out = new ArrayList<>();
        for (String s : spec.trim().split("\\s+")) {
            Role role = role(s.charAt(0));
            String[] span = s.substring(1).split("-");
            out.add(new Spurt(role, Long.parseLong(span[0]), Long.parseLong(span[1])));
        }
        return out;
    }

    /** {@code "A1000-2500=yeah right; C0-5000=..."}: the words spread evenly over the span. */
    private static List<TimedWord> words(String spec) {
        List<TimedWord> out = new ArrayList<>();
        for (String part : spec.split(";")) {
            String[] sides = part.trim().split("=");
            Spurt span = spurts(sides[0]).get(0);
            String[] ws = sides[1].trim().split(" ");
            long each = span.durationMs() / ws.length;
            for (int k = 0; k < ws.length; k++) {
                long from = span.startMs() + k * each;
                out.add(new TimedWord(span.role(), ws[k], from, k == ws.length - 1 ? span.endMs() : from + each));
            }
        }
        return out;
    }

    private static Role role(char letter) {
        return switch (letter) {
            case 'A' -> Role.AGENT;
            case 'C' -> Role.CUSTOMER;
            default -> throw new IllegalArgumentException("role letter " + letter);
        };
    }

    /** A comma-separated expectation column; empty means none. */
    private static List<String> lines(String column) {
        return column == null || column.isBlank() ? List.of() : Arrays.stream(column.split(",")).map(String::trim).toList();
    }

    private static List<String> interruptions(CallMetrics m) {
        return m.interruptions().stream().map((Interruption i) -> i.by() + ">" + i.of() + "@" + i.startMs() + " overlap "
                + i.overlapMs() + (i.successful() ? " successful" : " unsuccessful")).toList();
    }

    private static List<String> backchannels(CallMetrics m) {
        return m.backchannels().stream().map((Backchannel b) -> b.by() + "@" + b.startMs() + "-" + b.endMs()).toList();
    }

    private static List<String> gaps(CallMetrics m) {
        return m.responseGaps().stream().map((ResponseGap g) -> g.customerEndMs() + ">" + g.agentStartMs() + " "
                + g.gapMs() + (g.respected() ? " respected" : " not respected")).toList();
    }

    private static List<String> intrusions(CallMetrics m) {
        return m.pauseIntrusions().stream().map((PauseIntrusion p) -> p.customerPauseStartMs() + ">" + p.agentStartMs()
                + ">" + p.customerResumeMs()).toList();
    }

    private static List<String> turns(CallMetrics m) {
        return m.turns().stream().map((Turn t) -> t.role() + " " + t.startMs() + "-" + t.endMs()).toList();
    }

    private static void assertCloseOrNaN(double actual, double expected, String what) {
        if (Double.isNaN(expected)) {
            assertThat(actual).as(what).isNaN();
        } else {
            assertThat(actual).as(what).isCloseTo(expected, within(1e-9));
        }
    }
}
