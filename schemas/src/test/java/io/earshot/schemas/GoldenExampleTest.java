package io.earshot.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.io.JsonEncoder;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One realistic example per event record, in Avro's JSON encoding, under
 * {@code src/test/resources/golden/<RecordName>.json}. The examples are what consumers and
 * integrators read to learn the contract, so they must decode with the current classes and
 * survive both encodings unchanged.
 */
class GoldenExampleTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CALL_ID = "ah-7f3c2a9e-5b1d-4e8a-9c40-2d6f1b8e0a13";

  /** Field values specific to each golden file; every event record needs an entry. */
  private static final List<GoldenCase<?>> CASES = List.of(
      GoldenCase.of(CallStarted.class, call -> {
        assertThat(call.getCallId()).isEqualTo(CALL_ID);
        assertThat(call.getTeam()).isEqualTo("billing-east");
        assertThat(call.getQueue()).isNull();
        assertThat(call.getSourceProtocol()).isEqualTo(SourceProtocol.AUDIOHOOK);
        assertThat(call.getChannels())
            .extracting(ChannelRole::getChannel, ChannelRole::getLabel, ChannelRole::getRole)
            .containsExactly(tuple(0, "external", Role.CUSTOMER), tuple(1, "internal", Role.AGENT));
        assertThat(call.getMediaStartTime()).isEqualTo(Instant.parse("2025-11-23T14:05:12.340Z"));
      }),
      GoldenCase.of(CallEnded.class, ended -> {
        assertThat(ended.getEndMs()).isEqualTo(412_880L);
        assertThat(ended.getReason()).isEqualTo("closed");
        assertThat(ended.getEndedAt()).isEqualTo(Instant.parse("2025-11-23T14:12:05.432Z"));
      }),
      GoldenCase.of(SpeechActivityChanged.class, edge -> {
        assertThat(edge.getRole()).isEqualTo(Role.AGENT);
        assertThat(edge.getAtMs()).isEqualTo(61_240L);
        assertThat(edge.getSpeaking()).isTrue();
      }),
      GoldenCase.of(SpeechSegmentDetected.class, segment -> {
        assertThat(segment.getRole()).isEqualTo(Role.CUSTOMER);
        assertThat(segment.getSegmentIndex()).isEqualTo(7);
        assertThat(segment.getEndMs() - segment.getStartMs()).isEqualTo(3_860L);
        assertThat(segment.getPitchMedianHz()).isEqualTo(196.0);
        // Semitones relative to 55 Hz: 12 * log2(196 / 55).
        assertThat(segment.getPitchMedianSemitones())
            .isCloseTo(12 * Math.log(196.0 / 55.0) / Math.log(2), within(0.01));
        assertThat(segment.getLoudnessDbfs()).isEqualTo(-21.7);
      }),
      GoldenCase.of(UtteranceTranscribed.class, utterance -> {
        assertThat(utterance.getIsFinal()).isTrue();
        assertThat(utterance.getText()).isEqualTo("i was charged twice for the same month");
        assertThat(utterance.getWords()).extracting(Word::getWord)
            .containsExactly(utterance.getText().split(" "));
        assertThat(utterance.getWords().get(0).getStartMs()).isEqualTo(utterance.getStartMs());
        assertThat(utterance.getWords().get(7).getConf()).isEqualTo(0.82);
      }),
      GoldenCase.of(RawAudioChunk.class, chunk -> {
        assertThat(chunk.getEncoding()).isEqualTo(AudioEncoding.PCMU);
        assertThat(chunk.getSequence()).isEqualTo(2_931L);
        // 20 ms of 8 kHz mu-law, one byte per sample; the chunk starts where its sequence says.
        assertThat(chunk.getPayload().remaining()).isEqualTo(160);
        assertThat(chunk.getPositionMs()).isEqualTo(chunk.getSequence() * 20);
        assertThat(chunk.getPayload().get(0)).isEqualTo((byte) 0x78);
      }));

  static Stream<Named<GoldenCase<?>>> goldenCases() {
    return CASES.stream().map(c -> Named.of(c.type().getSimpleName(), c));
  }

  @ParameterizedTest
  @MethodSource("goldenCases")
  void shouldDecodeGoldenExampleWithItsExpectedValues(GoldenCase<?> golden) throws IOException {
    golden.decodeAndCheck();
  }

  @ParameterizedTest
  @MethodSource("goldenCases")
  void shouldRoundTripGoldenExampleThroughBinaryEncoding(GoldenCase<?> golden) throws IOException {
    assertThat(golden.binaryRoundTrip()).isEqualTo(golden.decode());
  }

  @ParameterizedTest
  @MethodSource("goldenCases")
  void shouldReEncodeGoldenExampleToTheSameJson(GoldenCase<?> golden) throws IOException {
    assertThat(JSON.readTree(golden.reEncodedJson())).isEqualTo(JSON.readTree(golden.json()));
  }

  @Test
  void shouldHaveGoldenExampleAndCaseForEveryEventRecord() {
    List<String> covered = CASES.stream().map(c -> c.type().getName()).toList();

    assertThat(SchemaCatalog.eventRecordNames())
        .isNotEmpty()
        .allSatisfy(name -> assertThat(SchemaCatalog.goldenExample(name))
            .as("golden example for %s", name)
            .isRegularFile())
        .containsExactlyInAnyOrderElementsOf(covered);
  }

  /** A golden file, the generated class it decodes to, and what that file must contain. */
  record GoldenCase<T extends SpecificRecord>(Class<T> type, Consumer<T> expectations) {

    static <T extends SpecificRecord> GoldenCase<T> of(Class<T> type, Consumer<T> expectations) {
      return new GoldenCase<>(type, expectations);
    }

    String json() throws IOException {
      return Files.readString(SchemaCatalog.goldenExample(type.getName()), StandardCharsets.UTF_8);
    }

    T decode() throws IOException {
      SpecificDatumReader<T> reader = new SpecificDatumReader<>(type);
      return reader.read(null, DecoderFactory.get().jsonDecoder(reader.getSchema(), json()));
    }

    void decodeAndCheck() throws IOException {
      expectations.accept(decode());
    }

    T binaryRoundTrip() throws IOException {
      T record = decode();
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
      new SpecificDatumWriter<>(type).write(record, encoder);
      encoder.flush();
      return new SpecificDatumReader<>(type)
          .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
    }

    String reEncodedJson() throws IOException {
      T record = decode();
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      JsonEncoder encoder = EncoderFactory.get().jsonEncoder(record.getSchema(), bytes);
      new SpecificDatumWriter<>(type).write(record, encoder);
      encoder.flush();
      return bytes.toString(StandardCharsets.UTF_8);
    }
  }
}
