package io.earshot.analysis.evaluation.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.analysis.evaluation.CallTruth;
import io.earshot.analysis.evaluation.TruthBackchannel;
import io.earshot.analysis.evaluation.TruthInterruption;
import io.earshot.analysis.evaluation.TruthResponseGap;
import io.earshot.analysis.evaluation.TruthSegment;
import io.earshot.schemas.Role;
import org.junit.jupiter.api.Test;

class TruthLabellerTest {

    private static CallTruth truth() {
        return TruthLabeller.label(Realizer.realize(ScriptedCalls.script(), ScriptedCalls.TIMINGS, Realizer.EXACT_MARGIN_MS));
    }

    @Test
    void shouldMakeTalkSpurtsOfPhrasesAndNoisesBridgingShortGapsAndDroppingClicks() {
        assertThat(truth().speech()).containsExactly(
                new TruthSegment(Role.AGENT, 500, 3100),
                new TruthSegment(Role.CUSTOMER, 3600, 5100),
                new TruthSegment(Role.CUSTOMER, 5500, 6700),
                new TruthSegment(Role.AGENT, 5700, 6000),
                new TruthSegment(Role.CUSTOMER, 7000, 8500),
                new TruthSegment(Role.AGENT, 7600, 9400),
                new TruthSegment(Role.AGENT, 9700, 11200),
                new TruthSegment(Role.CUSTOMER, 11700, 12600),
                new TruthSegment(Role.AGENT, 12900, 14400),
                new TruthSegment(Role.AGENT, 15000, 15300));
    }

    @Test
    void shouldLabelTheScriptedInterruptionAndBackchannel() {
        CallTruth truth = truth();

        assertThat(truth.events().interruptions())
                .containsExactly(new TruthInterruption(Role.AGENT, Role.CUSTOMER, 7600, true));
        assertThat(truth.events().backchannels()).containsExactly(new TruthBackchannel(Role.AGENT, 5700, 6000));
    }

    @Test
    void shouldLabelACustomerToAgentGapPerTransferFromTheCustomersLineEnd() {
        assertThat(truth().events().responseGaps()).containsExactly(
                new TruthResponseGap(8500, 7600), new TruthResponseGap(12600, 12900));
    }

    @Test
    void shouldKeepTheCallsIdAndLength() {
        CallTruth truth = truth();

        assertThat(truth.callId()).isEqualTo("scripted");
        assertThat(truth.durationMs()).isEqualTo(15800);
    }
}
