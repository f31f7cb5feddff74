package io.earshot.pipeline.bench;

import io.earshot.ingest.asr.AsrProfile;
import io.earshot.ingest.asr.RecognizerPool;
import io.earshot.ingest.asr.Utterance;
import io.earshot.ingest.asr.VoskTranscriber;
import io.earshot.ingest.asr.WordErrorRate;
import io.earshot.ingest.audio.CallAudio;
import io.earshot.ingest.audio.SincUpsampler2x;
import io.earshot.ingest.call.CallAnalyzer;
import io.earshot.ingest.dsp.VadConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The speech-ingest benchmark: DSP throughput in real-time channels per core, ASR real-time
 * factor with speech gating against a plain Vosk loop over the whole audio (both in this one
 * run, so the ratio holds even on a noisy machine) for each recogniser profile, where the
 * plain loop's time goes (upsampling, decoding, reading results), word error rate per profile
 * on calls with a transcript, and resident memory with concurrent channels (each measured in
 * a child JVM of its own): per busy recogniser with today's settings and with the chosen
 * profile and recycling budget, and the plain loop with the launcher's native settings against
 * without them (child JVMs, {@link NativeCostProbe}). Results replace the ingest section of the
 * Markdown report.
 */
public final class IngestBenchmark {

    static final String BEGIN = "<!-- ingest-benchmark:begin -->";
    static final String END = "<!-- ingest-benchmark:end -->";
    /** Java heap of a memory probe: room for two 4-minute calls' analysis, touched at start. */
    static final String PROBE_HEAP = "768m";

    private final Path model;
    private final Path fixtures;
    private final Path truthCalls;
    private final AsrProfile profile;
    private final int recycleSeconds;
    private final PrintWriter log;
    private Path memoryCalls;
    private final ThreadMXBean cpu = ManagementFactory.getThreadMXBean();

    public IngestBenchmark(Path model, Path fixtures, PrintWriter log) {
        this(model, fixtures, fixtures, AsrProfile.ACCURATE, RecognizerPool.DEFAULT_RECYCLE_AFTER_SECONDS, log);
    }

    /**
     * @param fixtures       calls timed and run for memory (a directory of call directories)
     * @param truthCalls     calls with a {@code truth.json}, scored for word error rate
     * @param profile        the profile whose memory is measured against today's settings
     * @param recycleSeconds that profile's recycling budget
     */
    public IngestBenchmark(Path model, Path fixtures, Path truthCalls, AsrProfile profile, int recycleSeconds,
            PrintWriter log) {
        this.model = model;
        this.fixtures = fixtures;
        this.truthCalls = truthCalls;
        this.profile = profile;
        this.recycleSeconds = recycleSeconds;
        this.log = log;
    }

    /**
     * Also measures memory per busy recogniser on the calls in {@code dir} (null: none), all
     * of them at once with a recogniser per channel: longer, real calls show how a
     * recogniser's memory grows with what it decodes, which the short fixtures cannot.
     */
    public IngestBenchmark withMemoryCalls(Path dir) {
        this.memoryCalls = dir;
        return this;
    }

    /** Runs everything and writes the section into {@code report}. */
    public void run(Path report, double dspSeconds, int memoryChannels) throws Exception {
        List<CallAudio> calls = BenchCalls.load(fixtures);
        double audio = BenchCalls.audioSeconds(calls);
        log.printf("%d calls, %.1f s of audio each channel%n", calls.size(), audio);

        Timing dsp = dsp(calls, dspSeconds);
        log.printf("DSP: %.1f channel-seconds in %.2f CPU s%n", dsp.channelSeconds, dsp.cpuSeconds);
        Map<AsrProfile, Timing> gated = new EnumMap<>(AsrProfile.class);
        Map<AsrProfile, Timing> plain = new EnumMap<>(AsrProfile.class);
        for (AsrProfile p : AsrProfile.values()) {
            try (VoskTranscriber asr = VoskTranscriber.open(model, 1, RecognizerPool.DEFAULT_RECYCLE_AFTER_SECONDS, p)) {
                plain(asr, calls); // warm-up: page in the model, JIT the upsampler
                gated.put(p, gated(asr, calls));
                plain.put(p, plain(asr, calls));
            }
            log.printf("ASR %s: gated %.2f CPU s, plain %.2f CPU s%n", p.configName(), gated.get(p).cpuSeconds,
                    plain.get(p).cpuSeconds);
        }
        List<TruthCalls.TruthCall> scored = TruthCalls.load(truthCalls);
        Map<AsrProfile, WordErrorRate.Count> wer = new EnumMap<>(AsrProfile.class);
        for (AsrProfile p : AsrProfile.values()) {
            wer.put(p, wer(p, scored));
            log.printf("WER %s: %.1f%%%n", p.configName(), 100 * wer.get(p).rate());
        }
        Probe idle = memory(fixtures, 0, AsrProfile.ACCURATE, RecognizerPool.DEFAULT_RECYCLE_AFTER_SECONDS);
        Probe before = memory(fixtures, memoryChannels, AsrProfile.ACCURATE, RecognizerPool.DEFAULT_RECYCLE_AFTER_SECONDS);
        Probe after = memory(fixtures, memoryChannels, profile, recycleSeconds);
        log.printf("memory: model only %d MB; per busy recognizer %.0f MB before, %.0f MB after%n",
                idle.peakKb / 1024, before.perBusyMb(memoryChannels), after.perBusyMb(memoryChannels));
        List<String> named = memoryCalls == null ? List.of() : BenchCalls.names(memoryCalls);
        int namedChannels = 2 * named.size();
        Probe namedBefore = null;
        Probe namedAfter = null;
        if (memoryCalls != null) {
            namedBefore = memory(memoryCalls, namedChannels, AsrProfile.ACCURATE,
                    RecognizerPool.DEFAULT_RECYCLE_AFTER_SECONDS);
            namedAfter = memory(memoryCalls, namedChannels, profile, recycleSeconds);
            log.printf("memory on %s: per busy recognizer %.0f MB before, %.0f MB after%n", String.join(", ", named),
                    namedBefore.perBusyMb(namedChannels), namedAfter.perBusyMb(namedChannels));
        }

        String tuning = nativeTuning();
        double without = Double.MAX_VALUE;
        double allocatorOnly = Double.MAX_VALUE;
        double with = Double.MAX_VALUE;
        for (int round = 0; round < 2; round++) { // alternated, best of two each: the machine's load drifts
            without = Math.min(without, nativeCost(false, false));
            allocatorOnly = Math.min(allocatorOnly, nativeCost(true, false));
            with = Math.min(with, nativeCost(true, true));
        }
        log.printf("native settings (%s): plain loop %.2f CPU s with both, %.2f with the preload only, %.2f with "
                + "neither%n", tuning, with, allocatorOnly, without);

        Timing base = plain.get(AsrProfile.ACCURATE);
        StringBuilder md = new StringBuilder();
        md.append(BEGIN).append('\n');
        md.append("## Speech ingest\n\n");
        md.append(String.format(Locale.ROOT, "Run %s on %s, %d cores, Java %s; %d calls, %.1f s of audio per channel "
                + "(8 kHz telephone audio); word error rate on %d calls with transcripts. Produced by "
                + "`./earshot bench ingest`.%n%n", LocalDate.now(), cpuModel(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), calls.size(), audio,
                scored.size()));
        md.append("| measure | value |\n|---|---|\n");
        md.append(row("DSP (decode + voice activity + pitch + loudness): real-time channels per core",
                "%.0f", dsp.channelSeconds / dsp.cpuSeconds));
        md.append(row("DSP: CPU time per audio-channel second", "%.2f ms", 1000 * dsp.cpuSeconds / dsp.channelSeconds));
        for (AsrProfile p : AsrProfile.values()) {
            Timing g = gated.get(p);
            Timing pl = plain.get(p);
            String name = "`" + p.configName() + "`";
            md.append(row("ASR real-time factor, " + name + ", speech-gated (CPU s per channel-second of call audio)",
                    "%.3f", g.cpuSeconds / g.channelSeconds));
            md.append(row("ASR real-time factor, " + name + ", plain Vosk loop over the whole audio", "%.3f",
                    pl.cpuSeconds / pl.channelSeconds));
            md.append(row("ASR cost ratio, " + name + ", gated / plain (same run)", "%.2f", g.cpuSeconds / pl.cpuSeconds));
            md.append(row("ASR cost ratio, " + name + " / `accurate`, plain loop (same run)", "%.2f",
                    pl.cpuSeconds / base.cpuSeconds));
            WordErrorRate.Count c = wer.get(p);
            md.append(row("Word error rate, " + name + ", speech-gated (" + c.referenceWords() + " words)", "%s",
                    String.format(Locale.ROOT, "%.1f%% (%d errors)", 100 * c.rate(), c.errors())));
        }
        md.append(row("Plain loop, `accurate`: share of CPU in the 2x upsampler / in reading results (words, JSON)",
                "%s", String.format(Locale.ROOT, "%.1f%% / %.1f%%", 100 * base.upsampleSeconds / base.cpuSeconds,
                        100 * base.resultSeconds / base.cpuSeconds)));
        md.append(row("ASR cost ratio, `" + profile.configName() + "`, plain loop, with the launcher's native settings ("
                + tuning + ") / with neither (child processes, same run)", "%.2f", with / without));
        md.append(row("ASR cost ratio, `" + profile.configName() + "`, plain loop, with the launcher's LD_PRELOAD only "
                + "/ with neither (same run)", "%.2f", allocatorOnly / without));
        md.append(row("Audio sent to the recogniser with gating (share of channel time)", "%.0f%%",
                100 * gated.get(AsrProfile.ACCURATE).fedSeconds / gated.get(AsrProfile.ACCURATE).channelSeconds));
        md.append(row("Peak resident memory, model loaded, no channels", "%d MB", idle.peakKb / 1024));
        md.append(row("Peak resident memory, " + memoryChannels + " concurrent channels with ASR, `accurate`, recycled after "
                + RecognizerPool.DEFAULT_RECYCLE_AFTER_SECONDS + " s (" + before.recognizers + " recognizers)", "%d MB",
                before.peakKb / 1024));
        md.append(row("Memory per busy recognizer, `accurate`, recycled after "
                + RecognizerPool.DEFAULT_RECYCLE_AFTER_SECONDS + " s", "%.0f MB", before.perBusyMb(memoryChannels)));
        md.append(row("Peak resident memory, " + memoryChannels + " concurrent channels with ASR, `" + profile.configName()
                + "`, recycled after " + recycleSeconds + " s (" + after.recognizers + " recognizers)", "%d MB",
                after.peakKb / 1024));
        md.append(row("Memory per busy recognizer, `" + profile.configName() + "`, recycled after " + recycleSeconds + " s",
                "%.0f MB", after.perBusyMb(memoryChannels)));
        if (memoryCalls != null) {
            String on = String.format(Locale.ROOT, "%d calls at once (%s, %.1f min of audio per channel in all; "
                    + "%d channels, a recogniser each)", named.size(), String.join(", ", named),
                    BenchCalls.audioSeconds(BenchCalls.load(memoryCalls)) / 60, namedChannels);
            md.append(row("Memory per busy recognizer on " + on + ", `accurate`, recycled after "
                    + RecognizerPool.DEFAULT_RECYCLE_AFTER_SECONDS + " s", "%s", String.format(Locale.ROOT,
                            "%.0f MB (peak %d MB, %d recognizers)", namedBefore.perBusyMb(namedChannels),
                            namedBefore.peakKb / 1024, namedBefore.recognizers)));
            md.append(row("Memory per busy recognizer on those calls, `" + profile.configName() + "`, recycled after "
                    + recycleSeconds + " s", "%s", String.format(Locale.ROOT, "%.0f MB (peak %d MB, %d recognizers)",
                            namedAfter.perBusyMb(namedChannels), namedAfter.peakKb / 1024, namedAfter.recognizers)));
        }
        md.append("\nReal-time factors are CPU time over audio time on one thread (lower is faster); "
                + "for each profile the gated and plain loops ran in the same process one after the other, after a "
                + "warm-up pass. Word error rates are over both parties of the calls with transcripts, recognised as "
                + "`analyze` does (speech-gated, one recogniser, recycled after the profile's own budget: "
                + AsrProfile.ACCURATE.recycleAfterSeconds() + " s for `accurate`, " + AsrProfile.FAST.recycleAfterSeconds()
                + " s for `fast`). Memory per busy recognizer is the peak resident size "
                + "above the size once the model was loaded, over the concurrent channels (a recogniser each); the "
                + "probe's Java heap is fixed at " + PROBE_HEAP + " and resident from its start (included in the peaks), "
                + "so that growth is the recognisers' native memory. Every child process (memory probes, native "
                + "cost probes) inherits this process's native settings (" + tuning + "), except the cost probes "
                + "started with one or neither: each of the three ran twice, alternated, and the best of each is "
                + "compared.\n");
        md.append(END).append('\n');
        writeSection(report, md.toString(), BEGIN, END);
    }

    /** Word errors over both parties of every call, recognised speech-gated with one recogniser. */
    private WordErrorRate.Count wer(AsrProfile p, List<TruthCalls.TruthCall> scored) throws IOException {
        WordErrorRate.Count total = new WordErrorRate.Count(0, 0);
        try (VoskTranscriber asr = VoskTranscriber.open(model, 1, p.recycleAfterSeconds(), p)) {
            // the recogniser's own accuracy: spoken digits must reach the comparison unredacted
            CallAnalyzer analyzer = new CallAnalyzer(VadConfig.DEFAULTS, asr, Runnable::run,
                    new io.earshot.ingest.redact.Redactor(io.earshot.ingest.redact.RedactionConfig.OFF));
            for (TruthCalls.TruthCall call : scored) {
                List<Utterance> heard = analyzer.analyze(call.audio()).transcript();
                for (io.earshot.schemas.Role role : io.earshot.schemas.Role.values()) {
                    String hypothesis = heard.stream().filter(u -> u.role() == role).map(Utterance::text)
                            .collect(Collectors.joining(" "));
                    total = total.plus(WordErrorRate.count(call.spoken().get(role), hypothesis));
                }
            }
        }
        return total;
    }

    /** One memory probe's figures. */
    record Probe(long loadedKb, long peakKb, long recognizers) {
        double perBusyMb(int channels) {
            return (peakKb - loadedKb) / 1024.0 / Math.max(1, channels);
        }
    }

    private static String row(String name, String format, Object value) {
        return "| " + name + " | " + String.format(Locale.ROOT, format, value) + " |\n";
    }

    record Timing(double channelSeconds, double cpuSeconds, double fedSeconds, double upsampleSeconds,
            double resultSeconds) {
        Timing(double channelSeconds, double cpuSeconds, double fedSeconds) {
            this(channelSeconds, cpuSeconds, fedSeconds, 0, 0);
        }
    }

    private Timing dsp(List<CallAudio> calls, double minSeconds) {
        for (CallAudio c : calls) {
            CallAnalyzer.detectSpeech(c, VadConfig.DEFAULTS); // warm-up
        }
        double channelSeconds = 0;
        long start = cpu.getCurrentThreadCpuTime();
        long sink = 0;
        while ((cpu.getCurrentThreadCpuTime() - start) / 1e9 < minSeconds) {
            for (CallAudio c : calls) {
                CallAudio decoded = redecode(c);
                sink += CallAnalyzer.detectSpeech(decoded, VadConfig.DEFAULTS).size();
                channelSeconds += 2 * c.durationMs() / 1000.0;
            }
        }
        double cpuSeconds = (cpu.getCurrentThreadCpuTime() - start) / 1e9;
        if (sink == 0) {
            throw new IllegalStateException("no speech detected in the benchmark calls");
        }
        return new Timing(channelSeconds, cpuSeconds, channelSeconds);
    }

    /** Decoding is part of the DSP cost: re-encode once up front, decode inside the loop. */
    private static CallAudio redecode(CallAudio c) {
        byte[] wav = io.earshot.ingest.audio.WavWriter.encode(c.sampleRate(),
                io.earshot.ingest.audio.SampleEncoding.PCMU, c.agent(), c.customer());
        try {
            io.earshot.ingest.audio.WavAudio a = io.earshot.ingest.audio.WavReader.parse(c.source(), wav);
            return new CallAudio(c.source(), a.sampleRate(), a.channels()[0], a.channels()[1]);
        } catch (io.earshot.ingest.audio.AudioFormatException e) {
            throw new IllegalStateException(e);
        }
    }

    private Timing gated(VoskTranscriber asr, List<CallAudio> calls) {
        CallAnalyzer analyzer = new CallAnalyzer(VadConfig.DEFAULTS, asr, Runnable::run);
        double channelSeconds = 0;
        double fed = 0;
        long start = cpu.getCurrentThreadCpuTime();
        for (CallAudio c : calls) {
            analyzer.analyze(c);
            channelSeconds += 2 * c.durationMs() / 1000.0;
        }
        double cpuSeconds = (cpu.getCurrentThreadCpuTime() - start) / 1e9;
        for (CallAudio c : calls) {
            fed += fedSeconds(c);
        }
        return new Timing(channelSeconds, cpuSeconds, fed);
    }

    private static double fedSeconds(CallAudio c) {
        var segments = CallAnalyzer.detectSpeech(c, VadConfig.DEFAULTS);
        double total = 0;
        for (io.earshot.schemas.Role role : io.earshot.schemas.Role.values()) {
            var own = segments.stream().filter(s -> s.role() == role).toList();
            for (var r : io.earshot.ingest.call.SpeechRegions.plan(own, c.durationMs())) {
                total += (r.endMs() - r.startMs()) / 1000.0;
            }
        }
        return total;
    }

    /**
     * The baseline: every sample of both channels, upsampled the same way, into one recognizer.
     * The upsampler's and the result readers' CPU time are measured apart, to show where the
     * time goes.
     */
    static Timing plain(VoskTranscriber asr, List<CallAudio> calls) throws InterruptedException {
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        RecognizerPool pool = asr.pool();
        double channelSeconds = 0;
        long upsample = 0;
        long results = 0;
        long start = cpu.getCurrentThreadCpuTime();
        for (CallAudio c : calls) {
            for (short[] channel : new short[][] {c.agent(), c.customer()}) {
                long t0 = cpu.getCurrentThreadCpuTime();
                short[] audio = c.sampleRate() == 8000 ? SincUpsampler2x.upsample(channel) : channel;
                upsample += cpu.getCurrentThreadCpuTime() - t0;
                RecognizerPool.PooledRecognizer r = pool.borrow();
                try {
                    int block = VoskTranscriber.MODEL_RATE / 5;
                    short[] chunk = new short[block];
                    for (int at = 0; at < audio.length; at += block) {
                        int n = Math.min(block, audio.length - at);
                        System.arraycopy(audio, at, chunk, 0, n);
                        if (r.accept(chunk, n)) {
                            long t1 = cpu.getCurrentThreadCpuTime();
                            r.result();
                            results += cpu.getCurrentThreadCpuTime() - t1;
                        }
                    }
                    long t1 = cpu.getCurrentThreadCpuTime();
                    r.finalResult();
                    results += cpu.getCurrentThreadCpuTime() - t1;
                } finally {
                    pool.release(r);
                }
                channelSeconds += c.durationMs() / 1000.0;
            }
        }
        return new Timing(channelSeconds, (cpu.getCurrentThreadCpuTime() - start) / 1e9, channelSeconds,
                upsample / 1e9, results / 1e9);
    }

    /**
     * The native settings this process runs with, as the launcher set them
     * (pipeline/src/main/scripts/native-env.sh): the preloaded allocator and OpenBLAS's core type.
     */
    static String nativeTuning() {
        String preload = System.getenv("LD_PRELOAD");
        String core = System.getenv("OPENBLAS_CORETYPE");
        List<String> parts = new ArrayList<>();
        if (preload != null && !preload.isBlank()) {
            parts.add("LD_PRELOAD " + Path.of(preload.trim().split("[ :]")[0]).getFileName());
        }
        if (core != null && !core.isBlank()) {
            parts.add("OPENBLAS_CORETYPE " + core.trim());
        }
        return parts.isEmpty() ? "none set" : String.join(", ", parts);
    }

    /**
     * CPU seconds of the plain loop over the fixtures in a child JVM ({@link NativeCostProbe}),
     * with this process's native settings, or with one or both taken out of its environment.
     */
    private double nativeCost(boolean preload, boolean coreType) throws IOException, InterruptedException {
        List<String> unset = new ArrayList<>();
        if (!preload) {
            unset.add("LD_PRELOAD");
        }
        if (!coreType) {
            unset.add("OPENBLAS_CORETYPE");
        }
        String cpuSeconds = child(List.of(), NativeCostProbe.class,
                List.of(model.toString(), fixtures.toString(), profile.configName()), unset).get("cpuSeconds");
        if (cpuSeconds == null) {
            throw new IllegalStateException("native cost probe printed no cpuSeconds");
        }
        return Double.parseDouble(cpuSeconds);
    }

    /** Resident size once loaded, peak (kB) and recognizers created, from a child JVM running {@link MemoryProbe}. */
    private Probe memory(Path calls, int channels, AsrProfile p, int recycle) throws IOException, InterruptedException {
        // a fixed heap, all of it resident from the start: what grows after the model is loaded is native
        Map<String, String> out = child(List.of("-Xms" + PROBE_HEAP, "-Xmx" + PROBE_HEAP, "-XX:+AlwaysPreTouch"),
                MemoryProbe.class, List.of(model.toString(), calls.toString(), Integer.toString(channels),
                        p.configName(), Integer.toString(recycle)), List.of());
        return new Probe(Long.parseLong(out.getOrDefault("modelLoadedRssKb", "-1")),
                Long.parseLong(out.getOrDefault("peakRssKb", "-1")), Long.parseLong(out.getOrDefault("recognizers", "-1")));
    }

    /**
     * Runs {@code main} in a child JVM on this class path, with {@code unset} taken out of the
     * environment it inherits, and returns the {@code key=value} lines it printed.
     */
    private static Map<String, String> child(List<String> jvmOptions, Class<?> main, List<String> args,
            List<String> unset) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(ChildJvm.command(jvmOptions, main, args))
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        unset.forEach(pb.environment()::remove);
        Map<String, String> values = new java.util.HashMap<>();
        for (String line : ChildJvm.run(pb, main.getSimpleName())) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1).trim());
            }
        }
        return values;
    }

    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            return "unknown CPU";
        }
        return "unknown CPU";
    }

    /** Replaces the section between the markers, or appends it; other sections stay. */
    static void writeSection(Path report, String section, String begin, String end) throws IOException {
        String text = Files.exists(report) ? Files.readString(report) : "# Earshot benchmarks\n\n";
        int b = text.indexOf(begin);
        int e = text.indexOf(end);
        if (b >= 0 && e > b) {
            text = text.substring(0, b) + section + text.substring(e + end.length() + 1);
        } else {
            text = text + (text.endsWith("\n\n") ? "" : "\n") + section;
        }
        Files.createDirectories(report.toAbsolutePath().getParent());
        Files.writeString(report, text);
    }
}
