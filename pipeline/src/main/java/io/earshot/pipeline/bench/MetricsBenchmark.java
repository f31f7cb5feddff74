package io.earshot.pipeline.bench;

import io.earshot.ingest.asr.VoskTranscriber;
import io.earshot.ingest.audio.CallAudio;
import io.earshot.ingest.call.CallAnalysis;
import io.earshot.ingest.call.CallAnalyzer;
import io.earshot.ingest.dsp.VadConfig;
import io.earshot.analysis.config.JobConfig;
import io.earshot.analysis.events.CallEvent;
import io.earshot.analysis.events.ContourBlock;
import io.earshot.analysis.events.SegmentItem;
import io.earshot.analysis.events.UtteranceItem;
import io.earshot.analysis.events.WordItem;
import io.earshot.analysis.listening.BehaviourDetector;
import io.earshot.analysis.listening.ListeningAnalysis;
import io.earshot.analysis.metrics.CallMetrics;
import io.earshot.analysis.metrics.ConversationAnalysis;
import io.earshot.analysis.metrics.Spurt;
import io.earshot.analysis.metrics.TimedWord;
import io.earshot.analysis.summary.CallSummary;
import io.earshot.analysis.summary.CallValues;
import io.earshot.analysis.events.SyntheticCalls;
import io.earshot.pipeline.analyze.BoundedCallMetrics;
import io.earshot.pipeline.analyze.CallEvents;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The call-metrics benchmark: the Flink job's throughput in speech events per second on a
 * local MiniCluster, against a plain single-threaded loop computing the same summaries
 * (running values every {@link JobConfig#runningIntervalMs()} of event time, and the final
 * one) in the same run; and {@code analyze}'s wall time per minute of audio.
 */
public final class MetricsBenchmark {

    static final String BEGIN = "<!-- metrics-benchmark:begin -->";
    static final String END = "<!-- metrics-benchmark:end -->";

    private final Path model;
    private final Path fixtures;
    private final PrintWriter log;

    public MetricsBenchmark(Path model, Path fixtures, PrintWriter log) {
        this.model = model;
        this.fixtures = fixtures;
        this.log = log;
    }

    /** Set in the benchmark's own JVM ({@link #runWithFixedHeap}) to the heap it was given. */
    static final String FIXED_HEAP_PROPERTY = "earshot.bench.fixedHeap";
    /** The largest heap the benchmark's JVM is given: more than its runs hold at once. */
    static final long MAX_FIXED_HEAP_BYTES = 4L << 30;
    /** This JVM's options the benchmark's own JVM does not take: heap sizes, pre-touching, agents. */
    private static final List<String> NOT_PASSED_ON = List.of("-Xms", "-Xmx", "-XX:InitialHeapSize",
            "-XX:MaxHeapSize", "-XX:+AlwaysPreTouch", "-XX:-AlwaysPreTouch", "-agentlib", "-agentpath", "-javaagent");

    /**
     * {@link #run} in a JVM of its own whose heap is fixed and resident from its start
     * ({@code -Xms} = {@code -Xmx}, {@code -XX:+AlwaysPreTouch}), as a TaskManager's heap is
     * fixed ({@code -Xms} = {@code -Xmx}) and, after its first minutes, resident. In a JVM whose
     * heap grows and shrinks, each timed run starts after a full collection that gives memory
     * back, and the run takes it again page by page: the job, which allocates more and keeps more
     * than the plain loop, paid a sixth to a quarter of its call operator's time in page faults,
     * and its processing time was twice as long (docs/benchmarks.md). The heap is this JVM's
     * maximum, at most {@link #MAX_FIXED_HEAP_BYTES}; the other options (the add-opens list, system
     * properties) and the environment are passed on.
     */
    public static void runWithFixedHeap(Path model, Path fixtures, Path report, int copies) throws Exception {
        List<String> cmd = fixedHeapCommand(ChildJvm.java(),
                java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments(),
                Runtime.getRuntime().maxMemory(), ChildJvm.classPath(),
                List.of(model.toString(), fixtures.toString(), report.toString(), Integer.toString(copies)));
        ChildJvm.run(new ProcessBuilder(cmd).inheritIO(), "the metrics benchmark's JVM");
    }

    /**
     * The command of the benchmark's own JVM: {@code java} with this JVM's {@code options} but
     * {@link #NOT_PASSED_ON}, a heap fixed at {@code maxHeapBytes} (at most
     * {@link #MAX_FIXED_HEAP_BYTES}) and resident, on {@code classPath}, running {@link #main}.
     */
    static List<String> fixedHeapCommand(String java, List<String> options, long maxHeapBytes, String classPath,
            List<String> args) {
        return fixedHeapCommand(java, options, maxHeapBytes, classPath, MetricsBenchmark.class, args);
    }

    /** The same, running {@code main}'s {@code main}. */
    static List<String> fixedHeapCommand(String java, List<String> options, long maxHeapBytes, String classPath,
            Class<?> main, List<String> args) {
        long heapMb = Math.min(maxHeapBytes, MAX_FIXED_HEAP_BYTES) >> 20;
        List<String> jvm = new ArrayList<>();
        for (String option : options) {
            if (NOT_PASSED_ON.stream().noneMatch(option::startsWith)) {
                jvm.add(option);
            }
        }
        jvm.addAll(List.of("-Xms" + heapMb + "m", "-Xmx" + heapMb + "m", "-XX:+AlwaysPreTouch",
                "-D" + FIXED_HEAP_PROPERTY + "=" + heapMb));
        return ChildJvm.command(java, jvm, classPath, main, args);
    }

    /** The benchmark's own JVM: {@code MODEL FIXTURES REPORT COPIES}. */
    public static void main(String[] args) throws Exception {
        PrintWriter log = new PrintWriter(System.err, true);
        new MetricsBenchmark(Path.of(args[0]), Path.of(args[1]), log).run(Path.of(args[2]), Integer.parseInt(args[3]));
    }

    public void run(Path report, int copies) throws Exception {
        double loadBefore = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        List<CallAudio> calls = BenchCalls.load(fixtures);
        double audioMinutes = BenchCalls.audioSeconds(calls) / 60;

        // analyze, as the command runs it: ingest with ASR, then the job on a local cluster
        long t0 = System.nanoTime();
        List<CallEvent> base = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (VoskTranscriber asr = VoskTranscriber.open(model, 2)) {
            CallAnalyzer analyzer = new CallAnalyzer(VadConfig.DEFAULTS, asr, pool);
            for (int i = 0; i < calls.size(); i++) {
                CallAnalysis a = analyzer.analyze(calls.get(i));
                base.addAll(CallEvents.of("call-" + i, "agent-" + (i % 3), "team", "queue", 0, a));
            }
        } finally {
            pool.shutdown();
        }
        long ingestNanos = System.nanoTime() - t0;
        BoundedCallMetrics.run(base, JobConfig.DEFAULTS, 2);
        double analyzeSeconds = (System.nanoTime() - t0) / 1e9;
        log.printf("analyze: %.1f s for %.2f min of audio (ingest %.1f s)%n", analyzeSeconds, audioMinutes, ingestNanos / 1e9);

        // many calls: the fixture calls replayed as `copies` distinct calls, overlapping in time,
        // and as three times as many: the job's cost per event is the slope between the two runs,
        // so its fixed cost (cluster start, job submission, teardown) drops out without a
        // separate, noisy estimate of it
        List<CallEvent> events = replayed(base, copies);
        List<CallEvent> more = replayed(base, 3 * copies);
        // warm-up: the first runs still compile the job's code (a run of this size takes about four
        // runs to settle), and that time would land in whichever size ran first and skew the slope;
        // then each round runs both job sizes and both plain loops in turn, so a machine whose speed
        // drifts (other processes taking the cores) slows the job and the plain loop alike, and each
        // figure is the best of the measured rounds, the least disturbed by the machine's other work
        int[] summaries = new int[1];
        int[] plainSummaries = new int[1];
        // and each job run's own processing time: from its source taking the first event to its
        // last result, without the cluster's start and teardown around it (the last rounds' are kept)
        List<double[]> work = new ArrayList<>();
        double[][] rounds = timeRounds(FIXTURE_ROUNDS, FIXTURE_WARM_UP_ROUNDS,
                () -> {
                    BoundedCallMetrics.Result r = BoundedCallMetrics.run(events, JobConfig.DEFAULTS, 2);
                    summaries[0] = r.summaries().size();
                    work.add(new double[] {r.processingNanos() / 1e9, 0});
                },
                () -> work.get(work.size() - 1)[1] = BoundedCallMetrics.run(more, JobConfig.DEFAULTS, 2)
                        .processingNanos() / 1e9,
                () -> plainSummaries[0] = plainLoop(events, JobConfig.DEFAULTS, true),
                () -> plainLoop(events, JobConfig.DEFAULTS, false));
        double[] best = bestOf(rounds);
        double flinkSeconds = best[0];
        double flinkMoreSeconds = best[1];
        double runningSeconds = Math.max(flinkMoreSeconds - flinkSeconds, 1e-3); // for more.size() - events.size()
        double fixedSeconds = flinkSeconds - runningSeconds * events.size() / (more.size() - events.size());
        double plainSeconds = best[2];
        double turnTakingSeconds = best[3];
        // the while-running ratio of each measured round from that round's own runs: how far the
        // best-of figure can be trusted on this machine
        double[] roundRatios = new double[rounds.length];
        for (int r = 0; r < rounds.length; r++) {
            double running = (more.size() - events.size()) / Math.max(rounds[r][1] - rounds[r][0], 1e-3);
            roundRatios[r] = running / (events.size() / rounds[r][2]);
        }
        java.util.Arrays.sort(roundRatios);
        // the same from the job's own processing time in each round's larger run: no difference
        // of two runs, each with its start and teardown, whose noise the difference keeps
        List<double[]> measuredWork = work.subList(work.size() - rounds.length, work.size());
        double[] workRatios = new double[rounds.length];
        double bestWork = Double.MAX_VALUE;
        double bestSmallWork = Double.MAX_VALUE;
        for (int r = 0; r < rounds.length; r++) {
            workRatios[r] = more.size() / measuredWork.get(r)[1] / (events.size() / rounds[r][2]);
            bestWork = Math.min(bestWork, measuredWork.get(r)[1]);
            bestSmallWork = Math.min(bestSmallWork, measuredWork.get(r)[0]);
        }
        java.util.Arrays.sort(workRatios);
        ListeningCost listening = listeningCost(base, JobConfig.DEFAULTS);
        List<LengthCost> byLength = costByCallLength();
        List<OpenCost> byOpen = costByOpenCalls();
        List<double[][]> otherJvms = timeLengthsInOtherJvms();
        log.printf("job: %d events, %d calls: Flink %.2f s (%d events: %.2f s), plain loop %.2f s (%d summaries)%n",
                events.size(), summaries[0], flinkSeconds, more.size(), flinkMoreSeconds, plainSeconds, plainSummaries[0]);

        double loadAfter = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        StringBuilder md = new StringBuilder();
        md.append(BEGIN).append('\n');
        md.append("## Call metrics (Flink job and analyze)\n\n");
        md.append(String.format(Locale.ROOT, "Run %s, %d cores, Java %s. Produced by `./earshot bench metrics`. "
                + "The job runs on a local MiniCluster with parallelism 2, as `analyze` runs it; the plain loop is "
                + "one thread computing the same running and final summaries from the same events, in the same process, "
                + "taking turns with the job's runs. The job's source reads the events from memory and its sinks collect the results in "
                + "memory, as `analyze` runs it (between the job's operators records are serialized as on a cluster). %s"
                + "Every time is the best of %d measured rounds, after %d warm-up rounds; each round runs the smaller "
                + "and the larger job run and the plain loop with and without the listening analysis in turn, so a "
                + "machine whose speed drifts slows them alike. The machine's load average (one minute) was %.1f at the start of the run and %.1f at "
                + "its end: above the core count, other processes took the cores, and every figure is slower by that "
                + "much; compare the columns of one run, not runs.%n%n", LocalDate.now(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), heapNote(),
                FIXTURE_ROUNDS - FIXTURE_WARM_UP_ROUNDS, FIXTURE_WARM_UP_ROUNDS, loadBefore, loadAfter));
        md.append("| measure | value |\n|---|---|\n");
        md.append(row("events (%d fixture calls replayed as %d calls; the larger run %d calls, %d events)".formatted(
                calls.size(), calls.size() * copies, calls.size() * 3 * copies, more.size()), "%d", events.size()));
        double flinkRate = events.size() / flinkSeconds;
        double runningRate = (more.size() - events.size()) / runningSeconds;
        double plainRate = events.size() / plainSeconds;
        md.append(row("Flink job throughput, speech events per second, start-up included", "%.0f", flinkRate));
        md.append(row("Flink job throughput, speech events per second, while running (the extra events of a run "
                + "three times as large over its extra time)", "%.0f", runningRate));
        md.append(row("plain Java loop, speech events per second", "%.0f", plainRate));
        md.append(row("Flink / plain loop throughput ratio, start-up included (same run)", "%.3f", flinkRate / plainRate));
        md.append(row("the same for the larger run (%d calls): the start-up weighs less the more calls follow it"
                .formatted(calls.size() * 3 * copies), "%.3f", more.size() / flinkMoreSeconds / plainRate));
        md.append(row("Flink / plain loop throughput ratio, while running (same run)", "%.3f", runningRate / plainRate));
        md.append(row("the same from each measured round's own runs: lowest, median, highest", "%s",
                String.format(Locale.ROOT, "%.3f, %.3f, %.3f", roundRatios[0], roundRatios[roundRatios.length / 2],
                        roundRatios[roundRatios.length - 1])));
        double workRate = more.size() / bestWork;
        md.append(row("Flink job throughput, speech events per second, processing (the larger run's events over the "
                + "time from its source taking the first one to its last result)", "%.0f", workRate));
        md.append(row("the same for the smaller run", "%.0f", events.size() / bestSmallWork));
        md.append(row("Flink / plain loop throughput ratio, processing (same run)", "%.3f", workRate / plainRate));
        md.append(row("the same from each measured round's own runs: lowest, median, highest", "%s",
                String.format(Locale.ROOT, "%.3f, %.3f, %.3f", workRatios[0], workRatios[workRatios.length / 2],
                        workRatios[workRatios.length - 1])));
        md.append(row("Flink fixed cost per run (cluster start, job submission, teardown: the larger run's line "
                + "extended back to no events)", "%.1f s", fixedSeconds));
        md.append(row("`analyze` wall time per minute of audio (ingest with ASR + job, 2 threads)", "%.1f s",
                analyzeSeconds / audioMinutes));
        md.append(row("of which speech ingest (decode, voice activity, tone, ASR)", "%.1f s", ingestNanos / 1e9 / audioMinutes));
        md.append(row("listening behaviours: detection per utterance (phrase lists, paraphrase overlap)", "%.1f µs",
                listening.perUtteranceMicros()));
        md.append(row("listening analysis per call summary (behaviours, tone, score, coaching; %.0f utterances, %.0f spurts a call)"
                .formatted(listening.utterancesPerCall(), listening.spurtsPerCall()), "%.0f µs", listening.perCallMicros()));
        md.append(row("turn-taking analysis per call summary, for comparison", "%.0f µs", listening.turnTakingMicros()));
        md.append(row("listening analysis per summary of a %.1f-minute call (the calls back to back as one)"
                .formatted(listening.longCallMinutes()), "%.0f µs", listening.longCallMicros()));
        md.append(row("turn-taking analysis per summary of that call, for comparison", "%.0f µs",
                listening.longCallTurnTakingMicros()));
        md.append(row("plain loop time with / without the listening analysis (same run)", "%.2f",
                plainSeconds / turnTakingSeconds));
        md.append(("\nCost per event by call length: seeded synthetic calls (`SyntheticCalls`) at each length, "
                + "through the plain loop, and through the Flink job, whose cost per event is the extra time over "
                + "the extra events of the larger run against a run of a third of its calls (so the fixed cost drops "
                + "out), in the same run. The lengths take turns: each of %d rounds runs every length's plain loop, "
                + "smaller and larger job run once, and each figure is the best of the last %d rounds, so a machine "
                + "whose speed drifts during the benchmark slows every row alike. The larger run has %d hours of calls at every length (%d one-minute calls, "
                + "%d of 60 minutes), so each run has about as many events and its work is seconds at every "
                + "length. Calls start the call length over %d apart, so once a run is under way %d calls are open "
                + "at once at every length, as on a floor of %d agents: the rows differ in the length of the calls "
                + "alone, not in how much call state is held at once. Flat means the cost per event does not grow "
                + "with the call. The job's cost per event is also read from the larger run alone: its processing "
                + "time (from its source taking the first event to its last result, so without the cluster's start "
                + "and teardown) over its events, a figure that needs no difference of two runs and so keeps less of "
                + "their noise; it includes the run's start, while the first calls open and none has ended yet. "
                + "The plain loop runs twice: once taking the calls one after another, each from "
                + "its start to its end, and once holding them open at once as the job does, taking the events "
                + "in event-time order across calls, so that between two summaries of a call come those of every "
                + "other call open then; the same summaries either way. What the second costs over the first is "
                + "what reading a call's state back after the other calls' work costs (the processor's caches, "
                + "the collector's work on state that lives longer), which grows with the state a call holds; "
                + "the job pays it too, and the ratio to the second shows the job's own cost. The bytes the "
                + "plain loop allocates per event (counted by the JVM for its thread, calls one after another) "
                + "measure its work without the machine's speed: they are the same in every run. The last column, "
                + "counted in a run of its own, is how much of its call each running value's turn-taking computed "
                + "again: the spurts from the end of the call's settled part (the part before a silence of both "
                + "parties that nothing later can change) on, and the call time from there to its latest speech; "
                + "the rest of the math mostly takes in only what is new (what does not is said below), so when this "
                + "stays put the running value's work hardly grows with the call.\n\n")
                .formatted(LENGTH_ROUNDS, LENGTH_ROUNDS - WARM_UP_ROUNDS, 3 * HOURS_OF_CALLS, 3 * HOURS_OF_CALLS * 60,
                        3 * HOURS_OF_CALLS, OPEN_CALLS, OPEN_CALLS,
                        OPEN_CALLS));
        md.append("| call length | calls | events | Flink µs per event | plain loop µs per event, calls one after another |"
                + " plain loop µs per event, calls open at once | Flink / plain throughput (calls one after another) |"
                + " Flink / plain throughput (calls open at once) | Flink cost per event vs 1-minute calls |"
                + " Flink µs per event, processing time of the larger run | the same vs 1-minute calls |"
                + " plain loop (one after another) vs 1-minute calls | plain loop (open at once) vs 1-minute calls |"
                + " plain loop bytes allocated per event | the same vs 1-minute calls |"
                + " turn-taking computed again per running value: spurts (call time) |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        LengthCost first = byLength.get(0);
        for (LengthCost c : byLength) {
            md.append(String.format(Locale.ROOT,
                    "| %d min | %d | %d | %.1f | %.1f | %.1f | %.3f | %.3f | %.2f | %.1f | %.2f | %.2f | %.2f | %.0f | %.2f | %.1f (%.1f s) |%n",
                    c.minutes(), c.calls(), c.events(), c.flinkMicros(), c.plainMicros(), c.plainOpenMicros(),
                    c.plainMicros() / c.flinkMicros(), c.plainOpenMicros() / c.flinkMicros(),
                    c.flinkMicros() / first.flinkMicros(), c.flinkWorkMicros(),
                    c.flinkWorkMicros() / first.flinkWorkMicros(), c.plainMicros() / first.plainMicros(),
                    c.plainOpenMicros() / first.plainOpenMicros(), c.plainBytesPerEvent(),
                    c.plainBytesPerEvent() / first.plainBytesPerEvent(), c.reach().spurtsPerValue(),
                    c.reach().secondsPerValue()));
        }
        md.append(("\nThe same rows timed again in %d JVMs started afresh after this one, one after another, each "
                + "with the same heap, options, calls and rounds: a JVM compiles the code its own way and its heap "
                + "lands on the machine's memory its own way, and on this machine one JVM's rows have moved by a "
                + "fifth or more against another's, more than the rows differ. Each cell gives the cost per event "
                + "against 1-minute calls in each JVM, this one's first, and their median, the figure to read.\n\n"
                + "| call length | Flink cost per event vs 1-minute calls, each JVM | median | Flink processing time per "
                + "event vs 1-minute calls, each JVM | median | plain loop (one after another) vs 1-minute calls, "
                + "each JVM | median | plain loop (open at once) vs 1-minute calls, each JVM | median |\n"
                + "|---|---|---|---|---|---|---|---|---|\n").formatted(otherJvms.size()));
        List<double[][]> jvmRatios = new ArrayList<>();
        jvmRatios.add(lengthRatios(perEvent(byLength)));
        for (double[][] times : otherJvms) {
            jvmRatios.add(lengthRatios(perEvent(times, byLength)));
        }
        for (int l = 0; l < byLength.size(); l++) {
            md.append("| ").append(byLength.get(l).minutes()).append(" min |");
            for (int k = 0; k < 4; k++) {
                double[] each = new double[jvmRatios.size()];
                List<String> cells = new ArrayList<>();
                for (int j = 0; j < each.length; j++) {
                    each[j] = jvmRatios.get(j)[l][k];
                    cells.add(String.format(Locale.ROOT, "%.2f", each[j]));
                }
                md.append(' ').append(String.join(", ", cells)).append(" | ")
                        .append(String.format(Locale.ROOT, "%.2f", median(each))).append(" |");
            }
            md.append('\n');
        }
        LengthCost longest = byLength.get(byLength.size() - 1);
        md.append(("\nThe %d-minute calls' running values by where in the call they fall (the plain loop's runs above, "
                + "each running value's math timed): the time of the running values due in each stretch of call "
                + "time over the events taken in it, the best of the measured rounds. A rule whose cost grows with "
                + "the call so far makes a later stretch dearer than an earlier one of the same calls; a call's "
                + "first half-minute is cheaper because less of the math applies yet (the turn-taking since the "
                + "last settled silence is cut short by the call's start, tone waits for 10-60 s of speech).\n\n"
                + "| call time | running values | µs per event, calls one after another | the same vs minutes 1-5 |"
                + " µs per event, calls open at once | the same vs minutes 1-5 | µs per running value, one after another |\n"
                + "|---|---|---|---|---|---|---|\n").formatted(longest.minutes()));
        String[] stretches = {"0-30 s", "30-60 s", "1-5 min", "5-15 min", "15-30 min", "30-60 min", "60 min on"};
        Positions longestApart = longest.apart();
        Positions longestOpen = longest.open();
        for (int i = 0; i < stretches.length; i++) {
            if (longestApart.values[i] == 0) {
                continue;
            }
            md.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.2f | %.1f | %.2f | %.0f |%n", stretches[i],
                    longestApart.values[i], longestApart.microsPerEvent(i),
                    longestApart.microsPerEvent(i) / longestApart.microsPerEvent(2), longestOpen.microsPerEvent(i),
                    longestOpen.microsPerEvent(i) / longestOpen.microsPerEvent(2), longestApart.microsPerValue(i)));
        }
        md.append(("\nThe plain loop with the calls open at once, by how many are open (5-minute and 60-minute "
                + "calls, %d hours of each, starting the call length over that many apart; the calls and their "
                + "summaries are the same in every row, only their start times differ). Each figure is the best of "
                + "the last %d of %d rounds, in which every length and count takes its turn. Where the cost per "
                + "event follows how many long calls are open rather than how long they are, what grows is the state "
                + "read back after the other calls' work, not the math of a running value.\n\n"
                + "| calls open at once | 5-minute calls, µs per event | 60-minute calls, µs per event |"
                + " 60-minute vs 5-minute calls | 60-minute calls vs one open |\n|---|---|---|---|---|\n")
                .formatted(3 * HOURS_OF_CALLS, OPEN_ROUNDS - OPEN_WARM_UP_ROUNDS, OPEN_ROUNDS));
        OpenCost single = byOpen.get(0);
        for (OpenCost c : byOpen) {
            md.append(String.format(Locale.ROOT, "| %d | %.1f | %.1f | %.2f | %.2f |%n", c.open(), c.shortMicros(),
                    c.longMicros(), c.longMicros() / c.shortMicros(), c.longMicros() / single.longMicros()));
        }
        md.append("\nThe running values as the Kafka job writes them to `earshot.call-live` (Avro), for the "
                + "smaller run of each length: the floor, the alerts and the live watchers read them. The table "
                + "above leaves their encoding out (the job's sinks collect the values in memory). Each carries the "
                + "call's metrics, thresholds and score whole, and of its evidence (interruptions, backchannels, "
                + "gaps, behaviours, tone events, ...) only what changed since the call's previous running value; "
                + "one every five minutes of call time carries all of it.\n\n"
                + "| call length | running values | mean bytes per running value | mean bytes, last tenth of the call |"
                + " live-topic bytes per event | the same vs 1-minute calls |\n|---|---|---|---|---|---|\n");
        for (LengthCost c : byLength) {
            LiveBytes v = c.live();
            md.append(String.format(Locale.ROOT, "| %d min | %d | %.0f | %.0f | %.0f | %.2f |%n", c.minutes(),
                    v.values(), v.meanBytes(), v.lateMeanBytes(), v.perEvent(), v.perEvent() / first.live().perEvent()));
        }
        md.append(("\nWhere the time goes: every running value runs the metric math (turn-taking and listening) "
                + "over the call's events known by then, in the job as in the plain loop (both call `CallValues`, "
                + "each keeping one `CallValues.Memo` per call). The memo keeps the call's events in order with "
                + "what was made of them, the turn-taking of the call up to its last settled silence, each "
                + "utterance's listening behaviours with the call's list of them, and each party's voice (its words "
                + "counted into its spurts, its level and pitch medians, its loud stretches with their judged "
                + "parts, its fast-speech runs by rate, the tone windows already judged and merged). Whoever keeps "
                + "the call's events (the job's state reader, the plain loop) tells it how many of them are the ones "
                + "it was given last, so it takes in the new ones without comparing or copying the call's lists; "
                + "the sums the listening totals and the coaching take are kept with the turn-taking's parts. A "
                + "running value's lists of the call's interruptions, turns, gaps and behaviours share the items "
                + "settled before with the earlier running values' (`SharedList`), so only what is new is copied. "
                + "A summary whose party's baseline did not move and in which no new block or window changes a "
                + "verdict keeps that party's raised-voice, agitation and monotone events, and the call's sorted "
                + "tone events, from the summary before; the listening counts and what the coaching notes read "
                + "are kept with the lists of behaviours and tone events they came from. What still grows with the "
                + "call: each fast-speech event's values against the moved baseline rate, the events of a party "
                + "whose baseline moved made again, the trees and heaps of a long call's rates and levels read in "
                + "logarithmic time, and, with many calls open at once, a long call's state read back out of the "
                + "processor's cache after the other calls' work (the plain loop with the calls open at once). "
                + "What makes 1-minute calls cheaper per event is not their length alone: the turn-taking "
                + "of a running value is recomputed from the call's last settled silence, and a short call's parts "
                + "are cut short by its start; a party's tone is judged only once its baseline rests on 10 s of its "
                + "speech, agitation on 45 s and monotone on 60 s, which few 1-minute calls reach. %s The job adds the "
                + "serialization of each event and activity record between operators (records within "
                + "a chain pass without copies), state access, timers, and the agent, team and queue windows (hourly "
                + "and daily: a recording's run has no live windows). Running values carry no segments or transcript "
                + "(the final summary does). On short calls the fixed cost of starting the local cluster is most of "
                + "a run this size, hence the two ratios. Each Flink figure without its fixed cost comes from a "
                + "difference of two run times of one to five seconds, each the best of its rounds: the least steady "
                + "figures of the table, a fifth or more apart between runs on a loaded machine.\n").formatted(fromFiveMinutes(byLength)));
        md.append(END).append('\n');
        IngestBenchmark.writeSection(report, md.toString(), BEGIN, END);
    }

    /** The growth of the cost per event from 5-minute calls on, once the rules that need minutes of speech apply. */
    private static String fromFiveMinutes(List<LengthCost> byLength) {
        LengthCost five = null;
        LengthCost longest = byLength.get(byLength.size() - 1);
        for (LengthCost c : byLength) {
            if (c.minutes() == 5) {
                five = c;
            }
        }
        if (five == null || five == longest) {
            return "";
        }
        return String.format(Locale.ROOT, "From 5-minute to %d-minute calls the cost per event grows %.2f× in the "
                + "Flink job, %.2f× in the plain loop taking the calls one after another and %.2f× in the one "
                + "holding them open at once.", longest.minutes(), longest.flinkMicros() / five.flinkMicros(),
                longest.plainMicros() / five.plainMicros(), longest.plainOpenMicros() / five.plainOpenMicros());
    }

    /** Work to time; it may throw. */
    interface Timed {
        void run() throws Exception;
    }

    static final int FIXTURE_ROUNDS = 9;
    static final int FIXTURE_WARM_UP_ROUNDS = 4;

    /**
     * The wall times of each of {@code runs}, in seconds, per measured round: {@code warmUp}
     * rounds first (the JIT compiler settles the job's code over the first runs), then the
     * others, each running every one of {@code runs} in turn, from a collected heap, so none gains
     * from running after another's warm-up and a drift of the machine's speed weighs on all alike.
     */
    static double[][] timeRounds(int rounds, int warmUp, Timed... runs) throws Exception {
        double[][] times = new double[rounds - warmUp][runs.length];
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < runs.length; k++) {
                double t = seconds(runs[k]);
                if (round >= warmUp) {
                    times[round - warmUp][k] = t;
                }
            }
        }
        return times;
    }

    /** Per run, the shortest of its times over the rounds. */
    static double[] bestOf(double[][] rounds) {
        double[] best = new double[rounds[0].length];
        java.util.Arrays.fill(best, Double.MAX_VALUE);
        for (double[] round : rounds) {
            for (int k = 0; k < round.length; k++) {
                best[k] = Math.min(best[k], round[k]);
            }
        }
        return best;
    }

    /**
     * Hours of calls in the smaller run of each call length (the larger has three times as many):
     * the same at every length, so every run has about as many events, and the runs' difference
     * is seconds at every length and not lost in the noise of the job's fixed cost. (An hour of
     * calls has about 2400 events whatever their length.)
     */
    static final int HOURS_OF_CALLS = 20;

    /**
     * How many calls are open at once once a run of one length is under way: a floor of that many
     * agents, whatever the length of their calls. Calls start the length over this apart. With a
     * fixed spacing instead, a run of long calls holds many more calls open at once than one of
     * short calls, and the job's cost per event would grow with the state held open as much as
     * with the call's length.
     */
    static final int OPEN_CALLS = 60;

    /**
     * Cost per event of calls of one length, Flink (fixed cost left out) and the plain loop.
     * {@code apart} and {@code open}: the plain loops' running values by where in the call they
     * fall, best of the measured rounds (the longest calls only; null for the others); {@code reach}:
     * what its running values computed again.
     */
    record LengthCost(int minutes, int calls, int events, int smallEvents, double flinkMicros, double flinkWorkMicros,
            double plainMicros, double plainOpenMicros, double plainBytesPerEvent, LiveBytes live, Positions apart, Positions open,
            Reach reach) {
    }

    /**
     * How much of its call each running value's turn-taking computed again: the spurts from the
     * end of the call's settled part on (all of them when none is settled), and the call time
     * from there to the running value's latest speech. Bounded whatever the call's length when
     * the math is what is new in the call; a call's first running values reach back to its start.
     */
    static final class Reach {
        long values;
        long spurts;
        long ms;

        void add(List<SegmentItem> sorted, long settledUntilMs, long latestMs) {
            int lo = 0;
            int hi = sorted.size();
            while (lo < hi) { // the first spurt starting at or after the settled part's end
                int mid = (lo + hi) >>> 1;
                if (sorted.get(mid).startMs() < settledUntilMs) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            values++;
            spurts += sorted.size() - lo;
            ms += latestMs - Math.max(0, settledUntilMs);
        }

        double spurtsPerValue() {
            return values == 0 ? Double.NaN : spurts / (double) values;
        }

        double secondsPerValue() {
            return values == 0 ? Double.NaN : ms / 1e3 / values;
        }
    }

    static final int OPEN_ROUNDS = 6;
    static final int OPEN_WARM_UP_ROUNDS = 2;

    /** The plain loop's cost per event with {@code open} calls open at once, 5-minute and 60-minute calls. */
    record OpenCost(int open, double shortMicros, double longMicros) {
    }

    /**
     * The plain loop with the calls open at once ({@link #plainLoopOpen}), 5-minute and 60-minute
     * calls, with 1, 4, 16 and {@link #OPEN_CALLS} of them open at once: the same calls (the larger
     * run of {@link #costByCallLength}) at each count, started the call length over the count apart.
     * Every count and length takes its turn in each round; each figure is the best of its rounds.
     */
    List<OpenCost> costByOpenCalls() throws Exception {
        int[] lengths = {5, 60};
        int[] opens = {1, 4, 16, OPEN_CALLS};
        List<List<CallEvent>> runs = new ArrayList<>();
        List<Timed> timed = new ArrayList<>();
        for (int open : opens) {
            for (int minutes : lengths) {
                List<CallEvent> events = SyntheticCalls.calls(3 * HOURS_OF_CALLS * 60 / minutes, minutes,
                        1_764_000_000_000L, minutes * 60_000L / open, minutes);
                runs.add(events);
                timed.add(() -> plainLoopOpen(events, JobConfig.DEFAULTS, true, s -> { }));
            }
        }
        double[] best = bestOf(timeRounds(OPEN_ROUNDS, OPEN_WARM_UP_ROUNDS, timed.toArray(Timed[]::new)));
        List<OpenCost> costs = new ArrayList<>();
        for (int o = 0; o < opens.length; o++) {
            int k = o * lengths.length;
            costs.add(new OpenCost(opens[o], best[k] * 1e6 / runs.get(k).size(),
                    best[k + 1] * 1e6 / runs.get(k + 1).size()));
            log.printf("%d calls open at once: 5-minute calls %.2f s for %d events, 60-minute calls %.2f s for %d%n",
                    opens[o], best[k], runs.get(k).size(), best[k + 1], runs.get(k + 1).size());
        }
        return costs;
    }

    /**
     * The running values of a run as the Kafka job writes them to {@code earshot.call-live}
     * (Avro, {@code AvroSerde}): how many, their mean size, and the mean size of those in the last
     * tenth of their call, over the run's {@code events}.
     */
    record LiveBytes(int events, long values, double meanBytes, double lateMeanBytes) {
        double perEvent() {
            return meanBytes * values / events;
        }
    }

    /**
     * The time the running values' math takes by where in its call each falls: per stretch of
     * call time ({@link #EDGES_MS}), the time of the running values due in it over the events
     * taken in it, so a rule that costs more the longer the call has gone on shows as a later
     * stretch costing more per event than an earlier one of the same calls.
     */
    static final class Positions {
        static final long[] EDGES_MS = {30_000, 60_000, 300_000, 900_000, 1_800_000, 3_600_000};
        final long[] nanos = new long[EDGES_MS.length + 1];
        final long[] values = new long[EDGES_MS.length + 1];
        final long[] events = new long[EDGES_MS.length + 1];

        private static int stretch(long positionMs) {
            int i = 0;
            while (i < EDGES_MS.length && positionMs >= EDGES_MS[i]) {
                i++;
            }
            return i;
        }

        void event(long positionMs) {
            events[stretch(positionMs)]++;
        }

        void summary(long positionMs, long nanos) {
            int i = stretch(positionMs);
            this.nanos[i] += nanos;
            values[i]++;
        }

        /** Microseconds of running-value math per event taken in stretch {@code i}. */
        double microsPerEvent(int i) {
            return events[i] == 0 ? Double.NaN : nanos[i] / 1e3 / events[i];
        }

        double microsPerValue(int i) {
            return values[i] == 0 ? Double.NaN : nanos[i] / 1e3 / values[i];
        }

        /**
         * Per stretch, the figures of whichever of two rounds over the same calls took less time
         * per event ({@code a} may be null).
         */
        static Positions best(Positions a, Positions b) {
            if (a == null) {
                return b;
            }
            Positions out = new Positions();
            for (int i = 0; i < out.nanos.length; i++) {
                Positions p = a.microsPerEvent(i) <= b.microsPerEvent(i) ? a : b;
                out.nanos[i] = p.nanos[i];
                out.values[i] = p.values[i];
                out.events[i] = p.events[i];
            }
            return out;
        }
    }

    /** Encodes every running value of {@code events}' calls as the live topic carries it. */
    static LiveBytes liveBytes(List<CallEvent> events, int minutes) {
        io.earshot.contracts.AvroSerde<io.earshot.schemas.CallSummaryComputed> serde =
                io.earshot.contracts.AvroSerde.of(io.earshot.schemas.CallSummaryComputed.class);
        long[] sums = new long[4]; // values, bytes, late values, late bytes
        long lateFromMs = minutes * 60_000L * 9 / 10;
        plainLoop(events, JobConfig.DEFAULTS, true, s -> {
            if (s.isFinal()) {
                return;
            }
            int bytes = serde.serialize(io.earshot.contracts.Topics.CALL_LIVE,
                    io.earshot.analysis.avro.AvroOutputs.toAvro(s)).length;
            sums[0]++;
            sums[1] += bytes;
            if (s.metrics().durationMs() >= lateFromMs) {
                sums[2]++;
                sums[3] += bytes;
            }
        });
        return new LiveBytes(events.size(), sums[0], sums[1] / (double) Math.max(1, sums[0]), sums[3] / (double) Math.max(1, sums[2]));
    }

    /** What the report says of the JVM's heap. */
    private static String heapNote() {
        String fixed = System.getProperty(FIXED_HEAP_PROPERTY);
        if (fixed == null) {
            return String.format(Locale.ROOT, "The JVM's heap was not fixed (at most %d MB): every figure includes page "
                    + "faults of a heap that grows and shrinks between runs. ", Runtime.getRuntime().maxMemory() >> 20);
        }
        return "The benchmark runs in a JVM of its own whose heap is fixed at " + fixed + " MB and resident from its "
                + "start (-Xms = -Xmx, -XX:+AlwaysPreTouch), as a TaskManager's heap is fixed and, after its first "
                + "minutes, resident: no run pays page faults for memory an earlier run gave back. ";
    }

    /** Rounds of {@link #costByCallLength}: the first {@link #WARM_UP_ROUNDS} are left out. */
    static final int LENGTH_ROUNDS = 7;
    static final int WARM_UP_ROUNDS = 3;

    /**
     * Per call length (1, 5, 15, 60 minutes): {@link #HOURS_OF_CALLS} hours of seeded synthetic calls
     * and three times as many through the job, whose cost per event is the slope between the two
     * runs (the fixed cost drops out), and the larger run through the plain loop, once with the
     * calls one after another and once with them open at once ({@link #plainLoopOpen}). The lengths
     * take turns within each round (every round runs each length's plain loops, smaller and larger
     * job run once), and each figure is the best of its rounds: a machine whose speed drifts over the
     * minutes of the benchmark slows every length alike, where measuring one length after the other
     * would lay the drift across the rows.
     */
    List<LengthCost> costByCallLength() throws Exception {
        List<List<CallEvent>> smalls = lengthRuns(1);
        List<List<CallEvent>> larges = lengthRuns(3);
        LengthTimes times = timeLengths(smalls, larges, true);
        double[][] best = times.best();
        List<LengthCost> costs = new ArrayList<>();
        for (int l = 0; l < CALL_LENGTHS.length; l++) {
            int minutes = CALL_LENGTHS[l];
            Reach reach = new Reach(); // counted in a run of its own, untimed
            plainLoop(larges.get(l), JobConfig.DEFAULTS, true, s -> { }, null, reach);
            int events = larges.get(l).size();
            double[] perEvent = perEvent(best[l], smalls.get(l).size(), events);
            log.printf("%d-minute calls: Flink %.2f s for %d events, %.2f s for %d; plain loop %.2f s for %d, "
                    + "with the calls open at once %.2f s%n", minutes, best[l][1], smalls.get(l).size(), best[l][2],
                    events, best[l][0], events, best[l][3]);
            boolean longest = l == CALL_LENGTHS.length - 1;
            costs.add(new LengthCost(minutes, 3 * HOURS_OF_CALLS * 60 / minutes, events, smalls.get(l).size(),
                    perEvent[0] * 1e6, perEvent[1] * 1e6, perEvent[2] * 1e6, perEvent[3] * 1e6,
                    times.allocated()[l] / (double) events, liveBytes(smalls.get(l), minutes),
                    longest ? times.apart() : null, longest ? times.open() : null, reach));
        }
        return costs;
    }

    /** The call lengths of {@link #costByCallLength}, in minutes. */
    static final int[] CALL_LENGTHS = {1, 5, 15, 60};

    /**
     * The calls of each of {@link #CALL_LENGTHS}: {@code factor} times {@link #HOURS_OF_CALLS} hours
     * of seeded synthetic calls, started the call length over {@link #OPEN_CALLS} apart. The same
     * calls in every JVM.
     */
    static List<List<CallEvent>> lengthRuns(int factor) {
        List<List<CallEvent>> runs = new ArrayList<>();
        for (int minutes : CALL_LENGTHS) {
            runs.add(SyntheticCalls.calls(factor * HOURS_OF_CALLS * 60 / minutes, minutes, 1_764_000_000_000L,
                    minutes * 60_000L / OPEN_CALLS, minutes));
        }
        return runs;
    }

    /**
     * The timed runs of {@link #costByCallLength}: per length, the best of the measured rounds of
     * the plain loop (calls one after another), the smaller and the larger job run, the plain loop
     * (calls open at once), and the larger job run's processing time (its source's first event to
     * its last result), in seconds; the bytes the plain loop's thread allocated in its last run; and
     * the longest calls' running values by where in the call they fall (when {@code positions}).
     */
    record LengthTimes(double[][] best, long[] allocated, Positions apart, Positions open) {
    }

    static LengthTimes timeLengths(List<List<CallEvent>> smalls, List<List<CallEvent>> larges, boolean positions)
            throws Exception {
        int lengths = CALL_LENGTHS.length;
        double[][] best = new double[lengths][5];
        long[] allocated = new long[lengths];
        Positions longestApart = null;
        Positions longestOpen = null;
        for (double[] b : best) {
            java.util.Arrays.fill(b, Double.MAX_VALUE);
        }
        for (int round = 0; round < LENGTH_ROUNDS; round++) {
            for (int l = 0; l < lengths; l++) {
                List<CallEvent> small = smalls.get(l);
                List<CallEvent> large = larges.get(l);
                // the longest calls' running values are timed by where in the call they fall
                Positions apart = positions && l == lengths - 1 ? new Positions() : null;
                Positions open = positions && l == lengths - 1 ? new Positions() : null;
                long before = allocatedBytes();
                double plain = seconds(() -> plainLoop(large, JobConfig.DEFAULTS, true, s -> { }, apart));
                allocated[l] = allocatedBytes() - before;
                long[] work = new long[1];
                double[] times = {
                    plain,
                    seconds(() -> BoundedCallMetrics.run(small, JobConfig.DEFAULTS, 2)),
                    seconds(() -> work[0] = BoundedCallMetrics.run(large, JobConfig.DEFAULTS, 2).processingNanos()),
                    seconds(() -> plainLoopOpen(large, JobConfig.DEFAULTS, true, s -> { }, open)),
                    0};
                times[4] = work[0] / 1e9;
                if (round >= WARM_UP_ROUNDS && apart != null) {
                    longestApart = Positions.best(longestApart, apart);
                    longestOpen = Positions.best(longestOpen, open);
                }
                if (round >= WARM_UP_ROUNDS) {
                    for (int k = 0; k < times.length; k++) {
                        best[l][k] = Math.min(best[l][k], times[k]);
                    }
                }
            }
        }
        return new LengthTimes(best, allocated, longestApart, longestOpen);
    }

    /**
     * JVMs started afresh, one after another, that time the call-length rows again
     * ({@link #timeLengths}), besides the benchmark's own: a JVM compiles the code its own way and
     * its heap lands on the machine's memory its own way, and on this machine one JVM's rows moved
     * by a fifth or more against another's, more than the rows differ. Each is given this JVM's heap
     * and options.
     */
    static final int OTHER_LENGTH_JVMS = 2;

    /**
     * A JVM's cost per event of each call length against its 1-minute calls ({@code [length][k]}):
     * the Flink job (the difference of its two runs), its larger run's processing time, the plain
     * loop taking the calls one after another, and holding them open at once.
     */
    static double[][] lengthRatios(double[][] perEvent) {
        double[][] ratios = new double[perEvent.length][perEvent[0].length];
        for (int l = 0; l < perEvent.length; l++) {
            for (int k = 0; k < perEvent[l].length; k++) {
                ratios[l][k] = perEvent[l][k] / perEvent[0][k];
            }
        }
        return ratios;
    }

    /**
     * Seconds per event of one length from its times ({@link LengthTimes#best}): the job's extra
     * time over the extra events of its larger run, the larger run's processing time, and the plain
     * loops, over the larger run's {@code events}.
     */
    static double[] perEvent(double[] best, int smallEvents, int events) {
        return new double[] {Math.max(best[2] - best[1], 1e-3) / (events - smallEvents), best[4] / events,
            best[0] / events, best[3] / events};
    }

    /** The costs per event of {@link #lengthRatios} from a JVM's times ({@link LengthTimes#best}) of these runs. */
    static double[][] perEvent(double[][] best, List<LengthCost> runs) {
        double[][] perEvent = new double[best.length][];
        for (int l = 0; l < best.length; l++) {
            perEvent[l] = perEvent(best[l], runs.get(l).smallEvents(), runs.get(l).events());
        }
        return perEvent;
    }

    /** The same of the rows of this JVM ({@link #costByCallLength}). */
    static double[][] perEvent(List<LengthCost> rows) {
        double[][] perEvent = new double[rows.size()][];
        for (int l = 0; l < rows.size(); l++) {
            LengthCost c = rows.get(l);
            perEvent[l] = new double[] {c.flinkMicros(), c.flinkWorkMicros(), c.plainMicros(), c.plainOpenMicros()};
        }
        return perEvent;
    }

    /** The median of {@code values} (the mean of the middle two of an even count). */
    static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /** {@link #timeLengths} in a JVM of its own: one line per call length, {@code length MINUTES} and its five times. */
    static final class LengthJvm {
        private LengthJvm() {
        }

        public static void main(String[] args) throws Exception {
            LengthTimes times = timeLengths(lengthRuns(1), lengthRuns(3), false);
            for (int l = 0; l < CALL_LENGTHS.length; l++) {
                StringBuilder line = new StringBuilder("length ").append(CALL_LENGTHS[l]);
                for (double t : times.best()[l]) {
                    line.append(' ').append(t);
                }
                System.out.println(line);
            }
        }

        /** The times of a {@link LengthJvm}'s output, per call length of {@link #CALL_LENGTHS}. */
        static double[][] parse(List<String> lines) {
            double[][] best = new double[CALL_LENGTHS.length][];
            for (String line : lines) {
                String[] f = line.trim().split(" ");
                if (f.length != 7 || !f[0].equals("length")) {
                    continue; // not one of its lines
                }
                int minutes = Integer.parseInt(f[1]);
                for (int l = 0; l < CALL_LENGTHS.length; l++) {
                    if (CALL_LENGTHS[l] == minutes) {
                        best[l] = new double[5];
                        for (int k = 0; k < 5; k++) {
                            best[l][k] = Double.parseDouble(f[k + 2]);
                        }
                    }
                }
            }
            for (int l = 0; l < best.length; l++) {
                if (best[l] == null) {
                    throw new IllegalStateException("no times for " + CALL_LENGTHS[l] + "-minute calls in " + lines);
                }
            }
            return best;
        }
    }

    /** {@link #OTHER_LENGTH_JVMS} {@link LengthJvm}s, one after another, each with this JVM's heap and options. */
    List<double[][]> timeLengthsInOtherJvms() throws Exception {
        List<double[][]> out = new ArrayList<>();
        for (int j = 0; j < OTHER_LENGTH_JVMS; j++) {
            List<String> cmd = fixedHeapCommand(ChildJvm.java(),
                    java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments(),
                    Runtime.getRuntime().maxMemory(), ChildJvm.classPath(), LengthJvm.class, List.of());
            List<String> lines = ChildJvm.run(new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT),
                    "a call-length JVM");
            out.add(LengthJvm.parse(lines));
            log.printf("call lengths in a JVM of their own: %s%n", String.join("; ", lines));
        }
        return out;
    }

    /**
     * One run's wall time, from a collected heap: what a run before it (a job's state, its
     * garbage) left on the heap is not collected, nor concurrently marked, in this run's time.
     */
    /** Bytes the current thread has allocated so far (the JVM counts them per thread). */
    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
    }

    private static double seconds(Timed run) throws Exception {
        System.gc();
        long t0 = System.nanoTime();
        run.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    /** What the listening analysis costs, measured on the fixture calls' final events. */
    record ListeningCost(double perUtteranceMicros, double perCallMicros, double turnTakingMicros,
            double utterancesPerCall, double spurtsPerCall, double longCallMicros, double longCallTurnTakingMicros,
            double longCallMinutes) {
    }

    static ListeningCost listeningCost(List<CallEvent> base, JobConfig config) {
        Map<String, List<CallEvent>> byCall = new LinkedHashMap<>();
        for (CallEvent e : base) {
            byCall.computeIfAbsent(e.callId, k -> new ArrayList<>()).add(e);
        }
        List<List<SegmentItem>> segments = new ArrayList<>();
        List<List<UtteranceItem>> utterances = new ArrayList<>();
        List<List<TimedWord>> words = new ArrayList<>();
        List<Long> durations = new ArrayList<>();
        for (List<CallEvent> call : byCall.values()) {
            List<SegmentItem> segs = new ArrayList<>();
            List<UtteranceItem> utts = new ArrayList<>();
            List<TimedWord> ws = new ArrayList<>();
            long end = 0;
            for (CallEvent e : call) {
                switch (e.kind) {
                    case SEGMENT -> segs.add(segment(e));
                    case UTTERANCE -> {
                        utts.add(new UtteranceItem(e.role, e.startMs, e.endMs, e.text, e.words));
                        for (WordItem w : e.words) {
                            ws.add(new TimedWord(e.role, w.word(), w.startMs(), w.endMs()));
                        }
                    }
                    default -> { }
                }
                end = Math.max(end, e.endMs);
            }
            segs.sort(java.util.Comparator.comparingLong(SegmentItem::startMs));
            utts.sort(java.util.Comparator.comparingLong(UtteranceItem::startMs));
            segments.add(segs);
            utterances.add(utts);
            words.add(ws);
            durations.add(end);
        }
        ListeningAnalysis analysis = new ListeningAnalysis(config.listening());
        BehaviourDetector detector = new BehaviourDetector(config.listening().phrases());
        int reps = 300;
        long totalUtterances = 0;
        long detect = 0;
        long listen = 0;
        long turns = 0;
        int found = 0;
        for (int r = 0; r < reps + 50; r++) { // the first 50 rounds warm up
            boolean measured = r >= 50;
            for (int c = 0; c < segments.size(); c++) {
                List<Spurt> spurts = segments.get(c).stream().map(s -> new Spurt(s.role(), s.startMs(), s.endMs()))
                        .toList();
                long t0 = System.nanoTime();
                CallMetrics m = ConversationAnalysis.analyze(durations.get(c), spurts, words.get(c), config.metrics());
                long t1 = System.nanoTime();
                found += detector.detect(utterances.get(c)).size();
                long t2 = System.nanoTime();
                found += analysis.analyze(segments.get(c), utterances.get(c), m, true).coaching().size();
                long t3 = System.nanoTime();
                if (measured) {
                    turns += t1 - t0;
                    detect += t2 - t1;
                    listen += t3 - t2;
                    totalUtterances += utterances.get(c).size();
                }
            }
        }
        double calls = (double) reps * segments.size();
        double spurtsPerCall = segments.stream().mapToInt(List::size).average().orElse(0);
        double utterancesPerCall = utterances.stream().mapToInt(List::size).average().orElse(0);
        // a long call: the fixture calls back to back until it lasts 4 minutes, as one call
        List<SegmentItem> longSegs = new ArrayList<>();
        List<UtteranceItem> longUtts = new ArrayList<>();
        List<TimedWord> longWords = new ArrayList<>();
        long offset = 0;
        while (offset < 240_000) {
            for (int c = 0; c < segments.size(); c++) {
                long shift = offset;
                for (SegmentItem x : segments.get(c)) {
                    longSegs.add(new SegmentItem(x.role(), x.startMs() + shift, x.endMs() + shift, x.pitchMedianHz(),
                            x.pitchRangeSemitones(), x.loudnessDbfs(), x.contour().stream()
                                    .map(b -> new ContourBlock(b.startMs() + shift, b.endMs() + shift,
                                            b.loudnessDbfs(), b.pitchSemitones())).toList()));
                }
                for (UtteranceItem u : utterances.get(c)) {
                    longUtts.add(new UtteranceItem(u.role(), u.startMs() + shift, u.endMs() + shift, u.text(),
                            u.words().stream().map(w -> new WordItem(w.word(), w.startMs() + shift, w.endMs() + shift,
                                    w.conf())).toList()));
                }
                for (TimedWord w : words.get(c)) {
                    longWords.add(new TimedWord(w.role(), w.word(), w.startMs() + shift, w.endMs() + shift));
                }
                offset += durations.get(c);
            }
        }
        List<Spurt> longSpurts = longSegs.stream().map(x -> new Spurt(x.role(), x.startMs(), x.endMs())).toList();
        long longTurns = 0;
        long longListen = 0;
        int longReps = 60;
        for (int r = 0; r < longReps + 10; r++) {
            long t0 = System.nanoTime();
            CallMetrics m = ConversationAnalysis.analyze(offset, longSpurts, longWords, config.metrics());
            long t1 = System.nanoTime();
            found += analysis.analyze(longSegs, longUtts, m, true).behaviours().size();
            long t2 = System.nanoTime();
            if (r >= 10) {
                longTurns += t1 - t0;
                longListen += t2 - t1;
            }
        }
        if (found < 0) {
            throw new IllegalStateException("unreachable: keeps the results alive");
        }
        return new ListeningCost(detect / 1e3 / Math.max(1, totalUtterances), listen / 1e3 / calls,
                turns / 1e3 / calls, utterancesPerCall, spurtsPerCall, longListen / 1e3 / longReps,
                longTurns / 1e3 / longReps, offset / 60_000.0);
    }

    /** The fixture calls' events replayed as {@code copies} distinct calls, 3 s apart, in event-time order. */
    private static List<CallEvent> replayed(List<CallEvent> base, int copies) {
        List<CallEvent> events = new ArrayList<>();
        for (int c = 0; c < copies; c++) {
            long offset = c * 3_000L;
            for (CallEvent e : base) {
                events.add(copy(e, e.callId + "-" + c, offset));
            }
        }
        events.sort(java.util.Comparator.comparingLong(e -> e.eventTimeMs));
        return events;
    }

    private static SegmentItem segment(CallEvent e) {
        return SegmentItem.of(e);
    }

    private static String row(String name, String format, Object value) {
        return "| " + name + " | " + String.format(Locale.ROOT, format, value) + " |\n";
    }

    private static CallEvent copy(CallEvent e, String callId, long offsetMs) {
        CallEvent c = new CallEvent();
        c.kind = e.kind;
        c.callId = callId;
        c.eventTimeMs = e.eventTimeMs + offsetMs;
        c.agentId = e.agentId;
        c.team = e.team;
        c.queue = e.queue;
        c.mediaStartEpochMs = e.mediaStartEpochMs + offsetMs;
        c.role = e.role;
        c.startMs = e.startMs;
        c.endMs = e.endMs;
        c.pitchMedianHz = e.pitchMedianHz;
        c.pitchRangeSemitones = e.pitchRangeSemitones;
        c.loudnessDbfs = e.loudnessDbfs;
        c.text = e.text;
        c.words = new ArrayList<>(e.words);
        c.contourBlockMs = e.contourBlockMs;
        c.contour = new ArrayList<>(e.contour);
        c.reason = e.reason;
        return c;
    }

    /**
     * The baseline: the summaries the job emits for each call ({@link PlainCall}), the calls one
     * after another; returns how many.
     */
    static int plainLoop(List<CallEvent> events, JobConfig config, boolean listening) {
        int[] summaries = new int[1];
        plainLoop(events, config, listening, s -> summaries[0]++);
        return summaries[0];
    }

    /** The same, handing each summary to {@code out}: the calls one after another, each from start to end. */
    static void plainLoop(List<CallEvent> events, JobConfig config, boolean listening,
            java.util.function.Consumer<CallSummary> out) {
        plainLoop(events, config, listening, out, null);
    }

    /** The same, timing each running value's math into {@code positions} (when not null). */
    static void plainLoop(List<CallEvent> events, JobConfig config, boolean listening,
            java.util.function.Consumer<CallSummary> out, Positions positions) {
        plainLoop(events, config, listening, out, positions, null);
    }

    /** The same, counting what each running value's turn-taking computed again into {@code reach} (when not null). */
    static void plainLoop(List<CallEvent> events, JobConfig config, boolean listening,
            java.util.function.Consumer<CallSummary> out, Positions positions, Reach reach) {
        ListeningAnalysis analysis = listening ? new ListeningAnalysis(config.listening()) : null;
        Map<String, List<CallEvent>> byCall = new LinkedHashMap<>();
        for (CallEvent e : events) {
            byCall.computeIfAbsent(e.callId, k -> new ArrayList<>()).add(e);
        }
        for (List<CallEvent> call : byCall.values()) {
            call.sort(java.util.Comparator.comparingLong(e -> e.eventTimeMs));
            PlainCall c = new PlainCall(call.get(0), config, analysis, out, positions, reach);
            for (CallEvent e : call) {
                c.take(e);
            }
            c.finish();
        }
    }

    /**
     * The same summaries with the calls open at once, as the job holds them: the events taken in
     * event-time order across calls, each call's state (its memo included) kept from its first
     * event to its last, so between two summaries of one call come those of every other call open
     * then. On a floor of many agents this is the order the math meets a call's events in; its
     * cost over {@link #plainLoop} is what reading a call's state back after the other calls'
     * work costs (the processor's caches, the collector's work on state that lives longer).
     */
    static void plainLoopOpen(List<CallEvent> events, JobConfig config, boolean listening,
            java.util.function.Consumer<CallSummary> out) {
        plainLoopOpen(events, config, listening, out, null);
    }

    /** The same, timing each running value's math into {@code positions} (when not null). */
    static void plainLoopOpen(List<CallEvent> events, JobConfig config, boolean listening,
            java.util.function.Consumer<CallSummary> out, Positions positions) {
        ListeningAnalysis analysis = listening ? new ListeningAnalysis(config.listening()) : null;
        List<CallEvent> ordered = new ArrayList<>(events);
        ordered.sort(java.util.Comparator.comparingLong(e -> e.eventTimeMs)); // stable: a call's order as plainLoop's
        Map<String, Integer> left = new java.util.HashMap<>();
        for (CallEvent e : ordered) {
            left.merge(e.callId, 1, Integer::sum);
        }
        Map<String, PlainCall> open = new java.util.HashMap<>();
        for (CallEvent e : ordered) {
            PlainCall c = open.computeIfAbsent(e.callId, k -> new PlainCall(e, config, analysis, out, positions, null));
            c.take(e);
            if (left.merge(e.callId, -1, Integer::sum) == 0) {
                c.finish();
                open.remove(e.callId);
            }
        }
    }

    /**
     * One call in the plain loop: the summaries the job emits for it (see
     * {@code CallDynamicsFunction}), a running value at each multiple of
     * {@link JobConfig#runningIntervalMs()} that follows a new event, from the events known by
     * then, none at or after the call's end event, and the final summary; each computed by
     * {@link CallValues}, the job's own code, told that the events given last time are unchanged
     * (the lists only grow), and built into the same {@link CallSummary}, which names the
     * evidence it keeps of the call's previous running value as the job's does.
     */
    private static final class PlainCall {
        private final CallEvent start;
        private final JobConfig config;
        private final ListeningAnalysis analysis;
        private final java.util.function.Consumer<CallSummary> out;
        private final Positions positions;
        private final Reach reach;
        private final List<SegmentItem> segments = new ArrayList<>();
        private final List<UtteranceItem> utterances = new ArrayList<>();
        private final CallValues.Memo memo = new CallValues.Memo(); // as the job keeps one per call
        /** What the call's running values sent, as the job keeps it (each leaves out what was sent). */
        private final io.earshot.analysis.summary.EvidenceSent sent = new io.earshot.analysis.summary.EvidenceSent();
        /** How many segments and utterances the memo was given last. */
        private int givenSegments;
        private int givenUtterances;
        private Long end;
        /** The grid time of the next running value. */
        private long due = Long.MAX_VALUE;

        PlainCall(CallEvent start, JobConfig config, ListeningAnalysis analysis,
                java.util.function.Consumer<CallSummary> out, Positions positions, Reach reach) {
            this.start = start;
            this.config = config;
            this.analysis = analysis;
            this.out = out;
            this.positions = positions;
            this.reach = reach;
        }

        /** Takes the call's next event (in event-time order), after the running value due before it. */
        void take(CallEvent e) {
            if (e.eventTimeMs > due) {
                summarize(false, due);
                due = Long.MAX_VALUE;
            }
            if (positions != null) {
                positions.event(e.eventTimeMs - start.eventTimeMs);
            }
            switch (e.kind) {
                case SEGMENT -> segments.add(segment(e));
                case UTTERANCE -> utterances.add(new UtteranceItem(e.role, e.startMs, e.endMs, e.text, e.words));
                case ENDED -> end = e.endMs;
                default -> { }
            }
            if (e.kind == CallEvent.Kind.ENDED) {
                due = Long.MAX_VALUE; // none at or after the end
            } else if (end == null && e.kind != CallEvent.Kind.STARTED && due == Long.MAX_VALUE) {
                due = config.runningMarkAtOrAfter(e.eventTimeMs);
            }
        }

        /** After the call's last event: the running value still due, and the final summary. */
        void finish() {
            if (due != Long.MAX_VALUE) {
                summarize(false, due);
            }
            summarize(true, Long.MAX_VALUE);
        }

        private void summarize(boolean isFinal, long at) {
            long t0 = positions == null || isFinal ? 0 : System.nanoTime();
            CallValues v = CallValues.of(segments, givenSegments, utterances, givenUtterances, isFinal ? end : null,
                    config, analysis, isFinal, memo);
            if (t0 != 0) {
                positions.summary(at - start.eventTimeMs, System.nanoTime() - t0);
            }
            if (reach != null && !isFinal) {
                reach.add(v.segments(), memo.settledUntilMs(), v.metrics().durationMs());
            }
            givenSegments = segments.size();
            givenUtterances = utterances.size();
            out.accept(sent.next(new CallSummary(start.callId, start.agentId, start.team, start.queue,
                    start.mediaStartEpochMs, isFinal, isFinal ? "ended" : null, at, v.metrics(),
                    isFinal ? v.segments().stream().map(SegmentItem::withoutContour).toList() : List.of(),
                    isFinal ? v.utterances() : List.of(), null, v.listening(), start.redaction)));
        }
    }
}
