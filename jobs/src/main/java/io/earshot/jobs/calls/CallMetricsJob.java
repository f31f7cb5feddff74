package io.earshot.jobs.calls;

import io.earshot.analysis.config.JobConfig;
import io.earshot.analysis.summary.CallSummary;
import io.earshot.jobs.agents.AgentWindows;
import io.earshot.analysis.windows.WindowKind;
import io.earshot.analysis.windows.WindowMetrics;
import io.earshot.jobs.calls.functions.CallDynamicsFunction;
import io.earshot.jobs.calls.functions.EventValidator;
import io.earshot.analysis.events.CallEvent;
import io.earshot.analysis.events.DeadLetter;
import io.earshot.jobs.common.CallEventWire;
import io.earshot.jobs.common.NamedValues;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.InvalidTypesException;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The call-metrics job: speech-ingest events in, per-call running values and final
 * summaries out, and from the calls' activity the per-agent, team and queue windows
 * ({@link AgentWindows}), all in event time. Live calls (Kafka) and recordings
 * ({@code analyze}, bounded input) run this same workflow, so both give the same numbers.
 */
public final class CallMetricsJob {

    private CallMetricsJob() {
    }

    /**
     * The job's outputs.
     *
     * @param summaries   per call: running values and one final summary
     * @param deadLetters unusable events, and activity that came too late for its window
     * @param windows     live, hourly and daily metrics per agent, team and queue
     */
    public record Outputs(DataStream<CallSummary> summaries, DataStream<DeadLetter> deadLetters,
            DataStream<WindowMetrics> windows) {
    }

    /**
     * Turns Flink's Kryo fallback off on {@code env} ({@code pipeline.generic-types: false}): every
     * type the job sends between operators or keeps in state has a serializer other than Kryo (Flink's
     * own for POJOs and records, lists as Flink lists, {@link io.earshot.jobs.common.NamedValues} for ordered
     * maps, the hand-written {@link io.earshot.jobs.common.Wire} types on the two busiest streams,
     * Avro at the Kafka edges), and a type that would fall back to Kryo fails the job when
     * it is built or started instead of costing Kryo per record. The Kafka job and
     * {@code analyze}'s bounded run call it on their own environment; {@link #defineWorkflow}
     * leaves the caller's environment as it is (tests collect several outputs as one stream of
     * {@code Object}s, which only Kryo can carry). Call it before the sources are added: a
     * bounded source serializes its elements when it is defined.
     */
    public static void disableGenericTypes(StreamExecutionEnvironment env) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        env.configure(conf);
        registerNamedValues(env);
    }

    /**
     * Passes records between chained operators by reference ({@code pipeline.object-reuse}):
     * without it Flink deep-copies every record an operator hands to the next one in its chain,
     * a running summary with all its lists included, and that copy cost as much as the state
     * access around it. Safe here because no function of the job changes a record it received or
     * emitted (events, summaries, activity and window records are not modified after they are
     * built), and records that cross the network or enter state are fresh objects. The Kafka job
     * and {@code analyze}'s bounded run call it with {@link #disableGenericTypes}.
     */
    public static void reuseObjects(StreamExecutionEnvironment env) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        env.configure(conf);
    }

    private static final AtomicBoolean NAMED_VALUES_REGISTERED = new AtomicBoolean();

    /**
     * The analysis records' named values ({@code LinkedHashMap<String, Double>}) get
     * {@link NamedValues}, which keeps their order. Flink keeps type factories in one registry per
     * JVM and refuses a second registration, so this registers once; a registration left by an
     * earlier job's class loader in the same JVM (a session cluster's client) is kept.
     */
    private static void registerNamedValues(StreamExecutionEnvironment env) {
        if (!NAMED_VALUES_REGISTERED.compareAndSet(false, true)) {
            return;
        }
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.SERIALIZATION_CONFIG, List.of(
                LinkedHashMap.class.getName() + ": {type: typeinfo, class: " + NamedValues.Factory.class.getName() + "}"));
        try {
            env.configure(conf);
        } catch (IllegalArgumentException e) {
            if (!(e.getCause() instanceof InvalidTypesException)) {
                throw e;
            }
        }
    }

    /**
     * All the logic: watermarks from event time, key by call id, the conversation-dynamics
     * operator, and the agent windows over its activity. Sources and sinks are the caller's,
     * so tests pass bounded input and collect.
     */
    public static Outputs defineWorkflow(DataStream<CallEvent> events, JobConfig config) {
        return defineWorkflow(events, config, EnumSet.allOf(WindowKind.class));
    }

    /**
     * The same, with only the window kinds in {@code windowKinds}: a recording's run
     * ({@code analyze}) leaves out the floor's live windows, which mean nothing for it.
     */
    public static Outputs defineWorkflow(DataStream<CallEvent> events, JobConfig config,
            Set<WindowKind> windowKinds) {
        return define(events, config, windowKinds, valid -> valid
                .assignTimestampsAndWatermarks(WatermarkStrategy
                        .<CallEvent>forBoundedOutOfOrderness(Duration.ofMillis(config.outOfOrdernessMs()))
                        .withTimestampAssigner((e, previous) -> e.eventTimeMs))
                .setParallelism(events.getParallelism())
                .uid("call-event-watermarks").name("Watermarks (event time)"));
    }

    /**
     * The same workflow for events whose source already assigned event time and watermarks,
     * as a Kafka source does per partition ({@code KafkaCallMetricsJob} with
     * {@link io.earshot.jobs.common.LiveWatermarks}): a second watermark stage after the source
     * would see the partitions interleaved and lose the per-partition tracking, so there is
     * none. {@link JobConfig#outOfOrdernessMs()} is then the source's business.
     */
    public static Outputs defineWorkflowOnTimedEvents(DataStream<CallEvent> events, JobConfig config) {
        return define(events, config, EnumSet.allOf(WindowKind.class), valid -> valid);
    }

    private static Outputs define(DataStream<CallEvent> events, JobConfig config, Set<WindowKind> windowKinds,
            Function<SingleOutputStreamOperator<CallEvent>, DataStream<CallEvent>> timed) {
        // validation and watermarks run chained to the source, so each source partition's
        // order (per call, from Kafka's keyed partitions) reaches the watermark generator intact
        SingleOutputStreamOperator<CallEvent> valid = events
                .process(new EventValidator(), CallEventWire.INSTANCE)
                .setParallelism(events.getParallelism())
                .uid("validate-call-events").name("Validate events");
        SingleOutputStreamOperator<CallSummary> summaries = timed.apply(valid)
                .keyBy(e -> e.callId)
                .process(new CallDynamicsFunction(config))
                .uid("call-dynamics").name("Call dynamics per call");
        AgentWindows.Outputs windows = AgentWindows.define(summaries.getSideOutput(CallDynamicsFunction.ACTIVITY),
                config.windows(), new WindowMetrics.Scoring(config.listening().score(),
                        config.metrics().talkShareLow(), config.metrics().talkShareHigh()), windowKinds);
        return new Outputs(summaries, valid.getSideOutput(CallDynamicsFunction.DEAD_LETTERS)
                .union(summaries.getSideOutput(CallDynamicsFunction.DEAD_LETTERS), windows.late()),
                windows.metrics());
    }
}
