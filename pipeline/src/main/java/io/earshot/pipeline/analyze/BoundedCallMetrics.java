package io.earshot.pipeline.analyze;

import io.earshot.analysis.windows.WindowKind;
import io.earshot.analysis.windows.WindowMetrics;
import io.earshot.jobs.calls.CallMetricsJob;
import io.earshot.analysis.summary.CallSummary;
import io.earshot.analysis.config.JobConfig;
import io.earshot.analysis.events.CallEvent;
import io.earshot.analysis.events.DeadLetter;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Runs the call-metrics job over a bounded list of events on a local Flink MiniCluster in this
 * JVM: the same workflow the live job runs, in streaming mode, so recorded and live calls agree.
 * At the end of input the watermark jumps to the end of time and every call's final summary
 * comes out. No type of the run falls back to Kryo ({@link CallMetricsJob#disableGenericTypes}), and
 * chained operators pass records without copies ({@link CallMetricsJob#reuseObjects}).
 *
 * <p>The events go in and the results come out in memory. The cluster runs in this JVM, so its
 * source reads the caller's list by index and its sinks add to lists of this run, each found
 * through the run's id. Flink's own bounded source ({@code fromData}) serialized every event into
 * the job's definition before the job could start, shipped it to the task and read it back, and
 * its collect sink serialized every result for the client to read back: for a recording of many
 * calls that copying cost more than the job's state, windows and shuffles together, and it ran
 * on one thread. Between the job's operators records still cross Flink's network stack,
 * serialized, as on a cluster. A failed run fails: there is no restart that would repeat a
 * sink's records.
 */
public final class BoundedCallMetrics {

    /**
     * Final summaries, the analysts' hourly and daily windows, and dead letters of one run.
     *
     * @param processingNanos the time from the source taking the run's first event to the last
     *                        result written: the job at work, without the cluster's start, the
     *                        job's submission and the teardown around it (0 without events)
     */
    public record Result(List<CallSummary> summaries, List<WindowMetrics> windows, List<DeadLetter> deadLetters,
            long processingNanos) {
    }

    /** The runs in progress in this JVM: their input, and their outputs so far. */
    private static final Map<String, Run> RUNS = new ConcurrentHashMap<>();

    private record Run(List<CallEvent> events, Queue<CallSummary> summaries, Queue<WindowMetrics> windows,
            Queue<DeadLetter> deadLetters, AtomicLong firstIn, AtomicLong lastOut) {

        /** Notes that a result was written now. */
        void wrote() {
            long now = System.nanoTime();
            lastOut.accumulateAndGet(now, Math::max);
        }
    }

    private BoundedCallMetrics() {
    }

    /** The job over {@code events}, in their order; no events give no results, without starting a cluster. */
    public static Result run(List<CallEvent> events, JobConfig config, int parallelism) throws Exception {
        if (events.isEmpty()) {
            return new Result(List.of(), List.of(), List.of(), 0);
        }
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "disable");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
        CallMetricsJob.disableGenericTypes(env);
        CallMetricsJob.reuseObjects(env);
        String id = UUID.randomUUID().toString();
        Run run = new Run(List.copyOf(events), new ConcurrentLinkedQueue<>(), new ConcurrentLinkedQueue<>(),
                new ConcurrentLinkedQueue<>(), new AtomicLong(), new AtomicLong());
        RUNS.put(id, run);
        try {
            // one reader, in the list's order, as the events were recorded
            DataGeneratorSource<CallEvent> source = new DataGeneratorSource<>(new Events(id), run.events().size(),
                    TypeInformation.of(CallEvent.class));
            // the floor's live sliding windows mean nothing for a recording: only hourly and daily run
            CallMetricsJob.Outputs out = CallMetricsJob.defineWorkflow(
                    env.fromSource(source, WatermarkStrategy.noWatermarks(), "Recorded call events")
                            .setParallelism(1),
                    config, EnumSet.of(WindowKind.HOURLY, WindowKind.DAILY));
            out.summaries().filter(CallSummary::isFinal).name("Final summaries")
                    .sinkTo(new Collected<>(id, Run::summaries)).name("Final summaries to the caller");
            out.windows().sinkTo(new Collected<>(id, Run::windows)).name("Windows to the caller");
            out.deadLetters().sinkTo(new Collected<>(id, Run::deadLetters)).name("Dead letters to the caller");
            env.execute("earshot analyze");
            long processing = run.lastOut().get() == 0 ? 0 : Math.max(0, run.lastOut().get() - run.firstIn().get());
            return new Result(new ArrayList<>(run.summaries()), new ArrayList<>(run.windows()),
                    new ArrayList<>(run.deadLetters()), processing);
        } finally {
            RUNS.remove(id);
        }
    }

    private static Run running(String id) {
        Run run = RUNS.get(id);
        if (run == null) {
            throw new IllegalStateException("no bounded run " + id + " in this JVM: the job runs on a local cluster only");
        }
        return run;
    }

    /** The run's events by index. */
    private static final class Events implements GeneratorFunction<Long, CallEvent> {
        private static final long serialVersionUID = 1L;
        private final String id;
        private transient List<CallEvent> events;

        Events(String id) {
            this.id = id;
        }

        @Override
        public CallEvent map(Long index) {
            if (events == null) {
                Run run = running(id);
                events = run.events();
                run.firstIn().compareAndSet(0, System.nanoTime());
            }
            return events.get(Math.toIntExact(index));
        }
    }

    /** Which of a run's outputs a sink adds to. */
    private interface Output<T> extends Serializable {
        Queue<T> of(Run run);
    }

    /** Adds each record to one of the run's outputs. */
    private static final class Collected<T> implements Sink<T> {
        private static final long serialVersionUID = 1L;
        private final String id;
        private final Output<T> output;

        Collected(String id, Output<T> output) {
            this.id = id;
            this.output = output;
        }

        @Override
        public SinkWriter<T> createWriter(WriterInitContext context) {
            Run run = running(id);
            Queue<T> queue = output.of(run);
            return new SinkWriter<>() {
                @Override
                public void write(T element, Context context) {
                    queue.add(element);
                    run.wrote();
                }

                @Override
                public void flush(boolean endOfInput) {
                }

                @Override
                public void close() {
                }
            };
        }
    }
}
