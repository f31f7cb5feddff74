package io.earshot.analysis.avro;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.analysis.events.DeadLetter;
import io.earshot.analysis.windows.MetricsKey;
import io.earshot.analysis.windows.Scope;
import io.earshot.analysis.windows.WindowKind;
import io.earshot.analysis.windows.WindowMetrics;
import io.earshot.analysis.summary.CallSummary;
import io.earshot.analysis.summary.TranscriptionStatus;
import io.earshot.analysis.metrics.CallMetrics;
import io.earshot.analysis.metrics.ConversationAnalysis;
import io.earshot.analysis.metrics.ListeningTotals;
import io.earshot.analysis.metrics.MetricsConfig;
import io.earshot.analysis.metrics.Spurt;
import io.earshot.schemas.AgentMetricsComputed;
import io.earshot.schemas.CallSummaryComputed;
import io.earshot.schemas.EventRejected;
import io.earshot.schemas.Role;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.List;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/** The job's outputs map onto the Avro contracts, without NaN, and survive Avro's encoding. */
class AvroOutputsTest {

    private static final long T0 = 1_763_900_000_000L;

    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecord> T roundTrip(T record) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new SpecificDatumWriter<T>(record.getSchema()).write(record, encoder);
        encoder.flush();
        return new SpecificDatumReader<T>((Class<T>) record.getClass())
                .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
    }

    @Test
    void shouldMapACallSummaryWithItsEventsAndThresholds() throws Exception {
        // customer 0-3000, agent cuts in at 1000 and takes the floor
        CallMetrics m = ConversationAnalysis.analyze(6000, List.of(new Spurt(Role.CUSTOMER, 0, 3000),
                new Spurt(Role.AGENT, 1000, 5000)), List.of(), MetricsConfig.DEFAULTS);
        CallSummary s = new CallSummary("c1", "a1", null, "q", T0, true, "ended", T0 + 11_000, m, List.of(), List.of());
        CallSummaryComputed avro = roundTrip(AvroOutputs.toAvro(s));
        assertThat(avro.getCallId()).isEqualTo("c1");
        assertThat(avro.getTeam()).isNull();
        assertThat(avro.getMediaStartTime()).isEqualTo(Instant.ofEpochMilli(T0));
        assertThat(avro.getAgentTalkMs()).isEqualTo(4000);
        assertThat(avro.getInterruptions()).singleElement().satisfies(i -> {
            assertThat(i.getBy()).isEqualTo(Role.AGENT);
            assertThat(i.getOverlapMs()).isEqualTo(2000);
            assertThat(i.getSuccessful()).isTrue();
        });
        assertThat(avro.getResponseGaps()).singleElement().satisfies(g -> assertThat(g.getGapMs()).isEqualTo(-2000));
        assertThat(avro.getMeanResponseGapMs()).isEqualTo(-2000L);
        assertThat(avro.getAgentInterruptions()).isEqualTo(1);
        assertThat(avro.getThresholds().getBackchannelTokens()).contains("uh-huh", "i see");
    }

    @Test
    void shouldCarryTheTranscriptionStatusOfADegradedCall() throws Exception {
        CallMetrics m = ConversationAnalysis.analyze(6000, List.of(new Spurt(Role.CUSTOMER, 0, 3000)), List.of(),
                MetricsConfig.DEFAULTS);
        CallSummaryComputed degraded = roundTrip(AvroOutputs.toAvro(new CallSummary("c3", "a1", null, null, T0, true,
                "ended", T0 + 11_000, m, List.of(), List.of(), new TranscriptionStatus(2, 4_310, 9_800))));
        CallSummaryComputed complete = roundTrip(AvroOutputs.toAvro(
                new CallSummary("c4", "a1", null, null, T0, true, "ended", T0 + 11_000, m, List.of(), List.of())));

        assertThat(degraded.getTranscriptionSkippedRegions()).isEqualTo(2);
        assertThat(degraded.getTranscriptionSkippedSpeechMs()).isEqualTo(4_310L);
        assertThat(degraded.getMaxTranscriptionLagMs()).isEqualTo(9_800L);
        assertThat(List.of(complete.getTranscriptionSkippedRegions(), complete.getTranscriptionSkippedSpeechMs(),
                complete.getMaxTranscriptionLagMs())).containsExactly(0, 0L, 0L);
    }

    @Test
    void shouldWriteUndefinedRatiosAsNullNotNaN() throws Exception {
        CallMetrics empty = ConversationAnalysis.analyze(0, List.of(), List.of(), MetricsConfig.DEFAULTS);
        CallSummaryComputed avro = roundTrip(AvroOutputs.toAvro(
                new CallSummary("c2", "a1", "t", "q", T0, false, null, T0, empty, List.of(), List.of())));
        assertThat(avro.getAgentTalkShare()).isNull();
        assertThat(avro.getPauseRespectRate()).isNull();
        assertThat(avro.getMeanResponseGapMs()).isNull();
        assertThat(avro.getEndReason()).isNull();
    }

    @Test
    void shouldMapAWindowWithItsTotalsAndRates() throws Exception {
        ListeningTotals totals = new ListeningTotals(600_000, 300_000, 200_000, 10_000, 110_000, 3, 2400, 1, 5, 7,
                4, 3, 1800, 0, 2);
        AgentMetricsComputed avro = roundTrip(AvroOutputs.toAvro(
                WindowMetrics.of(new MetricsKey(Scope.TEAM, "billing"), WindowKind.HOURLY, T0, T0 + 3_600_000, totals)));
        assertThat(avro.getScope().name()).isEqualTo("TEAM");
        assertThat(avro.getWindow().name()).isEqualTo("HOURLY");
        assertThat(avro.getTotals().getAgentInterruptions()).isEqualTo(3);
        assertThat(avro.getAgentInterruptionsPer10Min()).isEqualTo(3.0);
        assertThat(avro.getPauseRespectRate()).isEqualTo(0.75);
        assertThat(avro.getMeanResponseGapMs()).isEqualTo(450L);
        assertThat(avro.getWindowEnd()).isEqualTo(Instant.ofEpochMilli(T0 + 3_600_000));
    }

    @Test
    void shouldMapADeadLetterWithoutATimeToANullTime() throws Exception {
        EventRejected avro = roundTrip(AvroOutputs.toAvro(new DeadLetter(null, null, -1, "event without a call id")));
        assertThat(avro.getEventTime()).isNull();
        assertThat(avro.getReason()).isEqualTo("event without a call id");
        EventRejected timed = roundTrip(AvroOutputs.toAvro(new DeadLetter("c9", "SEGMENT", T0, "duplicate segment")));
        assertThat(timed.getEventTime()).isEqualTo(Instant.ofEpochMilli(T0));
        assertThat(timed.getCallId()).isEqualTo("c9");
    }
}
