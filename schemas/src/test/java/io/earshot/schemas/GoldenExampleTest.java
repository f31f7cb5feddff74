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
        // The source named the agent; a call on ingest's default agent would await its assignment.
        assertThat(call.getAwaitingAssignment()).isFalse();
      }),
      GoldenCase.of(CallAssigned.class, assigned -> {
        assertThat(assigned.getCallId()).isEqualTo(CALL_ID);
        assertThat(assigned.getAgentId()).isEqualTo("agent-1042");
        assertThat(assigned.getTeam()).isEqualTo("billing-east");
        assertThat(assigned.getQueue()).isEqualTo("billing");
        // The agent answered 10 s after the call's audio started (CallStarted.mediaStartTime).
        assertThat(assigned.getAssignedAt()).isEqualTo(Instant.parse("2025-11-23T14:05:22.340Z"));
        assertThat(assigned.getSource()).isEqualTo("genesys-notifications");
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
        assertThat(edge.getProvisional()).isFalse();
      }),
      GoldenCase.of(SpeechSegmentDetected.class, segment -> {
        assertThat(segment.getRole()).isEqualTo(Role.CUSTOMER);
        assertThat(segment.getSegmentIndex()).isEqualTo(7);
        assertThat(segment.getEndMs() - segment.getStartMs()).isEqualTo(3_860L);
        // Closed 640 ms after its end: 250 ms of silence and 390 ms of the detector's look-ahead.
        assertThat(segment.getKnownAtMs() - segment.getEndMs()).isEqualTo(640L);
        assertThat(segment.getPitchMedianHz()).isEqualTo(196.0);
        // Semitones relative to 55 Hz: 12 * log2(196 / 55).
        assertThat(segment.getPitchMedianSemitones())
            .isCloseTo(12 * Math.log(196.0 / 55.0) / Math.log(2), within(0.01));
        assertThat(segment.getLoudnessDbfs()).isEqualTo(-21.7);
        // One block per started 200 ms of the segment, the last one shorter.
        assertThat(segment.getContourBlockMs()).isEqualTo(200L);
        assertThat(segment.getContour()).hasSize(20);
        // A block inside a bridged pause has no speech frame, hence neither level nor pitch.
        assertThat(segment.getContour().get(11).getLoudnessDbfs()).isNull();
        assertThat(segment.getContour().get(11).getPitchSemitones()).isNull();
        assertThat(segment.getContour().get(8).getLoudnessDbfs()).isEqualTo(-19.75f);
        assertThat(segment.getContour().get(8).getPitchSemitones()).isEqualTo(24.0f);
      }),
      GoldenCase.of(TranscriptionStatusReported.class, status -> {
        assertThat(status.getLagMs()).isEqualTo(2_140L);
        assertThat(status.getSkippedRegions()).isEqualTo(1);
        assertThat(status.getSkippedSpeechMs()).isEqualTo(3_860L);
        assertThat(status.getIsFinal()).isFalse();
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
      }),
      GoldenCase.of(CallSummaryComputed.class, summary -> {
        assertThat(summary.getCallId()).isEqualTo(CALL_ID);
        assertThat(summary.getQueue()).isNull();
        assertThat(summary.getIsFinal()).isTrue();
        assertThat(summary.getEndReason()).isEqualTo("ended");
        // The final summary holds at the call's end (CallEnded.endMs) plus the job's 5 s grace.
        assertThat(summary.getDurationMs()).isEqualTo(412_880L);
        assertThat(summary.getEmittedAt()).isEqualTo(summary.getMediaStartTime()
            .plusMillis(summary.getDurationMs() + 5_000));
        assertThat(summary.getEmittedAt()).isEqualTo(Instant.parse("2025-11-23T14:12:10.220Z"));
        // Overlap counts for both parties; silence is what neither covers.
        assertThat(summary.getSilenceMs()).isEqualTo(summary.getDurationMs()
            - (summary.getAgentTalkMs() + summary.getCustomerTalkMs() - summary.getOverlapMs()));
        assertThat(summary.getAgentTalkShare()).isEqualTo(0.45).isEqualTo(
            summary.getAgentTalkMs() / (double) (summary.getAgentTalkMs() + summary.getCustomerTalkMs()));
        assertThat(summary.getInterruptions())
            .extracting(InterruptionDetected::getBy, InterruptionDetected::getOf,
                InterruptionDetected::getStartMs, InterruptionDetected::getSuccessful)
            .containsExactly(tuple(Role.AGENT, Role.CUSTOMER, 61_240L, true),
                tuple(Role.CUSTOMER, Role.AGENT, 187_350L, false));
        assertThat(summary.getAgentInterruptions()).isEqualTo(
            summary.getInterruptions().stream().filter(i -> i.getBy() == Role.AGENT).count());
        assertThat(summary.getAgentInterruptionsPer10Min())
            .isCloseTo(summary.getAgentInterruptions() * 600_000.0 / summary.getDurationMs(), within(1e-12));
        assertThat(summary.getBackchannels()).extracting(BackchannelDetected::getText)
            .containsExactly("mm-hmm", "okay");
        assertThat(summary.getResponseGaps()).allSatisfy(gap -> {
          assertThat(gap.getGapMs()).isEqualTo(gap.getAgentStartMs() - gap.getCustomerEndMs());
          assertThat(gap.getRespected())
              .isEqualTo(gap.getGapMs() >= summary.getThresholds().getPauseRespectMinGapMs());
        });
        assertThat(summary.getPauseRespectRate()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(summary.getMeanResponseGapMs()).isEqualTo(Math.round(summary.getResponseGaps().stream()
            .mapToLong(ResponseGapMeasured::getGapMs).average().orElseThrow())).isEqualTo(-50L);
        assertThat(summary.getPauseIntrusions()).extracting(PauseIntrusionDetected::getAgentStartMs)
            .containsExactly(249_020L);
        assertThat(summary.getDeadAir()).singleElement().satisfies(silence ->
            assertThat(silence.getEndMs() - silence.getStartMs())
                .isGreaterThanOrEqualTo(summary.getThresholds().getDeadAirMinMs()));
        // The defaults of docs/metrics.md.
        MetricThresholds thresholds = summary.getThresholds();
        assertThat(thresholds.getInterruptionMinOverlapMs()).isEqualTo(600L);
        assertThat(thresholds.getBackchannelTokens()).hasSize(24).contains("mm-hmm", "mm hmm", "mhmm", "got it", "oh");
        assertThat(thresholds.getBackchannelTokenMaxMs()).isEqualTo(2_000L);
        assertThat(thresholds.getContinuationMs()).isEqualTo(1_000L);
        assertThat(thresholds.getTalkShareLow()).isEqualTo(0.35);
        assertThat(thresholds.getTalkShareHigh()).isEqualTo(0.55);
        // A degraded transcript says so: the call's TranscriptionStatusReported golden example.
        assertThat(summary.getTranscriptionSkippedRegions()).isEqualTo(1);
        assertThat(summary.getTranscriptionSkippedSpeechMs()).isEqualTo(3_860L);
        assertThat(summary.getMaxTranscriptionLagMs()).isEqualTo(2_140L);
        // Listening: evidence behind every behaviour and note, and a score its components explain.
        assertThat(summary.getBehaviours()).extracting(BehaviourDetected::getKind)
            .containsExactly("open_question", "paraphrase", "empathy", "closed_question", "follow_up");
        assertThat(summary.getBehaviours()).allSatisfy(b -> {
          assertThat(b.getEndMs()).isGreaterThan(b.getStartMs());
          assertThat(b.getReason()).isNotBlank();
        });
        assertThat(summary.getToneEvents()).singleElement().satisfies(e -> {
          assertThat(e.getKind()).isEqualTo("raised_voice");
          assertThat(e.getValues().get("excessDb"))
              .isCloseTo(e.getValues().get("loudnessDb") - e.getValues().get("baselineDb"), within(1e-9));
        });
        assertThat(summary.getVoiceBaselines()).extracting(VoiceBaseline::getRole)
            .containsExactly(Role.AGENT, Role.CUSTOMER);
        assertScoreExplained(summary.getListeningScore(), 67.8);
        assertThat(summary.getCoaching()).extracting(CoachingNote::getAtMs)
            .allSatisfy(at -> assertThat(at).isBetween(0L, summary.getDurationMs()));
      }),
      GoldenCase.of(AgentMetricsComputed.class, window -> {
        assertThat(window.getScope()).isEqualTo(AggregationScope.AGENT);
        assertThat(window.getKey()).isEqualTo("agent-1042");
        assertThat(window.getWindow()).isEqualTo(AggregationWindow.HOURLY);
        assertThat(window.getWindowStart()).isEqualTo(Instant.parse("2025-11-23T14:00:00Z"));
        assertThat(window.getWindowEnd()).isEqualTo(window.getWindowStart().plusSeconds(3_600));
        // The derived values come from the sums, never from averaged rates.
        ListeningTotals totals = window.getTotals();
        assertThat(totals.getCallsEnded()).isEqualTo(6L);
        assertThat(window.getAgentTalkShare()).isEqualTo(0.45).isEqualTo(
            totals.getAgentTalkMs() / (double) (totals.getAgentTalkMs() + totals.getCustomerTalkMs()));
        assertThat(window.getAgentInterruptionsPer10Min())
            .isEqualTo(totals.getAgentInterruptions() * 600_000.0 / totals.getCallTimeMs());
        assertThat(window.getPauseRespectRate())
            .isEqualTo(totals.getRespectedTransfers() / (double) totals.getTransfers());
        assertThat(window.getMeanResponseGapMs()).isEqualTo(370L)
            .isEqualTo(Math.round(totals.getResponseGapSumMs() / (double) totals.getTransfers()));
        // The window's score is the score of its sums.
        assertThat(window.getListeningScore().getComponents()).filteredOn(c -> c.getName().equals("talk_share"))
            .singleElement().satisfies(c -> assertThat(c.getValue()).isEqualTo(window.getAgentTalkShare()));
        assertScoreExplained(window.getListeningScore(), 87.5);
      }),
      GoldenCase.of(EventRejected.class, rejected -> {
        assertThat(rejected.getCallId()).isEqualTo("ah-0c51d7e2-93a4-4f6b-8d21-6e7a9b3c5f80");
        assertThat(rejected.getKind()).isEqualTo("SEGMENT");
        assertThat(rejected.getEventTime()).isEqualTo(Instant.parse("2025-11-23T14:14:51.805Z"));
        assertThat(rejected.getReason()).contains("unknown call");
      }));

  /** score = 100 * sum(points) / sum(weight) over the components with a value; points within 0..weight. */
  private static void assertScoreExplained(ListeningScore score, double expected) {
    assertThat(score.getComponents()).hasSize(10)
        .allSatisfy(c -> assertThat(c.getPoints()).isBetween(0.0, c.getWeight()));
    double points = score.getComponents().stream().filter(c -> c.getValue() != null)
        .mapToDouble(ScoreComponent::getPoints).sum();
    double weights = score.getComponents().stream().filter(c -> c.getValue() != null)
        .mapToDouble(ScoreComponent::getWeight).sum();
    assertThat(score.getScore()).isEqualTo(expected).isCloseTo(100 * points / weights, within(0.05));
    assertThat(score.getThresholds()).containsKeys("talkShareLow", "talkShareHigh", "interruptionsZeroPer10Min");
  }

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
