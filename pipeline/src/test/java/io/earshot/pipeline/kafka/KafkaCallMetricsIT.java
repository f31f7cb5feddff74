package io.earshot.pipeline.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.ingest.asr.VoskTranscriber;
import io.earshot.ingest.call.CallAnalysis;
import io.earshot.ingest.call.CallAnalyzer;
import io.earshot.ingest.dsp.VadConfig;
import io.earshot.ingest.fixtures.FixtureCall;
import io.earshot.analysis.summary.CallSummary;
import io.earshot.jobs.calls.KafkaCallMetricsJob;
import io.earshot.jobs.calls.KafkaJobConfig;
import io.earshot.analysis.avro.AvroInputs;
import io.earshot.analysis.avro.AvroOutputs;
import io.earshot.contracts.AvroSerde;
import io.earshot.analysis.events.CallEvent;
import io.earshot.contracts.RunningValues;
import io.earshot.contracts.Topics;
import io.earshot.pipeline.analyze.BoundedCallMetrics;
import io.earshot.pipeline.analyze.CallEvents;
import io.earshot.schemas.AgentMetricsComputed;
import io.earshot.schemas.AggregationScope;
import io.earshot.schemas.AggregationWindow;
import io.earshot.schemas.CallEnded;
import io.earshot.schemas.CallStarted;
import io.earshot.schemas.CallSummaryComputed;
import io.earshot.schemas.EventRejected;
import io.earshot.schemas.SpeechSegmentDetected;
import io.earshot.schemas.TranscriptionStatusReported;
import io.earshot.schemas.UtteranceTranscribed;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Kafka metric job end to end: the four fixture calls through speech ingest (call01 with
 * Vosk, the others without ASR to stay fast), published to the input topics as live ingest
 * would (Avro, keyed by call id, event time in the value, stamped when published), plus two undecodable records;
 * the job on a local MiniCluster against the embedded broker; its outputs read back from the
 * output topics and compared with {@code analyze}'s bounded run over the same events.
 *
 * <p>Event times: the calls all end at the same instant, a whole second shortly before the
 * test starts, each starting its length earlier (BackfillRetentionIT runs a month-old call);
 * the comparison does not depend on the instant, since both runs get the very same events.
 * The figures (target/kafka-call-metrics.txt) include the bytes per call-minute of each topic. Ending together keeps every input
 * partition's newest event close to the others', so the idle advance brings all of them to
 * the calls' final-summary time within a few seconds.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class KafkaCallMetricsIT {

    private static final String AGENT = "agent-1";
    /**
     * The calls are published before the job starts and read from the earliest offset: a
     * backfill, so the job runs with a backfill's idle advance (docs/kafka.md). With the live
     * default of 1 s, a partition whose reader had delivered nothing yet after 1 s (a loaded
     * machine) was taken as idle, event time moved past speech still unread, and a call's final
     * summary went out before its last segments arrived.
     */
    private static final long BACKFILL_IDLE_ADVANCE_MS = 10_000;
    /** Read the outputs at most this long: about 10 s after the input is read, plus the idle advance. */
    private static final Duration READ_BOUND = Duration.ofSeconds(90);

    private static EmbeddedKafka kafka;
    private static final List<CallEvent> EVENTS = new ArrayList<>();
    private static final List<String> CALL_IDS = new ArrayList<>();
    private static BoundedCallMetrics.Result batch;
    private static KafkaJobConfig config;

    /** Everything read from the output topics, in the order the consumer received it. */
    private static final List<ConsumerRecord<String, SpecificRecord>> RECEIVED = new ArrayList<>();
    private static final List<String> FIGURES = new ArrayList<>();
    /** Key and value bytes published to each input topic. */
    private static final Map<String, Long> INPUT_BYTES = new java.util.TreeMap<>();

    @BeforeAll
    static void runTheJobOnTheFixtureCalls() throws Exception {
        kafka = EmbeddedKafka.start();
        long endAt = (System.currentTimeMillis() / 1000) * 1000 - 60_000;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (VoskTranscriber asr = VoskTranscriber.open(Path.of(System.getProperty("earshot.model")), 2)) {
            for (FixtureCall call : FixtureCall.all()) {
                boolean transcribe = call.id().startsWith("call01");
                CallAnalysis analysis = new CallAnalyzer(VadConfig.DEFAULTS, transcribe ? asr : null, pool)
                        .analyze(call.audio());
                long mediaStart = endAt - analysis.durationMs();
                List<CallEvent> events = new ArrayList<>(
                        CallEvents.of(call.id(), AGENT, "team-a", "queue-1", mediaStart, analysis));
                if (call.id().startsWith("call02")) {
                    // ingest's last transcription report, just before the end: one region skipped
                    CallEvent status = CallEvent.transcription(call.id(), endAt, 3_200, 1, 1_480);
                    status.endMs = analysis.durationMs();
                    events.add(events.size() - 1, status);
                }
                EVENTS.addAll(events);
                CALL_IDS.add(call.id());
            }
        } finally {
            pool.shutdown();
        }
        EVENTS.sort(Comparator.comparingLong(e -> e.eventTimeMs));
        config = new KafkaJobConfig(kafka.bootstrapServers(), "kafka-call-metrics-it", 2,
                KafkaJobConfig.DEFAULT_RUNNING_INTERVAL_MS, KafkaJobConfig.DEFAULT_OUT_OF_ORDERNESS_MS,
                BACKFILL_IDLE_ADVANCE_MS, KafkaJobConfig.StartFrom.EARLIEST,
                KafkaJobConfig.DEFAULT_CHECKPOINT_INTERVAL_MS);
        batch = BoundedCallMetrics.run(EVENTS, config.jobConfig(), 2);

        publish(endAt);
        long started = System.nanoTime();
        JobClient job = KafkaCallMetricsJob.start(StreamExecutionEnvironment.getExecutionEnvironment(), config);
        try {
            readOutputs(started);
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
        writeFigures();
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    /** The calls' events as live ingest publishes them, and two records nobody can decode. */
    private static void publish(long endAt) {
        AvroSerde<SpecificRecord> serde = AvroSerde.ofAny(CallStarted.class, CallEnded.class,
                SpeechSegmentDetected.class, UtteranceTranscribed.class, TranscriptionStatusReported.class);
        try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), serde);
                KafkaProducer<String, byte[]> raw = new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
            for (CallEvent e : EVENTS) {
                SpecificRecord value = AvroInputs.toAvro(e);
                INPUT_BYTES.merge(AvroInputs.topicOf(e), (long) serde.serialize(AvroInputs.topicOf(e), value).length
                        + e.callId.getBytes(StandardCharsets.UTF_8).length, Long::sum);
                producer.send(new ProducerRecord<>(AvroInputs.topicOf(e), null, null, e.callId, value));
            }
            raw.send(new ProducerRecord<>(Topics.SPEECH, null, endAt - 4_000, "garbage-call",
                    "{\"callId\":\"garbage-call\"}".getBytes(StandardCharsets.UTF_8)));
            // single-object marker, a fingerprint of no known schema, no body; unkeyed
            raw.send(new ProducerRecord<>(Topics.CALLS, null, endAt - 3_000, null,
                    new byte[] {(byte) 0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8}));
            producer.flush();
            raw.flush();
        }
    }

    /**
     * Reads the output topics until every call's final summary and both dead letters are in, and
     * the agent's live windows up to the last final summary. Those windows fire on the same
     * watermarks as the summaries, and the one that carries the last final summary fires after
     * it: with all the input read at once and then the idle advance, the first watermark can pass
     * every call's end at one go (a loaded machine), and then every live window comes out just
     * after the finals; a reader that stopped at the finals read none. The agent's windows go out
     * in order from one subtask to one partition, so one that ends after the last final summary
     * comes after every earlier one.
     */
    private static void readOutputs(long startedNanos) {
        AvroSerde<SpecificRecord> serde = AvroSerde.ofAny(CallSummaryComputed.class, AgentMetricsComputed.class,
                EventRejected.class);
        try (KafkaConsumer<String, SpecificRecord> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "kafka-call-metrics-it-reader",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), serde)) {
            consumer.subscribe(List.of(Topics.CALL_LIVE, Topics.CALL_SUMMARIES, Topics.AGENT_METRICS,
                    Topics.DEAD_LETTERS));
            long deadline = startedNanos + READ_BOUND.toNanos();
            long firstLiveMs = -1;
            long allMs = -1;
            while (System.nanoTime() < deadline && (finals().size() < CALL_IDS.size() || deadLetters().size() < 2
                    || !agentWindowAfterTheLastFinal())) {
                for (ConsumerRecord<String, SpecificRecord> r : consumer.poll(Duration.ofMillis(200))) {
                    RECEIVED.add(r);
                    if (firstLiveMs < 0 && r.topic().equals(Topics.CALL_LIVE)) {
                        firstLiveMs = (System.nanoTime() - startedNanos) / 1_000_000;
                    }
                }
                if (allMs < 0 && finals().size() >= CALL_IDS.size() && deadLetters().size() >= 2) {
                    allMs = (System.nanoTime() - startedNanos) / 1_000_000;
                }
            }
            FIGURES.add(String.format("%d input events of %d calls; job submitted to first running value %d ms,"
                    + " to all %d final summaries and dead letters %d ms", EVENTS.size(), CALL_IDS.size(),
                    firstLiveMs, finals().size(), allMs));
            FIGURES.add(String.format("read %d running values, %d final summaries, %d agent-metrics windows,"
                    + " %d dead letters", records(Topics.CALL_LIVE).size(), finals().size(),
                    records(Topics.AGENT_METRICS).size(), deadLetters().size()));
            FIGURES.add(bytesPerCallMinute());
        }
    }

    /**
     * Key and value bytes per call-minute of each topic (one replica, before compression): the
     * inputs as published, the outputs as read; utterances per minute of the transcribed call,
     * the only one with words.
     */
    private static String bytesPerCallMinute() {
        double minutes = EVENTS.stream().filter(e -> e.kind == CallEvent.Kind.ENDED).mapToLong(e -> e.endMs).sum()
                / 60_000.0;
        double transcribed = EVENTS.stream().filter(e -> e.kind == CallEvent.Kind.ENDED
                && e.callId.startsWith("call01")).mapToLong(e -> e.endMs).sum() / 60_000.0;
        Map<String, Long> bytes = new java.util.TreeMap<>(INPUT_BYTES);
        for (ConsumerRecord<String, SpecificRecord> r : RECEIVED) {
            bytes.merge(r.topic(), (long) Math.max(0, r.serializedKeySize()) + r.serializedValueSize(), Long::sum);
        }
        StringBuilder b = new StringBuilder(String.format("bytes per call-minute over %.1f call-minutes:", minutes));
        bytes.forEach((topic, n) -> b.append(String.format(" %s %.0f", topic,
                n / (topic.equals(Topics.UTTERANCES) ? transcribed : minutes))));
        return b.toString();
    }

    /** Whether a live window of the agent ending after its last final summary has been read. */
    private static boolean agentWindowAfterTheLastFinal() {
        long lastFinal = finals().values().stream().mapToLong(s -> s.getEmittedAt().toEpochMilli()).max()
                .orElse(Long.MAX_VALUE);
        return records(Topics.AGENT_METRICS).stream().map(r -> (AgentMetricsComputed) r.value())
                .anyMatch(w -> w.getScope() == AggregationScope.AGENT && w.getKey().equals(AGENT)
                        && w.getWindow() == AggregationWindow.LIVE && w.getWindowEnd().toEpochMilli() > lastFinal);
    }

    private static List<ConsumerRecord<String, SpecificRecord>> records(String topic) {
        return RECEIVED.stream().filter(r -> r.topic().equals(topic)).toList();
    }

    private static Map<String, CallSummaryComputed> finals() {
        Map<String, CallSummaryComputed> finals = new LinkedHashMap<>();
        for (ConsumerRecord<String, SpecificRecord> r : records(Topics.CALL_SUMMARIES)) {
            finals.put(r.key(), (CallSummaryComputed) r.value());
        }
        return finals;
    }

    private static List<EventRejected> deadLetters() {
        return records(Topics.DEAD_LETTERS).stream().map(r -> (EventRejected) r.value()).toList();
    }

    @Test
    void shouldPublishOneFinalSummaryPerCallEqualToTheBoundedRun() {
        Map<String, CallSummaryComputed> finals = finals();
        assertThat(records(Topics.CALL_SUMMARIES)).hasSize(CALL_IDS.size())
                .allSatisfy(r -> assertThat(r.key()).isEqualTo(((CallSummaryComputed) r.value()).getCallId()));
        assertThat(finals.keySet()).containsExactlyInAnyOrderElementsOf(CALL_IDS);
        assertThat(batch.summaries()).hasSize(CALL_IDS.size());
        for (CallSummary expected : batch.summaries()) {
            CallSummaryComputed want = AvroOutputs.toAvro(expected);
            CallSummaryComputed got = finals.get(expected.callId());
            assertThat(got.getIsFinal()).isTrue();
            assertThat(got.getEndReason()).isEqualTo("ended");
            assertThat(got.getEmittedAt()).isEqualTo(want.getEmittedAt());
            assertThat(got.getDurationMs()).as(expected.callId()).isEqualTo(want.getDurationMs());
            assertThat(got.getAgentTalkMs()).as(expected.callId()).isEqualTo(want.getAgentTalkMs());
            assertThat(got.getCustomerTalkMs()).as(expected.callId()).isEqualTo(want.getCustomerTalkMs());
            assertThat(got.getOverlapMs()).as(expected.callId()).isEqualTo(want.getOverlapMs());
            assertThat(got.getSilenceMs()).as(expected.callId()).isEqualTo(want.getSilenceMs());
            assertThat(got.getAgentTalkShare()).as(expected.callId()).isEqualTo(want.getAgentTalkShare());
            assertThat(got.getInterruptions()).as(expected.callId()).isEqualTo(want.getInterruptions());
            assertThat(got.getBackchannels()).as(expected.callId()).isEqualTo(want.getBackchannels());
            assertThat(got.getResponseGaps()).as(expected.callId()).isEqualTo(want.getResponseGaps());
            assertThat(got.getPauseIntrusions()).as(expected.callId()).isEqualTo(want.getPauseIntrusions());
            assertThat(got.getDeadAir()).as(expected.callId()).isEqualTo(want.getDeadAir());
            assertThat(got.getPauseRespectRate()).as(expected.callId()).isEqualTo(want.getPauseRespectRate());
            assertThat(got.getMeanResponseGapMs()).as(expected.callId()).isEqualTo(want.getMeanResponseGapMs());
            assertThat(got.getAgentInterruptionsPer10Min()).as(expected.callId())
                    .isEqualTo(want.getAgentInterruptionsPer10Min());
            assertThat(got.getLongestAgentMonologueMs()).as(expected.callId())
                    .isEqualTo(want.getLongestAgentMonologueMs());
            assertThat(got.getLongestCustomerStoryMs()).as(expected.callId())
                    .isEqualTo(want.getLongestCustomerStoryMs());
            assertThat(got.getTranscriptionSkippedRegions()).isEqualTo(want.getTranscriptionSkippedRegions());
            assertThat(got.getMaxTranscriptionLagMs()).isEqualTo(want.getMaxTranscriptionLagMs());
            // and nothing else differs either
            assertThat(got).as(expected.callId()).isEqualTo(want);
        }
    }

    @Test
    void shouldCarryTheWordsOfTheTranscribedCallAndTheDegradedTranscriptOfTheReportedOne() {
        Map<String, CallSummaryComputed> finals = finals();
        CallSummaryComputed transcribed = finals.get(CALL_IDS.stream().filter(c -> c.startsWith("call01"))
                .findFirst().orElseThrow());
        CallSummaryComputed degraded = finals.get(CALL_IDS.stream().filter(c -> c.startsWith("call02"))
                .findFirst().orElseThrow());

        assertThat(EVENTS).anyMatch(e -> e.kind == CallEvent.Kind.UTTERANCE);
        assertThat(transcribed.getInterruptions()).isNotEmpty()
                .anySatisfy(i -> assertThat(i.getByWords()).isNotBlank());
        // call02 went through without ASR: its interruptions are found from the audio, without words
        assertThat(degraded.getInterruptions()).isNotEmpty()
                .allSatisfy(i -> assertThat(i.getByWords()).isEmpty());
        assertThat(degraded.getTranscriptionSkippedRegions()).isEqualTo(1);
        assertThat(degraded.getTranscriptionSkippedSpeechMs()).isEqualTo(1_480L);
        assertThat(degraded.getMaxTranscriptionLagMs()).isEqualTo(3_200L);
        assertThat(transcribed.getTranscriptionSkippedRegions()).isZero();
    }

    /**
     * Running values come before the final in event time, and in order on their topic. Kafka
     * orders records only within a partition, so the order in which one consumer receives the
     * running-values topic and the summaries topic says nothing about which was published first.
     */
    @Test
    void shouldPublishRunningValuesOfEveryCallBeforeItsFinalSummary() {
        List<ConsumerRecord<String, SpecificRecord>> live = records(Topics.CALL_LIVE);
        Map<String, CallSummaryComputed> finals = finals();
        assertThat(live).extracting(ConsumerRecord::key).containsAll(CALL_IDS);
        assertThat(live).allSatisfy(r -> {
            CallSummaryComputed s = (CallSummaryComputed) r.value();
            assertThat(s.getIsFinal()).isFalse();
            assertThat(s.getEndReason()).isNull();
            assertThat(r.key()).isEqualTo(s.getCallId());
            // on the running grid, and before the call's final
            assertThat(s.getEmittedAt().toEpochMilli() % config.runningIntervalMs()).isZero();
            assertThat(s.getEmittedAt()).isBefore(finals.get(s.getCallId()).getEmittedAt());
        });
        for (String call : CALL_IDS) {
            List<Instant> emitted = live.stream().filter(r -> call.equals(r.key()))
                    .map(r -> ((CallSummaryComputed) r.value()).getEmittedAt()).toList();
            assertThat(emitted).as("running values of %s, in the order read", call).isSorted().doesNotHaveDuplicates();
        }
        // each call's first running value is whole, and every later one continues the one read
        // before it: a reader of the topic rebuilds every one of them
        RunningValues reader = new RunningValues();
        Map<String, Integer> keeping = new LinkedHashMap<>();
        for (ConsumerRecord<String, SpecificRecord> r : live) {
            CallSummaryComputed s = (CallSummaryComputed) r.value();
            boolean first = !keeping.containsKey(r.key());
            assertThat(first && s.getKeptEvidence() != null).as("%s starts with a whole value", r.key()).isFalse();
            keeping.merge(r.key(), s.getKeptEvidence() == null ? 0 : 1, Integer::sum);
            assertThat(reader.accept(s)).as("%s at %s", r.key(), s.getEmittedAt()).isNotNull();
        }
        assertThat(keeping.values()).as("running values that left out evidence sent before, by call")
                .anySatisfy(n -> assertThat(n).isPositive());
    }

    @Test
    void shouldPublishTheAgentsLiveWindows() {
        List<AgentMetricsComputed> windows = records(Topics.AGENT_METRICS).stream()
                .map(r -> (AgentMetricsComputed) r.value()).toList();

        assertThat(windows).anySatisfy(w -> {
            assertThat(w.getScope()).isEqualTo(AggregationScope.AGENT);
            assertThat(w.getKey()).isEqualTo(AGENT);
            assertThat(w.getWindow()).isEqualTo(AggregationWindow.LIVE);
            assertThat(w.getTotals().getAgentTalkMs()).isPositive();
        });
        assertThat(records(Topics.AGENT_METRICS))
                .allSatisfy(r -> assertThat(r.key()).isEqualTo(((AgentMetricsComputed) r.value()).getKey()));
    }

    @Test
    void shouldDeadLetterTheUndecodableRecordsAndNothingElse() {
        assertThat(batch.deadLetters()).isEmpty();
        assertThat(deadLetters()).hasSize(2).allSatisfy(d -> {
            assertThat(d.getKind()).isEqualTo("UNDECODABLE");
            assertThat(d.getReason()).startsWith("undecodable record: earshot.");
        });
        assertThat(deadLetters()).anySatisfy(d -> {
            assertThat(d.getCallId()).isEqualTo("garbage-call");
            assertThat(d.getReason()).contains("earshot.speech partition").contains("not Avro single-object encoded");
        });
        assertThat(deadLetters()).anySatisfy(d -> {
            assertThat(d.getCallId()).isNull();
            assertThat(d.getReason()).contains("earshot.calls partition").contains("schema fingerprint");
        });
    }

    private static void writeFigures() {
        try {
            Path report = Path.of("target", "kafka-call-metrics.txt");
            Files.createDirectories(report.getParent());
            Files.write(report, FIGURES);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
