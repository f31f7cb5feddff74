package io.earshot.jobs.calls;

import io.earshot.jobs.agents.WindowMetrics;
import io.earshot.jobs.common.AvroKafkaSerializer;
import io.earshot.jobs.common.AvroOutputs;
import io.earshot.jobs.common.CallEvent;
import io.earshot.jobs.common.CallEventDeserializer;
import io.earshot.jobs.common.DeadLetter;
import io.earshot.jobs.common.LiveWatermarks;
import io.earshot.jobs.common.Topics;
import io.earshot.schemas.AgentMetricsComputed;
import io.earshot.schemas.CallSummaryComputed;
import io.earshot.schemas.EventRejected;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The call-metrics job on Kafka: speech-ingest events from {@link Topics#CALLS},
 * {@link Topics#SPEECH} and {@link Topics#UTTERANCES}, and agent assignments from
 * {@link Topics#CALL_ASSIGNMENTS}, in; running values to
 * {@link Topics#CALL_LIVE}, final summaries to {@link Topics#CALL_SUMMARIES}, agent, team
 * and queue windows to {@link Topics#AGENT_METRICS}, unusable events to
 * {@link Topics#DEAD_LETTERS}. The logic is {@link CallMetricsJob}'s workflow; this class only
 * builds the real source and sinks.
 *
 * <p>Source: one {@link KafkaSource} over the four input topics, decoded by
 * {@link CallEventDeserializer} (an undecodable record becomes a dead letter, never a
 * failure), event time from the record timestamps, watermarks per partition by
 * {@link LiveWatermarks} (bounded out-of-orderness, advancing with the clock when a partition
 * falls quiet, empty partitions idle). Sinks: {@link KafkaSink}s, at least once (flushed on
 * every checkpoint; a restart may repeat records, each of which supersedes or equals the one
 * before), keyed by call id (summaries, dead letters) or the record's key (agent metrics),
 * values in {@code AvroSerde}'s single-object encoding, record timestamps the outputs' event time.
 *
 * <p>Run on a Flink cluster with the shaded jar ({@code earshot-jobs-*-job.jar}):
 * {@code flink run earshot-jobs-0.1.0-SNAPSHOT-job.jar --bootstrap kafka:9092 --group earshot-metrics};
 * in process, {@link #start} on a local environment.
 */
public final class KafkaCallMetricsJob {

    /** The job's name, as the Flink UI and REST API show it. */
    public static final String JOB_NAME = "earshot call metrics (kafka)";

    private KafkaCallMetricsJob() {
    }

    /** Parses the arguments ({@link KafkaJobConfig#USAGE}) and runs the job until it is cancelled. */
    public static void main(String[] args) throws Exception {
        KafkaJobConfig config;
        try {
            config = KafkaJobConfig.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        define(env, config);
        env.execute(JOB_NAME);
    }

    /**
     * Builds the job on {@code env} and submits it without waiting: the caller (the pipeline's
     * {@code demo} and {@code job} commands, tests) holds the returned client to cancel it.
     */
    public static JobClient start(StreamExecutionEnvironment env, KafkaJobConfig config) throws Exception {
        define(env, config);
        return env.executeAsync(JOB_NAME);
    }

    /** The source, the workflow and the sinks on {@code env}, with the config's parallelism and checkpoints. */
    public static CallMetricsJob.Outputs define(StreamExecutionEnvironment env, KafkaJobConfig config) {
        env.setParallelism(config.parallelism());
        env.enableCheckpointing(config.checkpointIntervalMs());
        KafkaSource<CallEvent> source = KafkaSource.<CallEvent>builder()
                .setBootstrapServers(config.bootstrapServers())
                .setGroupId(config.groupId())
                .setTopics(Topics.CALLS, Topics.SPEECH, Topics.UTTERANCES, Topics.CALL_ASSIGNMENTS)
                .setStartingOffsets(startingOffsets(config.startFrom()))
                .setDeserializer(new CallEventDeserializer())
                // offsets are committed on checkpoints only: a restart resumes from the checkpoint
                .setProperty("enable.auto.commit", "false")
                .build();
        DataStream<CallEvent> events = env.fromSource(source,
                        new LiveWatermarks(config.outOfOrdernessMs(), config.idleAdvanceMs()), "Kafka call events")
                .uid("kafka-call-events");
        CallMetricsJob.Outputs out = CallMetricsJob.defineWorkflowOnTimedEvents(events, config.jobConfig());
        out.summaries().sinkTo(sink(config, new AvroKafkaSerializer<CallSummary, CallSummaryComputed>(
                        CallSummaryComputed.class, AvroOutputs::toAvro,
                        s -> s.isFinal() ? Topics.CALL_SUMMARIES : Topics.CALL_LIVE, CallSummary::callId)))
                .uid("kafka-call-summaries").name("Kafka " + Topics.CALL_LIVE + " and " + Topics.CALL_SUMMARIES);
        out.windows().sinkTo(sink(config, new AvroKafkaSerializer<WindowMetrics, AgentMetricsComputed>(
                        AgentMetricsComputed.class, AvroOutputs::toAvro, w -> Topics.AGENT_METRICS, WindowMetrics::key)))
                .uid("kafka-agent-metrics").name("Kafka " + Topics.AGENT_METRICS);
        out.deadLetters().sinkTo(sink(config, new AvroKafkaSerializer<DeadLetter, EventRejected>(
                        EventRejected.class, AvroOutputs::toAvro, d -> Topics.DEAD_LETTERS, DeadLetter::callId)))
                .uid("kafka-dead-letters").name("Kafka " + Topics.DEAD_LETTERS);
        return out;
    }

    private static OffsetsInitializer startingOffsets(KafkaJobConfig.StartFrom from) {
        return switch (from) {
            case EARLIEST -> OffsetsInitializer.earliest();
            case LATEST -> OffsetsInitializer.latest();
            case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        };
    }

    private static <T> KafkaSink<T> sink(KafkaJobConfig config, KafkaRecordSerializationSchema<T> serializer) {
        return KafkaSink.<T>builder()
                .setBootstrapServers(config.bootstrapServers())
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .setRecordSerializer(serializer)
                // dashboards read call-live: send at once rather than batching for throughput
                .setProperty("linger.ms", "5")
                .build();
    }
}
