package io.earshot.jobs.calls;

import io.earshot.analysis.summary.CallSummary;
import io.earshot.analysis.windows.WindowMetrics;
import io.earshot.jobs.common.AvroKafkaSerializer;
import io.earshot.analysis.avro.AvroOutputs;
import io.earshot.analysis.events.CallEvent;
import io.earshot.jobs.common.CallEventDeserializer;
import io.earshot.analysis.events.DeadLetter;
import io.earshot.jobs.common.LiveWatermarks;
import io.earshot.contracts.Topics;
import io.earshot.schemas.AgentMetricsComputed;
import io.earshot.schemas.CallSummaryComputed;
import io.earshot.schemas.EventRejected;
import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
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
 * {@link LiveWatermarks} (following each call's events, advancing with the clock when a call
 * falls quiet, empty partitions idle; emitted every {@link KafkaJobConfig#WATERMARK_INTERVAL_MS}). Sinks: {@link KafkaSink}s keyed by call id (summaries,
 * dead letters) or the record's key (agent metrics), values in {@code AvroSerde}'s single-object
 * encoding, record timestamps the outputs' event time.
 *
 * <p>Delivery, per output (see docs/kafka.md, "Delivery guarantees"):
 * <ul>
 *   <li>{@link Topics#CALL_SUMMARIES}, {@link Topics#AGENT_METRICS} and {@link Topics#DEAD_LETTERS}:
 *       exactly once. Each is written in Kafka transactions (transactional ids
 *       {@code <group>-<output>-<subtask>-<checkpoint>}) that commit when a checkpoint
 *       completes; after a failure the job resumes from the last checkpoint and the broker
 *       aborts what was written since, so a {@code read_committed} reader sees every record
 *       once. These are facts that are counted (calls, windows, rejections): a record twice
 *       would count twice in any reader that appends, and a summary or window that came out
 *       before a failure is recomputed identically after it, only once committed.
 *   <li>{@link Topics#CALL_LIVE}: at least once, flushed on every checkpoint and otherwise sent
 *       at once. A running value supersedes the one before; a repeat after a restart is a value
 *       the floor already showed, so it changes nothing there, while holding running values back
 *       to the next checkpoint would cost the floor its second. A separate sink, since one
 *       {@link KafkaSink} has one delivery guarantee. Each running value carries only the
 *       evidence that changed since the call's previous one
 *       ({@link io.earshot.analysis.summary.EvidenceSent}); the first after a restart is whole.
 * </ul>
 *
 * <p>Fault tolerance: checkpoints every {@link KafkaJobConfig#checkpointIntervalMs()} (exactly
 * once, aligned), kept in {@link KafkaJobConfig#checkpointDir()} and retained on cancellation;
 * state in the {@link KafkaJobConfig#stateBackend()}; on a failure the job restarts from the
 * last checkpoint with the exponential-delay strategy of {@link #restartStrategy()}.
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

    /**
     * The source, the workflow and the sinks on {@code env}, with the config's parallelism and
     * checkpoints, no Kryo ({@link CallMetricsJob#disableGenericTypes}) and no copies between
     * chained operators ({@link CallMetricsJob#reuseObjects}).
     */
    public static CallMetricsJob.Outputs define(StreamExecutionEnvironment env, KafkaJobConfig config) {
        env.setParallelism(config.parallelism());
        CallMetricsJob.disableGenericTypes(env);
        CallMetricsJob.reuseObjects(env);
        env.configure(faultTolerance(config));
        Configuration pipeline = new Configuration();
        // a running value waits for the first watermark past its mark
        pipeline.set(PipelineOptions.AUTO_WATERMARK_INTERVAL, Duration.ofMillis(KafkaJobConfig.WATERMARK_INTERVAL_MS));
        env.configure(pipeline);
        // live traffic never fills a network buffer: pass records and watermarks on within 10 ms
        env.setBufferTimeout(KafkaJobConfig.BUFFER_TIMEOUT_MS);
        env.enableCheckpointing(config.checkpointIntervalMs(), CheckpointingMode.EXACTLY_ONCE);
        KafkaSource<CallEvent> source = KafkaSource.<CallEvent>builder()
                .setBootstrapServers(config.bootstrapServers())
                .setGroupId(config.groupId())
                .setTopics(Topics.CALLS, Topics.SPEECH, Topics.UTTERANCES, Topics.CALL_ASSIGNMENTS)
                .setStartingOffsets(startingOffsets(config.startFrom()))
                .setDeserializer(new CallEventDeserializer())
                // offsets are committed on checkpoints only: a restart resumes from the checkpoint
                .setProperty("enable.auto.commit", "false")
                .setProperties(kafkaProperties(config))
                .build();
        DataStream<CallEvent> events = env.fromSource(source,
                        new LiveWatermarks(config.outOfOrdernessMs(), config.idleAdvanceMs()), "Kafka call events")
                .uid("kafka-call-events");
        CallMetricsJob.Outputs out = CallMetricsJob.defineWorkflowOnTimedEvents(events, config.jobConfig());
        DataStream<CallSummary> finals = out.summaries().filter(CallSummary::isFinal)
                .uid("final-summaries").name("Final summaries");
        DataStream<CallSummary> running = out.summaries().filter(s -> !s.isFinal())
                .uid("running-values").name("Running values");
        finals.sinkTo(sink(config, Topics.CALL_SUMMARIES, DeliveryGuarantee.EXACTLY_ONCE,
                        new AvroKafkaSerializer<CallSummary, CallSummaryComputed>(CallSummaryComputed.class,
                                AvroOutputs::toAvro, s -> Topics.CALL_SUMMARIES, CallSummary::callId)))
                .uid("kafka-call-summaries").name("Kafka " + Topics.CALL_SUMMARIES);
        running.sinkTo(sink(config, Topics.CALL_LIVE, DeliveryGuarantee.AT_LEAST_ONCE,
                        new AvroKafkaSerializer<CallSummary, CallSummaryComputed>(CallSummaryComputed.class,
                                AvroOutputs::toAvro, s -> Topics.CALL_LIVE, CallSummary::callId)))
                .uid("kafka-call-live").name("Kafka " + Topics.CALL_LIVE);
        out.windows().sinkTo(sink(config, Topics.AGENT_METRICS, DeliveryGuarantee.EXACTLY_ONCE,
                        new AvroKafkaSerializer<WindowMetrics, AgentMetricsComputed>(AgentMetricsComputed.class,
                                AvroOutputs::toAvro, w -> Topics.AGENT_METRICS, WindowMetrics::key)))
                .uid("kafka-agent-metrics").name("Kafka " + Topics.AGENT_METRICS);
        out.deadLetters().sinkTo(sink(config, Topics.DEAD_LETTERS, DeliveryGuarantee.EXACTLY_ONCE,
                        new AvroKafkaSerializer<DeadLetter, EventRejected>(EventRejected.class,
                                AvroOutputs::toAvro, d -> Topics.DEAD_LETTERS, DeadLetter::callId)))
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

    /** The configured client properties (security, tuning) that every source and sink adds to its own. */
    private static java.util.Properties kafkaProperties(KafkaJobConfig config) {
        java.util.Properties p = new java.util.Properties();
        p.putAll(config.kafkaProperties());
        return p;
    }

    /**
     * The job's checkpointing, state backend and restart strategy, set on the job itself so
     * they hold on any cluster and in process alike (a cluster's configuration supplies only what
     * is left unset here: the checkpoint directory when none is given).
     */
    static Configuration faultTolerance(KafkaJobConfig config) {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, config.stateBackend().name().toLowerCase(java.util.Locale.ROOT));
        if (config.stateBackend() == KafkaJobConfig.StateBackend.ROCKSDB) {
            conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        }
        if (config.checkpointDir() != null) {
            conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, config.checkpointDir());
            // a cancelled job (an upgrade, a move) can be resumed from its last checkpoint
            conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                    ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        }
        conf.set(CheckpointingOptions.CHECKPOINTING_TIMEOUT, Duration.ofMillis(KafkaJobConfig.CHECKPOINT_TIMEOUT_MS));
        conf.addAll(restartStrategy());
        return conf;
    }

    /**
     * Exponential delay: the first restart after 1 s, then twice as long each time up to 60 s
     * (with 10% jitter, so jobs that failed together do not retry together), back to 1 s once
     * the job has run an hour without failing; never giving up. A lost TaskManager costs a
     * second, while a broker or cluster outage of an hour is retried once a minute rather than
     * failing the job for good and leaving the floor without figures until somebody notices.
     */
    public static Configuration restartStrategy() {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF, Duration.ofSeconds(1));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF, Duration.ofSeconds(60));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER, 2.0);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD,
                Duration.ofHours(1));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_JITTER_FACTOR, 0.1);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS, Integer.MAX_VALUE);
        return conf;
    }

    /**
     * A sink to {@code output}. Exactly once means Kafka transactions: a transactional-id prefix
     * that is stable across restarts (so the restarted job finds and aborts its predecessor's
     * open transactions) and unique per job and sink (the consumer group names the job), and a
     * transaction timeout the brokers accept.
     */
    private static <T> KafkaSink<T> sink(KafkaJobConfig config, String output, DeliveryGuarantee guarantee,
            KafkaRecordSerializationSchema<T> serializer) {
        var builder = KafkaSink.<T>builder()
                .setBootstrapServers(config.bootstrapServers())
                .setDeliveryGuarantee(guarantee)
                .setRecordSerializer(serializer)
                // dashboards read call-live: send at once rather than batching for throughput
                .setProperty("linger.ms", "5")
                .setKafkaProducerConfig(kafkaProperties(config));
        if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
            builder.setTransactionalIdPrefix(config.groupId() + "-" + output.substring(output.lastIndexOf('.') + 1))
                    .setProperty("transaction.timeout.ms", String.valueOf(config.transactionTimeoutMs()));
        }
        return builder.build();
    }
}
