package io.earshot.pipeline.fault;

import io.earshot.ingest.audio.CallAudio;
import io.earshot.ingest.call.CallAnalysis;
import io.earshot.ingest.call.CallAnalyzer;
import io.earshot.ingest.dsp.VadConfig;
import io.earshot.analysis.windows.WindowKind;
import io.earshot.analysis.windows.WindowMetrics;
import io.earshot.jobs.calls.CallMetricsJob;
import io.earshot.analysis.summary.CallSummary;
import io.earshot.analysis.config.JobConfig;
import io.earshot.analysis.avro.AvroOutputs;
import io.earshot.analysis.events.CallEvent;
import io.earshot.pipeline.analyze.CallEvents;
import io.earshot.pipeline.simulate.SampleCalls;
import io.earshot.schemas.AgentMetricsComputed;
import io.earshot.schemas.CallSummaryComputed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * The input of the fault tests: the four sample calls analysed as speech ingest does (voice
 * activity, pitch, loudness; no ASR, to stay fast), replayed as several calls of three agents
 * in two teams that start a few seconds apart, and the outputs a fault-free run of the job
 * computes from the very same events.
 */
final class RecordedCalls {

    /**
     * The fault tests' {@code --out-of-orderness-ms}. They compare every window with a fault-free
     * run, so no event may reach the job behind its watermark: a late event counts from a later
     * running value, which moves its activity to another window. The paced publisher shares two
     * cores with the broker, the job and the database, and under that load its delay jitters by
     * more than the default 100 ms; a call's event that trails the clock by more than the last
     * record of a call gone quiet did is then late (docs/kafka.md).
     */
    static final String OUT_OF_ORDERNESS_MS = "2000";

    private RecordedCalls() {
    }

    /** The sample calls' analyses, in folder order. */
    static List<CallAnalysis> analyses() throws Exception {
        List<CallAnalysis> all = new ArrayList<>();
        try (Stream<Path> folders = Files.list(SampleCalls.defaultDirectory())) {
            for (Path folder : folders.filter(Files::isDirectory).sorted().toList()) {
                List<Path> files = Arrays.stream(SampleCalls.spec(folder).split(",")).map(Path::of).toList();
                all.add(new CallAnalyzer(VadConfig.DEFAULTS, null, Runnable::run)
                        .analyze(CallAudio.load(files, SampleCalls.agentChannel(folder))));
            }
        }
        return all;
    }

    /**
     * {@code calls} calls, the sample calls round-robin, call {@code i} starting at
     * {@code firstStartMs + i * staggerMs}; every event of all of them in event-time order.
     */
    static List<CallEvent> staggered(List<CallAnalysis> analyses, int calls, long firstStartMs, long staggerMs) {
        List<CallEvent> events = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            events.addAll(CallEvents.of("fault-call-" + i, "agent-" + (i % 3), "team-" + (i % 2), "queue-1",
                    firstStartMs + i * staggerMs, analyses.get(i % analyses.size())));
        }
        events.sort(Comparator.comparingLong(e -> e.eventTimeMs));
        return events;
    }

    /** When the last event happens. */
    static long lastEventMs(List<CallEvent> events) {
        return events.stream().mapToLong(e -> e.eventTimeMs).max().orElseThrow();
    }

    /** What a fault-free run of the job computes from {@code events}. */
    record FaultFree(Map<String, CallSummaryComputed> summaries, Map<WindowKey, AgentMetricsComputed> windows) {

        /** When the last final summary is due: the live run's windows up to here are certain to come out. */
        long lastFinalMs() {
            return summaries.values().stream().mapToLong(s -> s.getEmittedAt().toEpochMilli()).max().orElseThrow();
        }

        /** The windows (live, hourly, daily) that end by {@code endMs}. */
        List<WindowKey> windowsEndingBy(long endMs) {
            return windows.keySet().stream().filter(k -> k.endMs() <= endMs).toList();
        }
    }

    /**
     * Runs the job's workflow over the events on a local MiniCluster, to the end of input: every
     * final summary and every window, the floor's live ones included (which {@code analyze}
     * leaves out), as Avro records.
     */
    static FaultFree faultFree(List<CallEvent> events, JobConfig config) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        CallMetricsJob.Outputs out = CallMetricsJob.defineWorkflow(
                env.fromData(events).setParallelism(1).name("Recorded call events"), config);
        Map<String, CallSummaryComputed> summaries = new LinkedHashMap<>();
        Map<WindowKey, AgentMetricsComputed> windows = new LinkedHashMap<>();
        try (CloseableIterator<Object> it = out.summaries().filter(CallSummary::isFinal).map(s -> (Object) s)
                .union(out.windows().map(w -> (Object) w))
                .executeAndCollect("fault-free run")) {
            while (it.hasNext()) {
                Object o = it.next();
                if (o instanceof CallSummary s) {
                    summaries.put(s.callId(), AvroOutputs.toAvro(s));
                } else {
                    AgentMetricsComputed w = AvroOutputs.toAvro((WindowMetrics) o);
                    if (windows.put(WindowKey.of(w), w) != null) {
                        throw new IllegalStateException("the fault-free run fired a window twice: " + WindowKey.of(w));
                    }
                }
            }
        }
        if (windows.keySet().stream().noneMatch(k -> k.window().equals(WindowKind.LIVE.name()))) {
            throw new IllegalStateException("the fault-free run has no live windows");
        }
        return new FaultFree(summaries, windows);
    }

    /** Which window a window record is: whose, which kind, when. */
    record WindowKey(String scope, String key, String window, long startMs, long endMs) {
        static WindowKey of(AgentMetricsComputed w) {
            return new WindowKey(w.getScope().name(), w.getKey(), w.getWindow().name(),
                    w.getWindowStart().toEpochMilli(), w.getWindowEnd().toEpochMilli());
        }
    }
}
