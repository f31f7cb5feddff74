package io.earshot.pipeline.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import io.earshot.contracts.Topics;
import io.earshot.pipeline.analyze.BoundedCallMetrics;
import io.earshot.pipeline.analyze.CallEvents;
import io.earshot.pipeline.live.KafkaEventSink;
import io.earshot.schemas.CallEnded;
import io.earshot.schemas.CallStarted;
import io.earshot.schemas.CallSummaryComputed;
import io.earshot.schemas.SpeechSegmentDetected;
import io.earshot.schemas.TranscriptionStatusReported;
import io.earshot.schemas.UtteranceTranscribed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A backfill: a call recorded a month ago, published today by the production publisher
 * ({@link KafkaEventSink}) to topics that keep their records one hour and refuse any record
 * stamped more than an hour before the broker's clock ({@code message.timestamp.before.max.ms}).
 * Every record is accepted, so each is stamped with the time it was published, and would stay
 * its hour; the metric job, taking event time from the values, computes the summary
 * {@code analyze}'s bounded run computes, and publishes it on topics with the same guard.
 * A producer that still stamps records with their event time is refused.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class BackfillRetentionIT {

    private static final long HOUR_MS = Duration.ofHours(1).toMillis();

    @Test
    void shouldComputeAMonthOldCallPublishedTodayOnTopicsThatKeepAnHour() throws Exception {
        FixtureCall call = FixtureCall.all().get(1);
        CallAnalysis analysis;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            analysis = new CallAnalyzer(VadConfig.DEFAULTS, null, pool).analyze(call.audio());
        } finally {
            pool.shutdown();
        }
        long mediaStart = (System.currentTimeMillis() / 1000) * 1000 - Duration.ofDays(30).toMillis();
        List<CallEvent> events = CallEvents.of(call.id(), "agent-1", "team-a", "queue-1", mediaStart, analysis);
        KafkaJobConfig config = new KafkaJobConfig("unused:9092", "backfill-it", 2,
                KafkaJobConfig.DEFAULT_RUNNING_INTERVAL_MS, KafkaJobConfig.DEFAULT_OUT_OF_ORDERNESS_MS,
                KafkaJobConfig.DEFAULT_IDLE_ADVANCE_MS, KafkaJobConfig.StartFrom.EARLIEST,
                KafkaJobConfig.DEFAULT_CHECKPOINT_INTERVAL_MS);
        BoundedCallMetrics.Result analyzed = BoundedCallMetrics.run(events, config.jobConfig(), 2);

        try (EmbeddedKafka kafka = EmbeddedKafka.start(List.of(), 1)) {
            createTopicsKeepingAnHour(kafka);
            long publishedFrom = System.currentTimeMillis();
            try (KafkaEventSink sink = new KafkaEventSink(kafka.bootstrapServers(), Map.of())) {
                for (CallEvent e : events) {
                    sink.publish(e.callId, e.eventTimeMs, AvroInputs.toAvro(e));
                }
                sink.flush();
                assertThat(sink.failed()).isZero();
                assertThat(sink.sent()).isEqualTo(events.size());
            }
            assertThatThrownBy(() -> publishStampedWithEventTime(kafka, events.get(0)))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(InvalidTimestampException.class);

            JobClient job = KafkaCallMetricsJob.start(StreamExecutionEnvironment.getExecutionEnvironment(),
                    new KafkaJobConfig(kafka.bootstrapServers(), config.groupId(), config.parallelism(),
                            config.runningIntervalMs(), config.outOfOrdernessMs(), config.idleAdvanceMs(),
                            config.startFrom(), config.checkpointIntervalMs()));
            CallSummaryComputed got;
            try {
                got = readFinalSummary(kafka, call.id());
            } finally {
                job.cancel().get(30, TimeUnit.SECONDS);
            }

            assertThat(analyzed.summaries()).hasSize(1);
            CallSummary expected = analyzed.summaries().get(0);
            assertThat(got.getEmittedAt().toEpochMilli()).isLessThan(publishedFrom - Duration.ofDays(29).toMillis());
            assertThat(got).isEqualTo(AvroOutputs.toAvro(expected));
            List<ConsumerRecord<String, SpecificRecord>> inputs = readInputs(kafka, events.size());
            assertThat(inputs).hasSize(events.size()).allSatisfy(r -> {
                assertThat(r.timestamp()).isGreaterThanOrEqualTo(publishedFrom);
                assertThat(AvroInputs.eventTimeOf(r.value(), -1)).isLessThan(publishedFrom - Duration.ofDays(29).toMillis());
            });
        }
    }

    /** Every topic keeps its records an hour, and refuses records stamped over an hour ago. */
    private static void createTopicsKeepingAnHour(EmbeddedKafka kafka) throws Exception {
        Map<String, Duration> hour = new HashMap<>();
        Topics.ALL.forEach(t -> hour.put(t, Duration.ofHours(1)));
        List<NewTopic> topics = new ArrayList<>();
        for (TopicPlan plan : TopicPlan.of(Topics.ALL, 2, (short) 1, hour)) {
            Map<String, String> configs = new LinkedHashMap<>(plan.configs());
            configs.put("message.timestamp.before.max.ms", String.valueOf(HOUR_MS));
            topics.add(new NewTopic(plan.name(), plan.partitions(), plan.replicationFactor()).configs(configs));
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** How records were stamped before: with their event time. */
    private static void publishStampedWithEventTime(EmbeddedKafka kafka, CallEvent e) throws Exception {
        try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), AvroSerde.ofAny(CallStarted.class,
                CallEnded.class))) {
            producer.send(new ProducerRecord<>(AvroInputs.topicOf(e), null, e.eventTimeMs, e.callId,
                    AvroInputs.toAvro(e))).get(30, TimeUnit.SECONDS);
        }
    }

    private static CallSummaryComputed readFinalSummary(EmbeddedKafka kafka, String callId) {
        try (KafkaConsumer<String, CallSummaryComputed> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "backfill-it-reader",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                AvroSerde.of(CallSummaryComputed.class))) {
            consumer.subscribe(List.of(Topics.CALL_SUMMARIES));
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, CallSummaryComputed> r : consumer.poll(Duration.ofMillis(200))) {
                    if (callId.equals(r.key())) {
                        return r.value();
                    }
                }
            }
            throw new AssertionError("no final summary of " + callId + " within 90 s");
        }
    }

    private static List<ConsumerRecord<String, SpecificRecord>> readInputs(EmbeddedKafka kafka, int expected) {
        List<ConsumerRecord<String, SpecificRecord>> out = new ArrayList<>();
        try (KafkaConsumer<String, SpecificRecord> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "backfill-it-inputs",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                AvroSerde.ofAny(CallStarted.class, CallEnded.class, SpeechSegmentDetected.class,
                        UtteranceTranscribed.class, TranscriptionStatusReported.class))) {
            consumer.subscribe(List.of(Topics.CALLS, Topics.SPEECH, Topics.UTTERANCES));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }
}
