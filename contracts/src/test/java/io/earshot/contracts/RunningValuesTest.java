package io.earshot.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.earshot.schemas.BackchannelDetected;
import io.earshot.schemas.CallSummaryComputed;
import io.earshot.schemas.KeptEvidence;
import io.earshot.schemas.ResponseGapMeasured;
import io.earshot.schemas.Role;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link RunningValues} rebuilds a call's running values from records that carry only what
 * changed: each read back from its bytes, as a consumer of the live topic gets it.
 */
class RunningValuesTest {

    private static final AvroSerde<CallSummaryComputed> SERDE = AvroSerde.of(CallSummaryComputed.class);

    /** A running value of the call at {@code atMs} with these backchannels and response gaps. */
    private static CallSummaryComputed value(String call, long atMs, List<BackchannelDetected> backchannels,
            List<ResponseGapMeasured> gaps, KeptEvidence kept) {
        CallSummaryComputed s = CallSummaryComputed.newBuilder(AvroSerdeTest.finalSummary())
                .setCallId(call).setIsFinal(false).setEndReason(null)
                .setEmittedAt(AvroSerdeTest.MEDIA_START.plusMillis(atMs)).setDurationMs(atMs)
                .setBackchannels(new ArrayList<>(backchannels)).setResponseGaps(new ArrayList<>(gaps))
                .setKeptEvidence(kept).build();
        if (kept != null) { // the one interruption and dead air of the summary were sent before
            s.setInterruptions(List.of());
            s.setDeadAir(List.of());
        }
        return SERDE.deserialize(Topics.CALL_LIVE, SERDE.serialize(Topics.CALL_LIVE, s));
    }

    private static KeptEvidence kept(long previousAtMs, int backchannels, int gaps) {
        return new KeptEvidence(AvroSerdeTest.MEDIA_START.plusMillis(previousAtMs), 1, backchannels, gaps, 0, 1, 0, 0,
                0);
    }

    private static BackchannelDetected mhm(long atMs) {
        return new BackchannelDetected(Role.AGENT, atMs, atMs + 400, "mm-hmm");
    }

    private static ResponseGapMeasured gap(long atMs, long gapMs) {
        return new ResponseGapMeasured(atMs, atMs + gapMs, gapMs, gapMs >= 300);
    }

    @Test
    void aCallsRunningValuesComeWholeFromTheChangesTheyCarry() {
        RunningValues reader = new RunningValues();
        CallSummaryComputed first = reader.accept(value("c1", 1_000, List.of(mhm(100)), List.of(gap(200, 250)), null));
        assertThat(first.getBackchannels()).containsExactly(mhm(100));

        // keeps the backchannel, replaces the gap (revised), adds one of each
        CallSummaryComputed second = reader.accept(value("c1", 1_050, List.of(mhm(900)),
                List.of(gap(200, 310), gap(800, 120)), kept(1_000, 1, 0)));
        assertThat(second.getKeptEvidence()).isNull();
        assertThat(second.getBackchannels()).containsExactly(mhm(100), mhm(900));
        assertThat(second.getResponseGaps()).containsExactly(gap(200, 310), gap(800, 120));
        // lists the record kept whole (interruptions, dead air) and ones it had nothing of
        assertThat(second.getInterruptions()).isEqualTo(first.getInterruptions()).hasSize(1);
        assertThat(second.getDeadAir()).isEqualTo(first.getDeadAir()).hasSize(1);

        CallSummaryComputed third = reader.accept(value("c1", 1_100, List.of(), List.of(), kept(1_050, 2, 2)));
        assertThat(third.getBackchannels()).containsExactly(mhm(100), mhm(900));
        assertThat(third.getResponseGaps()).containsExactly(gap(200, 310), gap(800, 120));

        // the same record again (at-least-once delivery) gives the same whole value
        assertThat(reader.accept(value("c1", 1_100, List.of(), List.of(), kept(1_050, 2, 2)))).isSameAs(third);
    }

    @Test
    void aValueThatContinuesOneNotReadWaitsForTheCallsNextWholeOne() {
        RunningValues reader = new RunningValues();
        // started reading in the middle of the call
        assertThat(reader.accept(value("c2", 5_000, List.of(mhm(4_900)), List.of(), kept(4_950, 3, 0)))).isNull();
        reader.accept(value("c2", 6_000, List.of(mhm(100), mhm(5_500)), List.of(), null));
        // a record lost between: the next one names a previous value this reader does not have
        assertThat(reader.accept(value("c2", 6_100, List.of(mhm(6_050)), List.of(), kept(6_050, 2, 0)))).isNull();
        assertThat(reader.accept(value("c2", 6_200, List.of(mhm(6_150)), List.of(), kept(6_100, 2, 0)))).isNull();
        CallSummaryComputed whole = reader.accept(value("c2", 6_300,
                List.of(mhm(100), mhm(5_500), mhm(6_050), mhm(6_150)), List.of(), null));
        assertThat(whole.getBackchannels()).hasSize(4);
        assertThat(reader.accept(value("c2", 6_350, List.of(), List.of(), kept(6_300, 4, 0))).getBackchannels())
                .isEqualTo(whole.getBackchannels());
        // other calls are not touched by one call's gap
        assertThat(reader.calls()).isEqualTo(1);
    }

    @Test
    void aFinalSummaryEndsTheCallAndARecordKeepingMoreThanThereWasIsAnError() {
        RunningValues reader = new RunningValues();
        reader.accept(value("c3", 1_000, List.of(mhm(100)), List.of(), null));
        assertThatThrownBy(() -> reader.accept(value("c3", 1_050, List.of(), List.of(), kept(1_000, 2, 0))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keeps 2 items of a list of 1");
        CallSummaryComputed last = CallSummaryComputed.newBuilder(AvroSerdeTest.finalSummary()).setCallId("c3").build();
        assertThat(reader.accept(last)).isSameAs(last);
        assertThat(reader.calls()).isZero();
        reader.accept(value("c4", 1_000, List.of(), List.of(), null));
        reader.forget("c4");
        assertThat(reader.calls()).isZero();
    }
}
