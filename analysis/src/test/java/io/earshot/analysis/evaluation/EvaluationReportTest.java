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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluationReportTest {

    /** A labelled call: one interruption found and one missed, a backchannel reported as an interruption. */
    private static CallScore labelled() {
        TruthEvents events = new TruthEvents(truthInterruptions("A>C@5280+ C>A@12660-"), truthBackchannels("A3760-4200"),
                truthGaps("6440>5280 10000>10680"));
        CallTruth truth = new CallTruth("call01", 20580, segments("A200-2060 C2280-6440 A3760-4200 A5280-7560"), events);
        return Scorer.score(truth, spurts("A200-2060 C2280-6440 A5260-7560"),
                metrics(20580, 4160, 4160, 1180, interruptions("A>C@5260+ A>C@3800+"), backchannels(""),
                        gaps("6440>5260 10000>10700")));
    }

    /** A call labelled for speech only. */
    private static CallScore speechOnly() {
        return Scorer.score(new CallTruth("call02", 10000, segments("A0-1000"), null), spurts("A0-1000"),
                metrics(10000, 1000, 0, 0));
    }

    @Test
    void shouldWriteABlockPerCallWithItsMissesAndTheTotals() {
        String table = EvaluationReport.table(List.of(labelled(), speechOnly()));

        assertThat(table).contains("call call01  20.6 s")
                .contains("  interruptions   precision 0.50, recall 0.50, F1 0.50 (1 of 2 found, 1 spurious; outcome differs in 0)")
                .contains("    missed    0:12.66 interruption CUSTOMER of AGENT (did not take the floor)")
                .contains("    spurious  0:03.80 interruption AGENT of CUSTOMER (took the floor)")
                .contains("    missed    0:03.76 backchannel AGENT, 0.44 s")
                .contains("    backchannel reported as interruption  0:03.80 AGENT of CUSTOMER")
                .contains("reported as interruptions 1")
                .contains("  response gaps   2 of 2 found, 0 missed, 0 spurious; mean absolute error 20 ms")
                .contains("call call02  10.0 s")
                .contains("  not labelled    interruptions, backchannels, response gaps")
                .contains("total  2 calls  30.6 s")
                // the customer of call02 neither spoke nor was detected: no error, ratio 0
                .contains("  talk time       error agent ");
        assertThat(table.substring(table.indexOf("total"))).contains("(1 of 2 found, 1 spurious; outcome differs in 0)");
    }

    @Test
    void shouldShowADashForFiguresNoCallMeasured() {
        String table = EvaluationReport.table(List.of(speechOnly()));

        assertThat(table.substring(table.indexOf("total"))).contains("  interruptions   not labelled")
                .contains("  backchannels    not labelled").contains("  response gaps   not labelled");
        assertThat(EvaluationReport.table(List.of())).contains("total  0 calls").contains("F1 agent -, customer - (precision - and -, recall - and -)");
    }

    @Test
    void shouldWriteJsonWithNullForWhatWasNotMeasured() throws Exception {
        JsonNode root = new ObjectMapper().readTree(EvaluationReport.json(List.of(labelled(), speechOnly()),
                Scorer.Tolerances.DEFAULTS));

        assertThat(root.path("tolerances").path("interruptionOnsetMs").asLong()).isEqualTo(500);
        JsonNode one = root.path("calls").get(0);
        assertThat(one.path("callId").asText()).isEqualTo("call01");
        assertThat(one.path("voiceActivity").path("AGENT").path("f1").isNumber()).isTrue();
        assertThat(one.path("talkTime").path("CUSTOMER").path("truthMs").asLong()).isEqualTo(4160);
        assertThat(one.path("overlap").path("truthMs").asLong()).isEqualTo(1600);
        assertThat(one.path("interruptions").path("recall").asDouble()).isEqualTo(0.5);
        assertThat(one.path("interruptions").path("missed").get(0).path("startMs").asLong()).isEqualTo(12660);
        assertThat(one.path("backchannels").path("reportedAsInterruptions").asLong()).isEqualTo(1);
        assertThat(one.path("backchannels").path("precision").asDouble()).isEqualTo(1.0);
        assertThat(one.path("responseGaps").path("meanAbsErrorMs").asDouble()).isEqualTo(20.0);
        JsonNode two = root.path("calls").get(1);
        assertThat(two.path("interruptions").isNull()).isTrue();
        assertThat(two.path("responseGaps").isNull()).isTrue();
        JsonNode totals = root.path("totals");
        assertThat(totals.path("calls").asInt()).isEqualTo(2);
        assertThat(totals.path("interruptions").path("f1").asDouble()).isEqualTo(0.5);
        assertThat(totals.path("talkTime").path("AGENT").path("worstCallErrorRatio").isNumber()).isTrue();
        assertThat(totals.path("responseGaps").path("matched").asLong()).isEqualTo(2);

        JsonNode none = new ObjectMapper().readTree(EvaluationReport.json(List.of(), Scorer.Tolerances.DEFAULTS));
        assertThat(none.path("totals").path("voiceActivity").path("AGENT").isNull()).isTrue();
        assertThat(none.path("totals").path("overlap").path("errorMs").isNull()).isTrue();
        assertThat(none.path("totals").path("interruptions").isNull()).isTrue();
    }
}
