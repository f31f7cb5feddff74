package io.earshot.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.earshot.schemas.BackchannelDetected;
import io.earshot.schemas.CallEnded;
import io.earshot.schemas.CallStarted;
import io.earshot.schemas.CallSummaryComputed;
import io.earshot.schemas.ChannelRole;
import io.earshot.schemas.DeadAirDetected;
import io.earshot.schemas.InterruptionDetected;
import io.earshot.schemas.MetricThresholds;
import io.earshot.schemas.ResponseGapMeasured;
import io.earshot.schemas.Role;
import io.earshot.schemas.SourceProtocol;
import io.earshot.schemas.SpeechSegmentDetected;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class AvroSerdeTest {

    private static final String CALL_ID = "ah-7f3c2a9e-5b1d-4e8a-9c40-2d6f1b8e0a13";
    static final Instant MEDIA_START = Instant.parse("2025-11-23T14:05:12.340Z");

    static CallStarted callStarted() {
        return CallStarted.newBuilder()
                .setCallId(CALL_ID)
                .setAgentId("agent-1042")
                .setTeam("billing-east")
                .setSourceProtocol(SourceProtocol.AUDIOHOOK)
                .setChannels(List.of(new ChannelRole(0, "external", Role.CUSTOMER),
                        new ChannelRole(1, "internal", Role.AGENT)))
                .setMediaStartTime(MEDIA_START)
                .setSampleRate(8000)
                .build();
    }

    static SpeechSegmentDetected segment(String callId, int index) {
        return SpeechSegmentDetected.newBuilder()
                .setCallId(callId)
                .setRole(index % 2 == 0 ? Role.CUSTOMER : Role.AGENT)
                .setSegmentIndex(index)
                .setStartMs(1_000L * index)
                .setEndMs(1_000L * index + 860)
                .setPitchMedianHz(index % 3 == 0 ? null : 196.0)
                .setPitchMedianSemitones(index % 3 == 0 ? null : 22.0)
                .setPitchRangeSemitones(index % 3 == 0 ? null : 6.4)
                .setLoudnessDbfs(-21.7)
                .setVoicedRatio(0.68)
                .build();
    }

    static CallSummaryComputed finalSummary() {
        return CallSummaryComputed.newBuilder()
                .setCallId(CALL_ID)
                .setAgentId("agent-1042")
                .setMediaStartTime(MEDIA_START)
                .setIsFinal(true)
                .setEndReason("ended")
                .setEmittedAt(MEDIA_START.plusMillis(412_880 + 5_000))
                .setDurationMs(412_880)
                .setAgentTalkMs(171_600)
                .setCustomerTalkMs(209_740)
                .setOverlapMs(10_200)
                .setSilenceMs(41_740)
                .setAgentTalkShare(0.45)
                .setInterruptions(List.of(new InterruptionDetected(Role.AGENT, Role.CUSTOMER, 61_240L, 940L, true,
                        "let me stop you there", "i was charged twice")))
                .setBackchannels(List.of(new BackchannelDetected(Role.AGENT, 70_110L, 70_420L, "mm-hmm")))
                .setResponseGaps(List.of(new ResponseGapMeasured(95_410L, 95_980L, 570L, true)))
                .setPauseIntrusions(List.of())
                .setDeadAir(List.of(new DeadAirDetected(301_450L, 308_930L)))
                .setPauseRespectRate(1.0)
                .setMeanResponseGapMs(570L)
                .setAgentInterruptionsPer10Min(1.453206742879287)
                .setAgentInterruptions(1)
                .setLongestAgentMonologueMs(48_320)
                .setLongestCustomerStoryMs(36_870)
                .setThresholds(new MetricThresholds(300L, 600L, 2_000L, 1_000L, 2_000L, List.of("uh-huh", "mm-hmm"), 1_000L,
                        300L, 1_500L, 5_000L, 0.35, 0.55))
                .build();
    }

    static Stream<Named<SpecificRecord>> builtRecords() {
        return Stream.of(callStarted(), segment(CALL_ID, 7), segment(CALL_ID, 9), finalSummary())
                .map(r -> Named.of(r.getClass().getSimpleName(), r));
    }

    @ParameterizedTest
    @MethodSource("builtRecords")
    void shouldRoundTripRecordBuiltWithItsBuilder(SpecificRecord record) {
        AvroSerde<SpecificRecord> serde = serdeFor(record.getClass());

        byte[] bytes = serde.serialize(Topics.SPEECH, record);

        // Single-object encoding: marker, then the fingerprint of the record's schema.
        assertThat(bytes).startsWith((byte) 0xC3, (byte) 0x01);
        assertThat(serde.deserialize(Topics.SPEECH, bytes)).isEqualTo(record).isNotSameAs(record);
    }

    static Stream<Named<Path>> goldenExamples() throws IOException {
        String dir = System.getProperty("earshot.schemas.golden");
        assertThat(dir).as("system property earshot.schemas.golden (set by the pom)").isNotNull();
        List<Path> files;
        try (Stream<Path> list = Files.list(Path.of(dir))) {
            files = list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(9);
        return files.stream().map(p -> Named.of(p.getFileName().toString(), p));
    }

    @ParameterizedTest
    @MethodSource("goldenExamples")
    void shouldRoundTripEveryGoldenExampleOfTheSchemas(Path golden) throws Exception {
        String name = golden.getFileName().toString().replaceFirst("\\.json$", "");
        Class<? extends SpecificRecord> type =
                Class.forName("io.earshot.schemas." + name).asSubclass(SpecificRecord.class);
        SpecificDatumReader<SpecificRecord> reader = new SpecificDatumReader<>(
                SpecificData.getForClass(type).getSchema(type), SpecificData.getForClass(type).getSchema(type),
                SpecificData.getForClass(type));
        SpecificRecord record = reader.read(null, DecoderFactory.get().jsonDecoder(reader.getSchema(),
                Files.readString(golden, StandardCharsets.UTF_8)));
        AvroSerde<SpecificRecord> serde = serdeFor(type);

        SpecificRecord back = serde.deserialize("earshot.test", serde.serialize("earshot.test", record));

        assertThat(back).isInstanceOf(type).isEqualTo(record);
    }

    @Test
    void shouldTellApartTheRecordTypesOfOneTopic() {
        AvroSerde<SpecificRecord> calls = AvroSerde.ofAny(CallStarted.class, CallEnded.class);
        CallEnded ended = new CallEnded(CALL_ID, 412_880L, "closed", Instant.parse("2025-11-23T14:12:05.432Z"), null);

        SpecificRecord first = calls.deserialize(Topics.CALLS, calls.serialize(Topics.CALLS, callStarted()));
        SpecificRecord second = calls.deserialize(Topics.CALLS, calls.serialize(Topics.CALLS, ended));

        assertThat(first).isInstanceOf(CallStarted.class).isEqualTo(callStarted());
        assertThat(second).isInstanceOf(CallEnded.class).isEqualTo(ended);
    }

    @Test
    void shouldRejectRecordOfAnotherTypeNamingTheTopicAndTheExpectedType() {
        byte[] started = AvroSerde.of(CallStarted.class).serialize(Topics.CALLS, callStarted());

        assertThatThrownBy(() -> AvroSerde.of(SpeechSegmentDetected.class).deserialize(Topics.SPEECH, started))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("earshot.speech: ")
                .hasMessageContaining("none of [SpeechSegmentDetected]");
    }

    @Test
    void shouldRejectTruncatedValueAsCorrupt() {
        byte[] bytes = AvroSerde.of(SpeechSegmentDetected.class).serialize(Topics.SPEECH, segment(CALL_ID, 7));
        byte[] truncated = Arrays.copyOf(bytes, bytes.length - 12);

        assertThatThrownBy(() -> AvroSerde.of(SpeechSegmentDetected.class).deserialize(Topics.SPEECH, truncated))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("earshot.speech: corrupt SpeechSegmentDetected value of " + truncated.length + " bytes");
    }

    @Test
    void shouldRejectValueThatIsNotSingleObjectEncoded() {
        byte[] json = "{\"callId\":\"c1\"}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> AvroSerde.of(CallStarted.class).deserialize(Topics.CALLS, json))
                .isInstanceOf(SerializationException.class)
                .hasMessage("earshot.calls: value of 15 bytes is not Avro single-object encoded (expected [CallStarted])");
        assertThatThrownBy(() -> AvroSerde.of(CallStarted.class).deserialize(Topics.CALLS, new byte[] {(byte) 0xC3}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("not Avro single-object encoded");
    }

    @Test
    void shouldRefuseToWriteRecordTypeTheSerdeDoesNotCarry() {
        AvroSerde<SpecificRecord> calls = AvroSerde.ofAny(CallStarted.class, CallEnded.class);

        assertThatThrownBy(() -> calls.serialize(Topics.CALLS, segment(CALL_ID, 1)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("earshot.calls: cannot write a io.earshot.schemas.SpeechSegmentDetected")
                .hasMessageContaining("[CallStarted, CallEnded]");
    }

    @Test
    void shouldReadValueOfAnOlderSchemaVersionOnlyWhenGivenThatSchema() throws IOException {
        // An earlier CallStarted without the optional team and queue fields.
        Schema current = CallStarted.getClassSchema();
        SchemaBuilder.FieldAssembler<Schema> fields = SchemaBuilder.record(current.getName())
                .namespace(current.getNamespace()).fields();
        for (Schema.Field field : current.getFields()) {
            if (!field.name().equals("team") && !field.name().equals("queue")) {
                fields = fields.name(field.name()).type(field.schema()).noDefault();
            }
        }
        Schema older = fields.endRecord();
        GenericRecord old = new GenericData.Record(older);
        CallStarted expected = callStarted();
        expected.setTeam(null);
        for (Schema.Field field : older.getFields()) {
            old.put(field.name(), expected.get(field.name()));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new BinaryMessageEncoder<GenericRecord>(SpecificData.getForClass(CallStarted.class), older).encode(old, out);
        byte[] bytes = out.toByteArray();

        assertThatThrownBy(() -> AvroSerde.of(CallStarted.class).deserialize(Topics.CALLS, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("none of [CallStarted]");
        assertThat(AvroSerde.of(CallStarted.class).withWriterSchemas(List.of(older)).deserialize(Topics.CALLS, bytes))
                .isEqualTo(expected);
    }

    @Test
    void shouldMapTombstoneToNullBothWays() {
        AvroSerde<CallStarted> serde = AvroSerde.of(CallStarted.class);

        assertThat(serde.serialize(Topics.CALLS, null)).isNull();
        assertThat(serde.deserialize(Topics.CALLS, null)).isNull();
    }

    @SuppressWarnings("unchecked")
    private static AvroSerde<SpecificRecord> serdeFor(Class<? extends SpecificRecord> type) {
        return (AvroSerde<SpecificRecord>) (AvroSerde<?>) AvroSerde.of(type);
    }

    /**
     * A value of a few bytes whose string length or array count claims more than it holds must be
     * refused before anything that size is allocated: Avro's decoders would allocate first, and a
     * count of a billion ends in an OutOfMemoryError that no consumer catches.
     */
    @ParameterizedTest
    @ValueSource(longs = {1_000_000L, 1_000_000_000L, Integer.MAX_VALUE - 8L})
    void shouldRejectLengthsAndCountsBeyondTheValueWithoutAllocatingThem(long claimed) throws Exception {
        AvroSerde<SpecificRecord> calls = AvroSerde.ofAny(CallStarted.class, CallEnded.class);
        byte[] header = Arrays.copyOf(calls.serialize(Topics.CALLS,
                new CallEnded(CALL_ID, 1L, "closed", Instant.EPOCH, null)), 10);
        // CallEnded whose callId claims `claimed` bytes; CallStarted whose channels claim `claimed` items
        byte[] longString = concat(header, zigzag(claimed), "ah".getBytes(StandardCharsets.US_ASCII));
        byte[] startedHeader = Arrays.copyOf(calls.serialize(Topics.CALLS, callStarted()), 10);
        byte[] manyItems = concat(startedHeader, zigzag(1), new byte[] {'c'}, zigzag(1), new byte[] {'a'},
                zigzag(0), zigzag(0), zigzag(0), zigzag(claimed), new byte[] {2, 2});

        for (byte[] value : List.of(longString, manyItems)) {
            long before = allocatedBytes();
            assertThatThrownBy(() -> calls.deserialize(Topics.CALLS, value))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageStartingWith(Topics.CALLS + ": corrupt ")
                    .hasMessageContaining("exceeds the");
            assertThat(allocatedBytes() - before).as("bytes allocated decoding %d bytes", value.length)
                    .isLessThan(16L << 20);
        }
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    private static byte[] zigzag(long value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        encoder.writeLong(value);
        encoder.flush();
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void shouldReadAValueWrittenBeforeTheInputRecordsCarriedTheirMediaStart() throws Exception {
        org.apache.avro.Schema earlier = AvroSerde.earlierVersions(CallEnded.class).get(0);
        org.apache.avro.generic.GenericData.Record old = new org.apache.avro.generic.GenericData.Record(earlier);
        old.put("callId", CALL_ID);
        old.put("endMs", 412_880L);
        old.put("reason", "closed");
        old.put("endedAt", 1_763_907_125_432L);
        java.nio.ByteBuffer encoded = new org.apache.avro.message.BinaryMessageEncoder<org.apache.avro.generic.GenericData.Record>(
                org.apache.avro.generic.GenericData.get(), earlier).encode(old);
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);

        CallEnded read = AvroSerde.of(CallEnded.class).deserialize(Topics.CALLS, bytes);

        assertThat(earlier.getField("mediaStartTime")).isNull();
        assertThat(read.getEndMs()).isEqualTo(412_880L);
        assertThat(read.getMediaStartTime()).isNull();
        assertThat(AvroSerde.earlierVersions(SpeechSegmentDetected.class)).hasSize(1);
    }

    /** A final summary written before running values named the evidence they keep (call-summaries keeps a month). */
    @Test
    void shouldReadASummaryWrittenBeforeRunningValuesKeptEvidence() throws Exception {
        org.apache.avro.Schema earlier = AvroSerde.earlierVersions(CallSummaryComputed.class).get(0);
        CallSummaryComputed summary = finalSummary();
        // the same summary as the earlier schema writes it: read with that schema, encoded with it
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        org.apache.avro.io.BinaryEncoder enc = org.apache.avro.io.EncoderFactory.get().binaryEncoder(plain, null);
        new org.apache.avro.specific.SpecificDatumWriter<CallSummaryComputed>(CallSummaryComputed.getClassSchema())
                .write(summary, enc);
        enc.flush();
        org.apache.avro.generic.GenericRecord old = new org.apache.avro.generic.GenericDatumReader<
                org.apache.avro.generic.GenericRecord>(CallSummaryComputed.getClassSchema(), earlier)
                .read(null, org.apache.avro.io.DecoderFactory.get().binaryDecoder(plain.toByteArray(), null));
        java.nio.ByteBuffer encoded = new org.apache.avro.message.BinaryMessageEncoder<
                org.apache.avro.generic.GenericRecord>(org.apache.avro.generic.GenericData.get(), earlier).encode(old);
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);

        CallSummaryComputed read = AvroSerde.of(CallSummaryComputed.class).deserialize(Topics.CALL_SUMMARIES, bytes);

        assertThat(earlier.getField("keptEvidence")).isNull();
        assertThat(read).isEqualTo(summary);
        assertThat(read.getKeptEvidence()).isNull();
    }
}
