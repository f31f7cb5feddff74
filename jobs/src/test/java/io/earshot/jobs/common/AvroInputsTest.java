package io.earshot.jobs.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.earshot.analysis.avro.AvroInputs;
import io.earshot.analysis.events.CallEvent;
import io.earshot.analysis.events.ContourBlock;
import io.earshot.analysis.events.WordItem;
import io.earshot.contracts.AvroSerde;
import io.earshot.contracts.Topics;
import io.earshot.schemas.CallAssigned;
import io.earshot.schemas.CallEnded;
import io.earshot.schemas.CallStarted;
import io.earshot.schemas.Role;
import io.earshot.schemas.SpeechActivityChanged;
import io.earshot.schemas.SpeechSegmentDetected;
import io.earshot.schemas.UtteranceTranscribed;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Avro inputs to call events and back, and the Kafka deserializer around them. */
class AvroInputsTest {

    private static final long T0 = 1_763_906_712_340L;

    static CallEvent segment() {
        CallEvent e = CallEvent.segment("c1", T0, Role.CUSTOMER, 3_000, 6_860, 196.0, 4.5, -21.7);
        e.index = 7;
        e.voicedRatio = 0.71;
        // 3000-6860 ms in 200 ms blocks: 19 full ones and one of 60 ms; values a float holds exactly
        e.contourBlockMs = 200;
        double[] loudness = new double[20];
        double[] pitch = new double[20];
        for (int i = 0; i < 20; i++) {
            loudness[i] = i == 11 ? Double.NaN : -24 + 0.25 * i;
            pitch[i] = i % 5 == 0 ? Double.NaN : 21.5 + 0.125 * i;
        }
        e.contour = new ArrayList<>(ContourBlock.onGrid(e.startMs, e.endMs, 200, loudness, pitch));
        return e;
    }

    static CallEvent unvoicedSegment() {
        CallEvent e = CallEvent.segment("c1", T0, Role.AGENT, 7_000, 7_300, Double.NaN, Double.NaN, -35.0);
        e.index = 2;
        e.voicedRatio = 0.0;
        return e;
    }

    static CallEvent utterance() {
        CallEvent e = CallEvent.utterance("c1", T0, Role.AGENT, 4_000, 5_100, "let me",
                List.of(new WordItem("let", 4_000, 4_300, 0.9), new WordItem("me", 4_300, 5_100, 0.82)));
        e.index = 3;
        return e;
    }

    static CallEvent transcription() {
        CallEvent e = CallEvent.transcription("c1", T0 + 184_320, 2_140, 1, 3_860);
        e.endMs = 184_320;
        return e;
    }

    static CallEvent awaitingStart() {
        CallEvent e = CallEvent.started("c2", "unassigned", null, null, T0);
        e.awaitingAssignment = true;
        return e;
    }

    static CallEvent assigned() {
        // an assignment's event time is when it was made (assignedAt), not when it was published
        return CallEvent.assigned("c2", T0 + 9_500, "agent-1042", "billing-east", "billing", T0 + 9_500,
                "genesys-notifications");
    }

    static Stream<Named<CallEvent>> events() {
        return Stream.of(CallEvent.started("c1", "agent-1042", "billing-east", null, T0), segment(),
                unvoicedSegment(), utterance(), transcription(), CallEvent.ended("c1", T0, 412_880, "closed"),
                awaitingStart(), assigned())
                .map(e -> Named.of(e.kind + " " + e.startMs, e));
    }

    @ParameterizedTest
    @MethodSource("events")
    void shouldReadBackEveryCallEventItWrites(CallEvent event) {
        SpecificRecord avro = AvroInputs.toAvro(event);

        CallEvent back = AvroInputs.toCallEvent(avro, event.eventTimeMs).orElseThrow();

        assertThat(back).usingRecursiveComparison().withComparatorForType(Double::compare, Double.class)
                .isEqualTo(event);
    }

    @ParameterizedTest
    @MethodSource("events")
    void shouldTakeTheEventTimeFromTheValueNotTheRecordTimestamp(CallEvent event) {
        SpecificRecord avro = AvroInputs.toAvro(event);

        assertThat(AvroInputs.toCallEvent(avro, 42L).orElseThrow().eventTimeMs).isEqualTo(event.eventTimeMs);
    }

    @Test
    void shouldTakeASpurtsEventTimeFromWhereTheDetectorClosedItAndFromItsEndInOlderRecords() {
        SpeechSegmentDetected s = (SpeechSegmentDetected) AvroInputs.toAvro(segment());
        long mediaStart = s.getMediaStartTime().toEpochMilli();
        s.setKnownAtMs(s.getEndMs() + 640);

        assertThat(AvroInputs.toCallEvent(s, 42L).orElseThrow().eventTimeMs)
                .isEqualTo(mediaStart + s.getEndMs() + 640);
        s.setKnownAtMs(null);
        assertThat(AvroInputs.toCallEvent(s, 42L).orElseThrow().eventTimeMs).isEqualTo(mediaStart + s.getEndMs());
    }

    @Test
    void shouldTakeTheRecordTimestampAsEventTimeOfARecordWithoutMediaStart() {
        SpeechSegmentDetected older = (SpeechSegmentDetected) AvroInputs.toAvro(segment());
        older.setMediaStartTime(null);
        CallEnded olderEnd = (CallEnded) AvroInputs.toAvro(CallEvent.ended("c1", T0, 412_880, "closed"));
        olderEnd.setMediaStartTime(null);

        assertThat(AvroInputs.toCallEvent(older, 42L).orElseThrow().eventTimeMs).isEqualTo(42L);
        assertThat(AvroInputs.toCallEvent(olderEnd, 43L).orElseThrow().eventTimeMs).isEqualTo(43L);
    }

    @Test
    void shouldWriteTheContractsDerivedFields() {
        SpeechSegmentDetected s = (SpeechSegmentDetected) AvroInputs.toAvro(segment());
        SpeechSegmentDetected unvoiced = (SpeechSegmentDetected) AvroInputs.toAvro(unvoicedSegment());

        assertThat(s.getSegmentIndex()).isEqualTo(7);
        assertThat(s.getPitchMedianSemitones()).isCloseTo(12 * Math.log(196.0 / 55.0) / Math.log(2),
                org.assertj.core.api.Assertions.within(1e-9));
        assertThat(s.getContourBlockMs()).isEqualTo(200L);
        assertThat(s.getContour()).hasSize(20);
        assertThat(s.getContour().get(11).getLoudnessDbfs()).isNull();
        assertThat(s.getContour().get(19).getLoudnessDbfs()).isEqualTo(-19.25f);
        assertThat(segment().contour.get(19).durationMs()).isEqualTo(60);
        assertThat(unvoiced.getContourBlockMs()).isZero();
        assertThat(unvoiced.getContour()).isEmpty();
        assertThat(unvoiced.getPitchMedianHz()).isNull();
        assertThat(unvoiced.getPitchMedianSemitones()).isNull();
        assertThat(AvroInputs.topicOf(segment())).isEqualTo(Topics.SPEECH);
        assertThat(AvroInputs.topicOf(transcription())).isEqualTo(Topics.UTTERANCES);
    }

    @Test
    void shouldRefuseToWriteASpurtWithoutItsIndex() {
        CallEvent e = CallEvent.segment("c1", T0, Role.AGENT, 0, 100, 100, 1, -20);

        assertThatThrownBy(() -> AvroInputs.toAvro(e)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SEGMENT without its index");
    }

    @Test
    void shouldNotReadPartialUtterancesOrSpeechEdges() {
        UtteranceTranscribed partial = (UtteranceTranscribed) AvroInputs.toAvro(utterance());
        partial.setIsFinal(false);
        SpeechActivityChanged edge = SpeechActivityChanged.newBuilder().setCallId("c1").setRole(Role.AGENT)
                .setAtMs(4_000).setSpeaking(true).build();

        assertThat(AvroInputs.toCallEvent(partial, T0)).isEmpty();
        assertThat(AvroInputs.toCallEvent(edge, T0)).isEmpty();
    }

    private static ConsumerRecord<byte[], byte[]> record(String topic, int partition, long offset, long timestamp,
            String key, byte[] value) {
        return new ConsumerRecord<>(topic, partition, offset, timestamp, TimestampType.CREATE_TIME, 0, 0,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8), value, new RecordHeaders(),
                java.util.Optional.empty());
    }

    private static List<CallEvent> deserialize(ConsumerRecord<byte[], byte[]> record) {
        List<CallEvent> out = new ArrayList<>();
        new CallEventDeserializer().deserialize(record, new ListCollector<>(out));
        return out;
    }

    @Test
    void shouldDecodeARecordAndTakeItsTimestampAsEventTime() {
        byte[] value = AvroSerde.of(SpeechSegmentDetected.class)
                .serialize(Topics.SPEECH, (SpeechSegmentDetected) AvroInputs.toAvro(segment()));

        List<CallEvent> out = deserialize(record(Topics.SPEECH, 1, 42, T0 + 6_860, "c1", value));

        assertThat(out).singleElement().usingRecursiveComparison()
                .withComparatorForType(Double::compare, Double.class).isEqualTo(segment());
    }

    @Test
    void shouldTurnAGarbageValueIntoAnUndecodableEventNamingWhereItWas() {
        byte[] garbage = "{\"callId\":\"c1\"}".getBytes(StandardCharsets.UTF_8);

        List<CallEvent> out = deserialize(record(Topics.SPEECH, 1, 42, T0, "c1", garbage));

        assertThat(out).singleElement().satisfies(e -> {
            assertThat(e.kind).isEqualTo(CallEvent.Kind.UNDECODABLE);
            assertThat(e.callId).isEqualTo("c1");
            assertThat(e.eventTimeMs).isEqualTo(T0);
            assertThat(e.reason).startsWith("earshot.speech partition 1 offset 42: earshot.speech: value of 15 bytes"
                    + " is not Avro single-object encoded");
        });
    }

    @Test
    void shouldRejectARecordOfAnotherTopicsType() {
        byte[] started = AvroSerde.of(CallStarted.class).serialize(Topics.SPEECH,
                (CallStarted) AvroInputs.toAvro(CallEvent.started("c1", "a", null, null, T0)));

        List<CallEvent> out = deserialize(record(Topics.SPEECH, 0, 7, T0, null, started));

        assertThat(out).singleElement().satisfies(e -> {
            assertThat(e.kind).isEqualTo(CallEvent.Kind.UNDECODABLE);
            assertThat(e.callId).isNull();
            assertThat(e.reason).contains("offset 7").contains("none of [SpeechSegmentDetected, SpeechActivityChanged]");
        });
    }

    @Test
    void shouldDecodeAnAssignmentWithWhenItWasMadeAsEventTimeWhateverTheRecordTimestamp() {
        byte[] value = AvroSerde.of(CallAssigned.class)
                .serialize(Topics.CALL_ASSIGNMENTS, (CallAssigned) AvroInputs.toAvro(assigned()));

        List<CallEvent> out = deserialize(record(Topics.CALL_ASSIGNMENTS, 0, 3, T0 + 10_000, "c2", value));

        assertThat(out).singleElement().usingRecursiveComparison()
                .withComparatorForType(Double::compare, Double.class).isEqualTo(assigned());
        assertThat(AvroInputs.topicOf(assigned())).isEqualTo(Topics.CALL_ASSIGNMENTS);
    }

    @Test
    void shouldTurnAMalformedAssignmentIntoAnUndecodableEventNamingItsTopic() {
        byte[] started = AvroSerde.of(CallStarted.class).serialize(Topics.CALL_ASSIGNMENTS,
                (CallStarted) AvroInputs.toAvro(awaitingStart()));

        assertThat(deserialize(record(Topics.CALL_ASSIGNMENTS, 1, 5, T0, "c2", started))).singleElement()
                .satisfies(e -> {
                    assertThat(e.kind).isEqualTo(CallEvent.Kind.UNDECODABLE);
                    assertThat(e.reason).startsWith("earshot.call-assignments partition 1 offset 5: ")
                            .contains("none of [CallAssigned]");
                });
        assertThat(deserialize(record(Topics.CALL_ASSIGNMENTS, 1, 6, T0, "c2", new byte[] {1, 2, 3})))
                .singleElement().satisfies(e -> assertThat(e.kind).isEqualTo(CallEvent.Kind.UNDECODABLE));
    }

    @Test
    void shouldSkipTombstones() {
        assertThat(deserialize(record(Topics.CALLS, 0, 1, T0, "c1", null))).isEmpty();
    }
}
