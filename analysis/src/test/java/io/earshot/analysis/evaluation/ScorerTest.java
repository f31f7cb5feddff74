package io.earshot.analysis.evaluation;

import static io.earshot.analysis.evaluation.Notation.backchannels;
import static io.earshot.analysis.evaluation.Notation.gaps;
import static io.earshot.analysis.evaluation.Notation.interruptions;
import static io.earshot.analysis.evaluation.Notation.metrics;
import static io.earshot.analysis.evaluation.Notation.segments;
import static io.earshot.analysis.evaluation.Notation.spurts;
import static io.earshot.analysis.evaluation.Notation.truthBackchannels;
import static io.earshot.analysis.evaluation.Notation.truthGaps;
import static io.earshot.analysis.evaluation.Notation.truthInterruptions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.earshot.analysis.evaluation.CallScore.Matching;
import io.earshot.analysis.metrics.CallMetrics;
import io.earshot.schemas.Role;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Scorer} over hand-made calls in {@link Notation}, with the default tolerances: 10 ms
 * frames, interruption onsets within 500 ms, interruptions within 300 ms of a backchannel,
 * response-gap agent starts within 500 ms.
 */
class ScorerTest {

    private static final double EPS = 1e-4;

    private static CallScore score(String truthSpeech, TruthEvents events, String detected, CallMetrics m) {
        return Scorer.score(new CallTruth("call", m.durationMs(), segments(truthSpeech), events), spurts(detected), m);
    }

    private static CallScore scoreSpeech(long durationMs, String truthSpeech, String detected) {
        return score(truthSpeech, null, detected, metrics(durationMs, 0, 0, 0));
    }

    // ---------------------------------------------------------------- voice activity

    @ParameterizedTest(name = "truth [{1}] detected [{2}]")
    @CsvSource(delimiter = '|', value = {
        // duration | truth                | detected      | agent P | agent R | agent F1 | customer F1
        "2000 | A0-1000 C1000-2000     | A0-1000 C1000-2000 | 1.0    | 1.0    | 1.0    | 1.0",
        "2000 | A0-1000                | A100-1100          | 0.9    | 0.9    | 0.9    | 1.0",
        "2000 | A0-1000                | A0-500             | 1.0    | 0.5    | 0.6667 | 1.0",
        "2000 | A0-1000                | A0-500 A500-1000   | 1.0    | 1.0    | 1.0    | 1.0",
        // a frame counts when its midpoint is covered: 1004 and 3 leave the same 100 frames
        "2000 | A0-1004                | A3-1000            | 1.0    | 1.0    | 1.0    | 1.0",
        "2000 | A0-1006                | A0-1000            | 1.0    | 0.9901 | 0.995  | 1.0",
        // a labeller's overlapping segments count once
        "2000 | A0-1000 A500-1500      | A0-1500            | 1.0    | 1.0    | 1.0    | 1.0",
        // nobody spoke and nothing was detected: nothing missed, no false alarm
        "5000 | ''                     | ''                 | 1.0    | 1.0    | 1.0    | 1.0",
        "5000 | ''                     | A0-500             | 0.0    | 1.0    | 0.0    | 1.0",
        "5000 | A0-500                 | ''                 | 1.0    | 0.0    | 0.0    | 1.0",
        "5000 | A0-500                 | C0-500             | 1.0    | 0.0    | 0.0    | 0.0",
        // detections beyond the call's end still count against it
        "1000 | A0-1000                | A0-2000            | 0.5    | 1.0    | 0.6667 | 1.0",
    })
    void shouldCountVoiceActivityFramesPerRoleOnATenMillisecondGrid(long durationMs, String truth, String detected,
            double agentPrecision, double agentRecall, double agentF1, double customerF1) {
        CallScore s = scoreSpeech(durationMs, truth, detected);

        assertThat(s.agent().vadPrecision()).isCloseTo(agentPrecision, within(EPS));
        assertThat(s.agent().vadRecall()).isCloseTo(agentRecall, within(EPS));
        assertThat(s.agent().vadF1()).isCloseTo(agentF1, within(EPS));
        assertThat(s.customer().vadF1()).isCloseTo(customerF1, within(EPS));
    }

    @Test
    void shouldCountFramesExactlyForSpansOnTheGrid() {
        CallScore s = scoreSpeech(20580, "A200-2060", "A180-2000");

        assertThat(s.agent().voiceFrames()).isEqualTo(new Matching(180, 182, 186));
        assertThat(s.durationMs()).isEqualTo(20580);
    }

    @Test
    void shouldScoreACallWithNoSpeechAsPerfectAgreement() {
        CallScore s = score("", TruthEvents.NONE, "", metrics(30000, 0, 0, 0));

        for (Role role : Role.values()) {
            assertThat(s.role(role).voiceFrames()).isEqualTo(new Matching(0, 0, 0));
            assertThat(s.role(role).vadF1()).isEqualTo(1.0);
            assertThat(s.role(role).talkTimeErrorRatio()).isZero();
        }
        assertThat(s.overlapErrorMs()).isZero();
        assertThat(s.interruptions().counts().f1()).isEqualTo(1.0);
        assertThat(s.backchannels().reportedAsInterruptions()).isEmpty();
        assertThat(s.responseGaps().meanAbsErrorMs()).isNaN();
    }

    @Test
    void shouldScoreAnEmptyCallOfZeroLength() {
        CallScore s = score("", null, "", metrics(0, 0, 0, 0));

        assertThat(s.durationMs()).isZero();
        assertThat(s.agent().voiceFrames()).isEqualTo(Matching.EMPTY);
        assertThat(s.customer().vadF1()).isEqualTo(1.0);
    }

    // ---------------------------------------------------------------- talk time and overlap

    @ParameterizedTest(name = "truth [{0}] detected agent {1} customer {2}")
    @CsvSource(delimiter = '|', value = {
        // truth                     | det A | det C | truth A | truth C | A ratio  | C ratio
        "A0-1000 C2000-4000          | 1000  | 2000  | 1000    | 2000    | 0.0      | 0.0",
        "A0-1000 A500-1500 C0-2000   | 1600  | 1800  | 1500    | 2000    | 0.066667 | 0.1",
        "A0-1000 A1000-2000          | 1900  | 0     | 2000    | 0       | 0.05     | 0.0",
        "A0-1000                     | 1000  | 120   | 1000    | 0       | 0.0      | Infinity",
        "''                          | 0     | 0     | 0       | 0       | 0.0      | 0.0",
    })
    void shouldCompareReportedTalkTimeWithTheUnionOfTheTruthSegments(String truth, long agentMs, long customerMs,
            long truthAgentMs, long truthCustomerMs, double agentRatio, double customerRatio) {
        CallScore s = score(truth, null, "", metrics(10000, agentMs, customerMs, 0));

        assertThat(s.agent().truthTalkMs()).isEqualTo(truthAgentMs);
        assertThat(s.customer().truthTalkMs()).isEqualTo(truthCustomerMs);
        assertThat(s.agent().detectedTalkMs()).isEqualTo(agentMs);
        assertThat(s.agent().talkTimeErrorRatio()).isCloseTo(agentRatio, within(1e-6));
        if (Double.isInfinite(customerRatio)) {
            assertThat(s.customer().talkTimeErrorRatio()).isInfinite();
        } else {
            assertThat(s.customer().talkTimeErrorRatio()).isCloseTo(customerRatio, within(1e-6));
        }
    }

    @ParameterizedTest(name = "truth [{0}] detected overlap {1}")
    @CsvSource(delimiter = '|', value = {
        "A0-1000 C500-1500              | 500  | 500  | 0",
        "A0-1000 C500-1500              | 700  | 500  | 200",
        "A0-1000 C500-1500              | 300  | 500  | 200",
        "A0-1000 A200-800 C500-1500     | 500  | 500  | 0",
        "A0-1000 C1000-2000             | 0    | 0    | 0",
        "A0-1000 C0-1000 A2000-3000 C2500-2600 | 1100 | 1100 | 0",
        "''                             | 40   | 0    | 40",
    })
    void shouldMeasureOverlapErrorAgainstTheTimeBothPartiesSpeakInTheTruth(String truth, long detectedOverlapMs,
            long truthOverlapMs, long errorMs) {
        CallScore s = score(truth, null, "", metrics(10000, 0, 0, detectedOverlapMs));

        assertThat(s.truthOverlapMs()).isEqualTo(truthOverlapMs);
        assertThat(s.detectedOverlapMs()).isEqualTo(detectedOverlapMs);
        assertThat(s.overlapErrorMs()).isEqualTo(errorMs);
    }

    // ---------------------------------------------------------------- interruptions

    @ParameterizedTest(name = "truth [{0}] detected [{1}]")
    @CsvSource(delimiter = '|', value = {
        // truth               | detected              | matched | detected | truth | P    | R   | F1     | outcome differs
        "A>C@5000+             | A>C@5000+             | 1 | 1 | 1 | 1.0  | 1.0 | 1.0    | 0",
        "A>C@5000+             | A>C@5500+             | 1 | 1 | 1 | 1.0  | 1.0 | 1.0    | 0",
        "A>C@5000+             | A>C@4500+             | 1 | 1 | 1 | 1.0  | 1.0 | 1.0    | 0",
        "A>C@5000+             | A>C@5501+             | 0 | 1 | 1 | 0.0  | 0.0 | 0.0    | 0",
        // same time, the other direction: not the same interruption
        "A>C@5000+             | C>A@5000+             | 0 | 1 | 1 | 0.0  | 0.0 | 0.0    | 0",
        // found, but judged the other way: matched, and the disagreement counted
        "A>C@5000+             | A>C@5100-             | 1 | 1 | 1 | 1.0  | 1.0 | 1.0    | 1",
        "A>C@5000- C>A@9000+   | A>C@5000- C>A@9000-   | 2 | 2 | 2 | 1.0  | 1.0 | 1.0    | 1",
        // one-to-one: a second detection of the same interruption is a false alarm
        "A>C@5000+             | A>C@4900+ A>C@5100+   | 1 | 2 | 1 | 0.5  | 1.0 | 0.6667 | 0",
        "A>C@5000+ A>C@5300+   | A>C@5100+             | 1 | 1 | 2 | 1.0  | 0.5 | 0.6667 | 0",
        // maximum matching: pairing 700 with its nearest (450) would leave 0 without a partner
        "A>C@0+ A>C@700+       | A>C@450+ A>C@1150+    | 2 | 2 | 2 | 1.0  | 1.0 | 1.0    | 0",
        // no interruptions on either side: nothing missed, no false alarm
        "''                    | ''                    | 0 | 0 | 0 | 1.0  | 1.0 | 1.0    | 0",
        "''                    | A>C@100+              | 0 | 1 | 0 | 0.0  | 1.0 | 0.0    | 0",
        "A>C@100+ C>A@3000-    | ''                    | 0 | 0 | 2 | 1.0  | 0.0 | 0.0    | 0",
        "A>C@1000+ A>C@8000+ C>A@4000- | A>C@1200+ C>A@4100- A>C@12000+ | 2 | 3 | 3 | 0.6667 | 0.6667 | 0.6667 | 0",
    })
    void shouldMatchInterruptionsOneToOneByDirectionAndOnset(String truth, String detected, long matched,
            long detectedCount, long truthCount, double precision, double recall, double f1, long disagreements) {
        TruthEvents events = new TruthEvents(truthInterruptions(truth), null, null);
        CallScore s = score("", events, "", metrics(60000, 0, 0, 0, interruptions(detected), List.of(), List.of()));

        assertThat(s.interruptions().counts()).isEqualTo(new Matching(matched, detectedCount, truthCount));
        assertThat(s.interruptions().counts().precision()).isCloseTo(precision, within(EPS));
        assertThat(s.interruptions().counts().recall()).isCloseTo(recall, within(EPS));
        assertThat(s.interruptions().counts().f1()).isCloseTo(f1, within(EPS));
        assertThat(s.interruptions().successDisagreements()).isEqualTo(disagreements);
        assertThat(s.interruptions().missed()).hasSize((int) (truthCount - matched));
        assertThat(s.interruptions().spurious()).hasSize((int) (detectedCount - matched));
    }

    @Test
    void shouldListTheMissedAndSpuriousInterruptions() {
        TruthEvents events = new TruthEvents(truthInterruptions("A>C@1000+ C>A@4000-"), null, null);
        CallScore s = score("", events, "", metrics(60000, 0, 0, 0, interruptions("A>C@1100+ A>C@9000-"), List.of(),
                List.of()));

        assertThat(s.interruptions().missed()).containsExactly(new TruthInterruption(Role.CUSTOMER, Role.AGENT, 4000, false));
        assertThat(s.interruptions().spurious()).singleElement().satisfies(i -> assertThat(i.startMs()).isEqualTo(9000));
    }

    @Test
    void shouldHonourAnotherOnsetTolerance() {
        TruthEvents events = new TruthEvents(truthInterruptions("A>C@5000+"), null, null);
        CallMetrics m = metrics(60000, 0, 0, 0, interruptions("A>C@5250+"), List.of(), List.of());
        CallTruth truth = new CallTruth("call", 60000, List.of(), events);

        assertThat(Scorer.score(truth, List.of(), m, new Scorer.Tolerances(10, 200, 300, 500)).interruptions().counts().matched())
                .isZero();
        assertThat(Scorer.score(truth, List.of(), m).interruptions().counts().matched()).isOne();
    }

    // ---------------------------------------------------------------- backchannels

    @ParameterizedTest(name = "truth [{0}] detected [{1}]")
    @CsvSource(delimiter = '|', value = {
        // truth                 | detected              | matched | detected | truth
        "A3760-4200              | A3760-4200            | 1 | 1 | 1",
        "A3760-4200              | A3800-4300            | 1 | 1 | 1",
        "A3760-4200              | A4190-4600            | 1 | 1 | 1",
        // touching is not overlapping
        "A3760-4200              | A4200-4600            | 0 | 1 | 1",
        "A3760-4200              | C3760-4200            | 0 | 1 | 1",
        // one-to-one: two detections over one response
        "A1000-1500              | A1000-1200 A1300-1500 | 1 | 2 | 1",
        // one long detection over two responses pairs with one of them
        "A1000-1400 A1600-2000   | A1000-2000            | 1 | 1 | 2",
        // the detection overlapping both goes where the other cannot
        "A0-1000 A1500-2000      | A500-1600 A1800-1900  | 2 | 2 | 2",
        "''                      | ''                    | 0 | 0 | 0",
        "''                      | C18060-18520          | 0 | 1 | 0",
        "A3760-4200 C18060-18520 | ''                    | 0 | 0 | 2",
    })
    void shouldMatchBackchannelsOneToOneByRoleAndTimeOverlap(String truth, String detected, long matched,
            long detectedCount, long truthCount) {
        TruthEvents events = new TruthEvents(null, truthBackchannels(truth), null);
        CallScore s = score("", events, "", metrics(60000, 0, 0, 0, List.of(), backchannels(detected), List.of()));

        assertThat(s.backchannels().counts()).isEqualTo(new Matching(matched, detectedCount, truthCount));
        assertThat(s.backchannels().missed()).hasSize((int) (truthCount - matched));
        assertThat(s.backchannels().spurious()).hasSize((int) (detectedCount - matched));
    }

    @ParameterizedTest(name = "truth backchannels [{0}] detected interruptions [{1}]")
    @CsvSource(delimiter = '|', value = {
        // the backchannel spans 3760-4200; onsets from 3460 to 4500 lie on it
        "A3760-4200              | A>C@3760+           | 1",
        "A3760-4200              | A>C@3460+           | 1",
        "A3760-4200              | A>C@3459+           | 0",
        "A3760-4200              | A>C@4500-           | 1",
        "A3760-4200              | A>C@4501-           | 0",
        // the other party's interruption at that moment is not the backchannel
        "A3760-4200              | C>A@3800+           | 0",
        // one interruption near two backchannels counts once
        "A3760-4200 A4400-4700   | A>C@4300+           | 1",
        "A3760-4200 C18060-18520 | A>C@3900+ C>A@18100- A>C@10000+ | 2",
        "''                      | A>C@3760+           | 0",
        "A3760-4200              | ''                  | 0",
    })
    void shouldCountInterruptionsReportedOnATruthBackchannelOfTheSameParty(String truth, String detected, int expected) {
        TruthEvents events = new TruthEvents(null, truthBackchannels(truth), null);
        CallScore s = score("", events, "", metrics(60000, 0, 0, 0, interruptions(detected), List.of(), List.of()));

        assertThat(s.backchannels().reportedAsInterruptions()).hasSize(expected);
        assertThat(s.interruptions()).as("interruptions are not labelled").isNull();
    }

    // ---------------------------------------------------------------- response gaps

    @ParameterizedTest(name = "truth [{0}] detected [{1}]")
    @CsvSource(delimiter = '|', value = {
        // truth                   | detected                 | matched | missed | spurious | mean abs error
        "6440>5260                 | 6440>5260                | 1 | 0 | 0 | 0",
        "6440>5260                 | 6400>5260                | 1 | 0 | 0 | 40",
        "10000>10680               | 10000>11180              | 1 | 0 | 0 | 500",
        "10000>10680               | 10000>11181              | 0 | 1 | 1 | NaN",
        // the error is of the gap, so a customer end misplaced by 200 ms costs 200 ms
        "10000>10680               | 9800>10680               | 1 | 0 | 0 | 200",
        "6440>5260 10000>10680     | 6400>5260 10000>10780    | 2 | 0 | 0 | 70",
        "6440>5260 10000>10680 15880>16360 | 10000>10700 20000>21000 | 1 | 2 | 1 | 20",
        "''                        | ''                       | 0 | 0 | 0 | NaN",
        "''                        | 1000>1500                | 0 | 0 | 1 | NaN",
        "1000>1500                 | ''                       | 0 | 1 | 0 | NaN",
    })
    void shouldMatchResponseGapsByTheAgentsStartAndAverageTheGapError(String truth, String detected, long matched,
            long missed, long spurious, double meanAbsError) {
        TruthEvents events = new TruthEvents(null, null, truthGaps(truth));
        CallScore s = score("", events, "", metrics(60000, 0, 0, 0, List.of(), List.of(), gaps(detected)));

        assertThat(s.responseGaps().counts().matched()).isEqualTo(matched);
        assertThat(s.responseGaps().counts().missed()).isEqualTo(missed);
        assertThat(s.responseGaps().counts().spurious()).isEqualTo(spurious);
        assertThat(s.responseGaps().missed()).hasSize((int) missed);
        assertThat(s.responseGaps().spurious()).hasSize((int) spurious);
        if (Double.isNaN(meanAbsError)) {
            assertThat(s.responseGaps().meanAbsErrorMs()).isNaN();
        } else {
            assertThat(s.responseGaps().meanAbsErrorMs()).isCloseTo(meanAbsError, within(EPS));
        }
    }

    // ---------------------------------------------------------------- what is scored

    @Test
    void shouldScoreOnlySpeechWhenTheTruthHasNoEvents() {
        CallScore s = score("A0-1000", null, "A0-1000",
                metrics(2000, 1000, 0, 0, interruptions("A>C@500+"), backchannels("A100-300"), gaps("100>200")));

        assertThat(s.interruptions()).isNull();
        assertThat(s.backchannels()).isNull();
        assertThat(s.responseGaps()).isNull();
        assertThat(s.agent().vadF1()).isEqualTo(1.0);
    }

    @Test
    void shouldScoreOnlyTheKindsOfEventsTheTruthLabels() {
        TruthEvents onlyGaps = new TruthEvents(null, null, truthGaps("100>200"));
        CallScore s = score("", onlyGaps, "",
                metrics(2000, 0, 0, 0, interruptions("A>C@500+"), backchannels("A100-300"), gaps("100>200")));

        assertThat(s.interruptions()).isNull();
        assertThat(s.backchannels()).isNull();
        assertThat(s.responseGaps().counts()).isEqualTo(new Matching(1, 1, 1));
    }

    @Test
    void shouldCountEveryDetectionAsAFalseAlarmWhenTheTruthLabelsNoEvents() {
        CallScore s = score("", TruthEvents.NONE, "",
                metrics(2000, 0, 0, 0, interruptions("A>C@500+"), backchannels("A100-300"), gaps("100>200")));

        assertThat(s.interruptions().counts()).isEqualTo(new Matching(0, 1, 0));
        assertThat(s.backchannels().counts()).isEqualTo(new Matching(0, 1, 0));
        assertThat(s.responseGaps().counts()).isEqualTo(new Matching(0, 1, 0));
    }
}
