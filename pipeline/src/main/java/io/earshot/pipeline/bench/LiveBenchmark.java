package io.earshot.pipeline.bench;

import io.earshot.pipeline.live.EmbeddedStack;
import io.earshot.pipeline.live.LiveMetricsWatcher;
import io.earshot.pipeline.simulate.AudioHookClient;
import io.earshot.pipeline.simulate.CallMetadata;
import io.earshot.pipeline.simulate.CallResult;
import io.earshot.pipeline.simulate.FrameListener;
import io.earshot.pipeline.simulate.SampleCalls;
import io.earshot.pipeline.simulate.SimulatedCall.Recording;
import io.earshot.pipeline.simulate.SimulationReport;
import io.earshot.pipeline.simulate.Simulator;
import io.earshot.schemas.CallSummaryComputed;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live load benchmark: the embedded stack (Kafka, the metric job on a local Flink cluster,
 * live ingest) on this machine, fed by the simulator with N concurrent calls over AudioHook in
 * real time, for growing N, with and without transcription. For each step it reports the
 * {@code opened} latency, the end-to-end latency from an audio frame leaving the client to the
 * first running value (on {@code earshot.call-live}) that covers that audio, and whether the
 * step was sustained: every call clean and complete and, without transcription, end-to-end
 * p99 within {@value #SUSTAINED_P99_MS} ms; with transcription, no speech region skipped and
 * none waiting longer than {@value #SUSTAINED_ASR_LAG_MS} ms.
 */
public final class LiveBenchmark {

    static final String BEGIN = "<!-- live-benchmark:begin -->";
    static final String END = "<!-- live-benchmark:end -->";
    /** The section of a run on lengthened calls ({@link #withCallSeconds}), kept beside the one above. */
    static final String LONG_BEGIN = "<!-- live-benchmark-long:begin -->";
    static final String LONG_END = "<!-- live-benchmark-long:end -->";
    /** End-to-end p99 a sustained step stays within: the live floor's "within seconds". */
    static final long SUSTAINED_P99_MS = 3_000;
    /** With transcription: the longest a speech region may wait for a recogniser (half the skip bound). */
    static final long SUSTAINED_ASR_LAG_MS = 10_000;

    private final Path model;
    private final Path fixtures;
    private final PrintWriter log;
    private final io.earshot.ingest.asr.AsrProfile profile;
    private int callSeconds;

    public LiveBenchmark(Path model, Path fixtures, PrintWriter log) {
        this(model, fixtures, log, io.earshot.ingest.asr.AsrProfile.ACCURATE);
    }

    /** @param profile the recogniser profile of the series with transcription */
    public LiveBenchmark(Path model, Path fixtures, PrintWriter log, io.earshot.ingest.asr.AsrProfile profile) {
        this.model = model;
        this.fixtures = fixtures;
        this.log = log;
        this.profile = profile;
    }

    /**
     * Streams each sample call repeated back to back until it lasts at least {@code seconds}
     * (0: as recorded). The sample calls last 9 to 22 s, so a step on them is a burst that the
     * recognisers may clear after the calls end; on calls of minutes, a step holds only if they
     * keep up while the calls go on. Results go to a section of their own.
     */
    public LiveBenchmark withCallSeconds(int seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException("call seconds must not be negative, got " + seconds);
        }
        this.callSeconds = seconds;
        return this;
    }

    /** The recording repeated back to back until it has at least {@code seconds} of audio. */
    static Recording lengthened(Recording r, int seconds) {
        long want = (long) seconds * io.earshot.pipeline.simulate.SimulatedCall.SAMPLE_RATE;
        if (r.samples() == 0 || r.samples() >= want) {
            return r;
        }
        int copies = (int) ((want + r.samples() - 1) / r.samples());
        short[] agent = new short[copies * r.samples()];
        short[] customer = new short[agent.length];
        for (int i = 0; i < copies; i++) {
            System.arraycopy(r.agent(), 0, agent, i * r.samples(), r.samples());
            System.arraycopy(r.customer(), 0, customer, i * r.samples(), r.samples());
        }
        return new Recording(r.stem(), agent, customer);
    }

    /**
     * The {@code n} calls of a step: the recordings in turn, as the simulator takes them, each
     * copy of a recording starting at another point of it. Copy {@code k} of the {@code c}
     * copies of a recording in the step starts {@code k / c} of the way into it and wraps round
     * to its start (both parties shifted alike, so the conversation stays as recorded). Copies
     * started together at the recording's start speak in step, as independent calls on a floor
     * do not: the recognisers then get the same region {@code c} times over, which costs them
     * about 0.6 of what as many different regions cost, and a step held that does not hold with
     * the copies apart (docs/benchmarks.md, live calls of at least 90 s). Each copy but the
     * first of a recording is a copy of its audio: a step holds {@code n} calls' audio at once
     * (256 calls of 90 s, about 740 MB of heap), made before the step's CPU time is taken.
     */
    static List<Recording> staggeredCopies(List<Recording> recordings, int n) {
        int r = recordings.size();
        List<Recording> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Recording rec = recordings.get(i % r);
            int copies = (n - 1 - i % r) / r + 1;
            int copy = i / r;
            out.add(rotated(rec, (int) ((long) rec.samples() * copy / copies)));
        }
        return out;
    }

    /** {@code r} starting {@code shift} samples in, its first {@code shift} samples moved to its end. */
    static Recording rotated(Recording r, int shift) {
        if (shift == 0) {
            return r;
        }
        return new Recording(r.stem(), rotated(r.agent(), shift), rotated(r.customer(), shift));
    }

    private static short[] rotated(short[] a, int shift) {
        short[] out = new short[a.length];
        System.arraycopy(a, shift, out, 0, a.length - shift);
        System.arraycopy(a, 0, out, a.length - shift, shift);
        return out;
    }

    /** One step's figures. */
    record Step(boolean asr, int calls, int clean, int finals, long openedP50Ms, long openedP99Ms, long e2eP50Ms,
                long e2eP99Ms, int samples, long skippedRegions, long maxAsrLagMs, double cpuLoad, Stages stages) {
        boolean sustained() {
            boolean complete = clean == calls && finals == calls && samples > 0;
            // with transcription, keeping up is the recognisers' to do: nothing skipped, lag bounded
            return asr ? complete && skippedRegions == 0 && maxAsrLagMs <= SUSTAINED_ASR_LAG_MS
                    : complete && e2eP99Ms <= SUSTAINED_P99_MS;
        }
    }

    /**
     * Where the e2e latency goes, p50 and p99 of each stage over the samples that came from a spurt
     * (ms): {@code ingest} from the frame holding the spurt's end leaving the client to the spurt
     * being readable on {@code earshot.speech} (the voice-activity decision, ingest, publishing);
     * {@code job} from there to the running value being read (watermark, mark, output);
     * {@code mark} the event time from the spurt's end to the running value's mark: the
     * detector's decision (a spurt is stamped when it was decided) and the wait for the next
     * mark, so it spans the ingest stage and part of the job's; {@code edges} from the frame
     * holding a speech edge leaving the client to the edge being readable, over the edges
     * (provisional or decided) that change the floor's speaking state ({@code SpeakingState}).
     */
    record Stages(long[] ingest, long[] job, long[] mark, long[] edges) {
        static final Stages NONE = new Stages(new long[] {-1, -1}, new long[] {-1, -1}, new long[] {-1, -1},
                new long[] {-1, -1});

        String describe() {
            return String.format(Locale.ROOT, "ingest p50 %d / p99 %d ms, job p50 %d / p99 %d ms (mark after the spurt's"
                    + " end p50 %d / p99 %d ms), speech edges p50 %d / p99 %d ms", ingest[0], ingest[1], job[0], job[1],
                    mark[0], mark[1], edges[0], edges[1]);
        }
    }

    /** Calls streamed once before each series and not reported. */
    static final int WARM_UP_CALLS = 4;

    public void run(Path report, int[] withoutAsr, int[] withAsr, int asrWorkers) throws Exception {
        List<Recording> recordings = SampleCalls.load(fixtures).stream().map(r -> lengthened(r, callSeconds)).toList();
        List<Step> steps = new ArrayList<>();
        steps.addAll(series(recordings, false, withoutAsr, asrWorkers));
        steps.addAll(series(recordings, true, withAsr, asrWorkers));
        if (callSeconds > 0) {
            IngestBenchmark.writeSection(report, render(steps, asrWorkers, profile.configName(), LONG_BEGIN, LONG_END,
                    "## Live calls of at least " + callSeconds + " s (embedded stack, AudioHook, real time)\n\n"
                            + "Each sample call is streamed repeated back to back until it lasts at least " + callSeconds
                            + " s (`--call-seconds " + callSeconds + "`): the calls go on while the recognisers work,"
                            + " unlike the bursts of the section above; otherwise the same set-up and columns."),
                    LONG_BEGIN, LONG_END);
        } else {
            IngestBenchmark.writeSection(report, render(steps, asrWorkers, profile.configName(), BEGIN, END,
                    "## Live calls (embedded stack, AudioHook, real time)"), BEGIN, END);
        }
    }

    private List<Step> series(List<Recording> recordings, boolean asr, int[] counts, int workers) throws Exception {
        List<Step> out = new ArrayList<>();
        if (counts.length == 0) {
            return out; // no stack, no warm-up
        }
        // every simulated call uses the one demo API key, and the bench measures capacity, so the
        // call bounds are raised to the largest step; media stays real time
        int most = java.util.Arrays.stream(counts).max().orElse(0) + WARM_UP_CALLS;
        int maxCalls = Math.max(most, io.earshot.pipeline.live.CallRegistry.Limits.DEFAULT_MAX_CALLS);
        // the stack loads the model it is given, so the profile's model directory is given to it
        Path profiled = asr ? profile.apply(model) : null;
        EmbeddedStack.Options options = EmbeddedStack.Options.of(profiled)
                .withTranscription(asr, workers, Duration.ofSeconds(20))
                .withLimits(new io.earshot.pipeline.config.EarshotConfig.Limits(maxCalls, maxCalls, null, null, null,
                        null, null, null, null));
        EmbeddedStack started;
        try {
            started = EmbeddedStack.start(options, line -> { });
        } finally {
            if (profiled != null) {
                profile.discard(profiled, model); // loaded by now
            }
        }
        try (EmbeddedStack stack = started) {
            // a few calls first, not reported: the broker's topic metadata, the job's first
            // records and the JIT are warm before the first measured step
            Step warm = step(stack, recordings, asr, WARM_UP_CALLS);
            log.printf(Locale.ROOT, "%s warm-up, %d calls: clean %d, finals %d (not reported)%n", asr ? "asr" : "vad",
                    WARM_UP_CALLS, warm.clean(), warm.finals());
            for (int n : counts) {
                Step s = step(stack, recordings, asr, n);
                out.add(s);
                log.printf(Locale.ROOT, "%s %3d calls: clean %d, finals %d, opened p99 %d ms, e2e p50 %d / p99 %d ms,"
                                + " skipped %d, cpu %.0f%% -> %s%n    %s%n", asr ? "asr" : "vad", n, s.clean(), s.finals(),
                        s.openedP99Ms(), s.e2eP50Ms(), s.e2eP99Ms(), s.skippedRegions(), s.cpuLoad() * 100,
                        s.sustained() ? "sustained" : "NOT sustained", s.stages().describe());
                log.flush();
                if (!s.sustained()) {
                    break;
                }
            }
        }
        return out;
    }

    private Step step(EmbeddedStack stack, List<Recording> recordings, boolean asr, int n) throws Exception {
        String prefix = (asr ? "asr" : "vad") + n + "-";
        List<Recording> named = recordings.stream().map(r -> new Recording(prefix + r.stem(), r.agent(), r.customer()))
                .toList();
        Map<String, List<long[]>> sent = new ConcurrentHashMap<>();
        FrameListener frames = (callId, positionMs, wallNanos) -> sent
                .computeIfAbsent(callId, k -> java.util.Collections.synchronizedList(new ArrayList<>()))
                .add(new long[] {positionMs, wallNanos / 1_000_000});
        AudioHookClient client = new AudioHookClient(AudioHookClient.Config.of(stack.ingest().ingest().audioHookUri(),
                EmbeddedStack.API_KEY, stack.clientSecret(), 1.0), HttpClient.newHttpClient(), Clock.systemUTC());
        SpeechProbe probe = new SpeechProbe(stack.kafka().bootstrapServers(), stack.kafka().clientProperties()).start();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        List<Recording> calls = staggeredCopies(named, n);
        long cpu0 = os.getProcessCpuTime();
        long wall0 = System.nanoTime();
        // starts spread over two seconds, as calls arrive on a floor
        SimulationReport report = new Simulator(client, frames).run(calls, n,
                new CallMetadata("agent-{i}", "bench", "bench"), Duration.ofMillis(Math.max(1, 2_000 / n)));
        List<String> ids = report.calls().stream().map(CallResult::callId).toList();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!stack.watcher().finals().keySet().containsAll(ids) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        double cpuLoad = (os.getProcessCpuTime() - cpu0) / (double) (System.nanoTime() - wall0)
                / Runtime.getRuntime().availableProcessors();
        // only the first running value to cover new audio counts: a later value that covers no
        // more (e.g. one that adds a late utterance) says nothing about how fast audio got through
        probe.close();
        List<Long> e2e = new ArrayList<>();
        List<Long> ingestStage = new ArrayList<>();
        List<Long> jobStage = new ArrayList<>();
        List<Long> markStage = new ArrayList<>();
        Map<String, Long> covered = new java.util.HashMap<>();
        for (LiveMetricsWatcher.Received r : stack.watcher().history()) {
            CallSummaryComputed s = r.summary();
            String id = s.getCallId().toString();
            List<long[]> f = sent.get(id);
            if (s.getIsFinal() || f == null || s.getDurationMs() <= covered.getOrDefault(id, -1L)) {
                continue;
            }
            covered.put(id, s.getDurationMs());
            Long at = sentAt(f, s.getDurationMs());
            if (at != null) {
                e2e.add(r.receivedAtMs() - at);
                Long read = probe.segmentRead(id, s.getDurationMs());
                if (read != null) {
                    ingestStage.add(read - at);
                    jobStage.add(r.receivedAtMs() - read);
                    markStage.add(s.getEmittedAt().toEpochMilli() - s.getMediaStartTime().toEpochMilli()
                            - s.getDurationMs());
                }
            }
        }
        // the edges that change the floor's speaking state, applied as the floor applies them
        List<Long> edgeStage = new ArrayList<>();
        Map<String, io.earshot.pipeline.dashboard.SpeakingState> floor = new java.util.HashMap<>();
        for (SpeechProbe.Edge edge : probe.edges()) {
            boolean changed = floor.computeIfAbsent(edge.callId() + "/" + edge.role(),
                    k -> new io.earshot.pipeline.dashboard.SpeakingState()).apply(edge.atMs(), edge.speaking());
            List<long[]> f = sent.get(edge.callId());
            Long at = f == null ? null : sentAt(f, edge.atMs());
            if (changed && at != null) {
                edgeStage.add(edge.readAtMs() - at);
            }
        }
        Stages stages = new Stages(p50p99(ingestStage), p50p99(jobStage), p50p99(markStage), p50p99(edgeStage));
        long skipped = 0;
        long maxLag = 0;
        int finals = 0;
        for (String id : ids) {
            LiveMetricsWatcher.Received fin = stack.watcher().finals().get(id);
            if (fin != null) {
                finals++;
                skipped += fin.summary().getTranscriptionSkippedRegions();
                maxLag = Math.max(maxLag, fin.summary().getMaxTranscriptionLagMs());
            }
        }
        long[] lat = e2e.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Step(asr, n, (int) report.ok(), finals, report.openedLatencyNanos(0.5) / 1_000_000,
                report.openedLatencyNanos(0.99) / 1_000_000, pct(lat, 0.5), pct(lat, 0.99), lat.length, skipped, maxLag,
                cpuLoad, stages);
    }

    private static long[] p50p99(List<Long> values) {
        long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
        return new long[] {pct(sorted, 0.5), pct(sorted, 0.99)};
    }

    /** When the frame holding media position {@code positionMs} was sent (wall ms), or null. */
    private static Long sentAt(List<long[]> frames, long positionMs) {
        synchronized (frames) {
            Long at = null;
            for (long[] f : frames) {
                if (f[0] <= positionMs) {
                    at = f[1];
                } else {
                    break;
                }
            }
            return at;
        }
    }

    private static long pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return -1;
        }
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static String render(List<Step> steps, int workers, String profileName, String begin, String end,
            String heading) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append(begin).append('\n');
        b.append(heading).append("\n\n");
        b.append(String.format(Locale.ROOT, "Run %s, %d cores, Java %s, %s. Produced by `./earshot bench live`. One process runs"
                        + " the embedded Kafka broker, the metric job on a local Flink cluster (parallelism 2) and live ingest;"
                        + " the simulator streams the sample calls over AudioHook in real time (100 ms frames) from the same"
                        + " machine, N at once with starts spread over 2 s, so client, broker, job and ingest share the cores."
                        + " Copy k of the c copies of a sample call in a step starts k/c of the way into it and wraps round,"
                        + " so that copies do not speak in step as copies started together would."
                        + " With transcription: %d recognisers (profile `" + profileName + "`, native settings: "
                        + IngestBenchmark.nativeTuning() + "), regions skipped after 20 s of lag. **e2e** is the time from an"
                        + " audio frame leaving the client to the first running value on `earshot.call-live` that covers"
                        + " that audio (it includes the voice-activity decision delay, Kafka both ways, the job's watermark"
                        + " and its " + io.earshot.jobs.calls.KafkaJobConfig.DEFAULT_RUNNING_INTERVAL_MS
                        + " ms marks). It splits into **ingest** (from that frame leaving the client to the spurt"
                        + " that ends there being readable on `earshot.speech`: the detector's decision, 0.58 to 0.88 s"
                        + " of audio after the spurt's end, and publishing) and **job** (from there to the running value"
                        + " being read: watermark, mark, output); **edges** is from the frame holding a speech edge"
                        + " leaving the client to the edge being readable on `earshot.speech`, over the edges that change"
                        + " the floor's speaking state (the provisional ones, and a decided one where the provisional"
                        + " decision missed it). Each is p50 / p99. A step is **sustained** when every call closes cleanly and"
                        + " gets its final summary and, without transcription, e2e p99 is at most %d ms; with"
                        + " transcription, when no speech region was skipped and none waited more than %d s for a"
                        + " recogniser (**max ASR lag**). With transcription e2e is reported but not judged: a running"
                        + " value can first cover new audio through an utterance, whose region reaches 350 ms past the"
                        + " spurt and which arrives after recognition, so e2e then includes recognition time even with"
                        + " one call. The series stops at the first step that is not sustained. **CPU** is this"
                        + " process's CPU time over wall time and cores, simulator included. Latencies are whole"
                        + " milliseconds, truncated: an opened latency of 0 ms is under 1 ms.\n\n",
                LocalDate.now(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                IngestBenchmark.cpuModel(), workers, SUSTAINED_P99_MS, SUSTAINED_ASR_LAG_MS / 1000));
        b.append("| transcription | calls | clean | finals | opened p50 | opened p99 | e2e p50 | e2e p99 | e2e samples |"
                + " ingest | job | edges | skipped regions | max ASR lag | CPU | sustained |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Step s : steps) {
            Stages st = s.stages();
            b.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d ms | %d ms | %d ms | %d ms | %d | %d / %d ms"
                            + " | %d / %d ms | %d / %d ms | %d | %.1f s | %.0f%% | %s |%n",
                    s.asr() ? "on" : "off", s.calls(), s.clean(), s.finals(), s.openedP50Ms(), s.openedP99Ms(),
                    s.e2eP50Ms(), s.e2eP99Ms(), s.samples(), st.ingest()[0], st.ingest()[1], st.job()[0], st.job()[1],
                    st.edges()[0], st.edges()[1], s.skippedRegions(), s.maxAsrLagMs() / 1000.0,
                    s.cpuLoad() * 100, s.sustained() ? "yes" : "**no**"));
        }
        b.append('\n').append("Sustained here: ").append(series(steps, false, "without transcription")).append(", ")
                .append(series(steps, true, "with it"))
                .append(" (the largest sustained step of each series; the true limit lies between it and the next step).\n");
        b.append(end).append('\n');
        return b.toString();
    }

    /** The largest sustained step of one series, or that the series was not run or not sustained. */
    private static String series(List<Step> steps, boolean asr, String label) {
        List<Step> run = steps.stream().filter(s -> s.asr() == asr).toList();
        if (run.isEmpty()) {
            return label + ": not run";
        }
        OptionalInt best = run.stream().filter(Step::sustained).mapToInt(Step::calls).max();
        return best.isPresent() ? "**" + best.getAsInt() + " concurrent real-time calls " + label + "**"
                : label + ": no step sustained (smallest tried " + run.get(0).calls() + ")";
    }

    public static int[] parse(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt)
                .toArray();
    }
}
