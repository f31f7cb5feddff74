package io.earshot.pipeline.bench;

import io.earshot.ingest.asr.RecognizerPool;
import io.earshot.ingest.asr.VoskTranscriber;
import io.earshot.ingest.audio.CallAudio;
import io.earshot.ingest.audio.SincUpsampler2x;
import io.earshot.ingest.call.CallAnalyzer;
import io.earshot.ingest.dsp.VadConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The speech-ingest benchmark: DSP throughput in real-time channels per core, ASR real-time
 * factor with speech gating against a plain Vosk loop over the whole audio (both in this one
 * run, so the ratio holds even on a noisy machine), and peak resident memory with concurrent
 * channels (each measured in a child JVM of its own). Results replace the ingest section of
 * the Markdown report.
 */
public final class IngestBenchmark {

    static final String BEGIN = "<!-- ingest-benchmark:begin -->";
    static final String END = "<!-- ingest-benchmark:end -->";

    private final Path model;
    private final Path fixtures;
    private final PrintWriter log;
    private final ThreadMXBean cpu = ManagementFactory.getThreadMXBean();

    public IngestBenchmark(Path model, Path fixtures, PrintWriter log) {
        this.model = model;
        this.fixtures = fixtures;
        this.log = log;
    }

    /** Runs everything and writes the section into {@code report}. */
    public void run(Path report, double dspSeconds, int memoryChannels) throws Exception {
        List<CallAudio> calls = BenchCalls.load(fixtures);
        double audio = BenchCalls.audioSeconds(calls);
        log.printf("%d calls, %.1f s of audio each channel%n", calls.size(), audio);

        Timing dsp = dsp(calls, dspSeconds);
        log.printf("DSP: %.1f channel-seconds in %.2f CPU s%n", dsp.channelSeconds, dsp.cpuSeconds);
        Timing gated;
        Timing plain;
        try (VoskTranscriber asr = VoskTranscriber.open(model, 1)) {
            plain(asr, calls); // warm-up: page in the model, JIT the upsampler
            gated = gated(asr, calls);
            plain = plain(asr, calls);
        }
        log.printf("ASR: gated %.2f CPU s, plain %.2f CPU s%n", gated.cpuSeconds, plain.cpuSeconds);
        long[] idle = memory(0);
        long[] busy = memory(memoryChannels);
        log.printf("memory: model only %d MB, %d channels %d MB%n", idle[0] / 1024, memoryChannels, busy[0] / 1024);

        StringBuilder md = new StringBuilder();
        md.append(BEGIN).append('\n');
        md.append("## Speech ingest\n\n");
        md.append(String.format(Locale.ROOT, "Run %s on %s, %d cores, Java %s; %d fixture calls, %.1f s of audio per channel "
                + "(8 kHz telephone audio). Produced by `./earshot bench ingest`.%n%n", LocalDate.now(), cpuModel(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), calls.size(), audio));
        md.append("| measure | value |\n|---|---|\n");
        md.append(row("DSP (decode + voice activity + pitch + loudness): real-time channels per core",
                "%.0f", dsp.channelSeconds / dsp.cpuSeconds));
        md.append(row("DSP: CPU time per audio-channel second", "%.2f ms", 1000 * dsp.cpuSeconds / dsp.channelSeconds));
        md.append(row("ASR real-time factor, speech-gated (CPU s per channel-second of call audio)", "%.3f",
                gated.cpuSeconds / gated.channelSeconds));
        md.append(row("ASR real-time factor, plain Vosk loop over the whole audio", "%.3f",
                plain.cpuSeconds / plain.channelSeconds));
        md.append(row("ASR cost ratio, gated / plain (same run)", "%.2f", gated.cpuSeconds / plain.cpuSeconds));
        md.append(row("Audio sent to the recogniser with gating (share of channel time)", "%.0f%%",
                100 * gated.fedSeconds / gated.channelSeconds));
        md.append(row("Peak resident memory, model loaded, no channels", "%d MB", idle[0] / 1024));
        md.append(row("Peak resident memory, " + memoryChannels + " concurrent channels with ASR (" + busy[1]
                + " recognizers)", "%d MB", busy[0] / 1024));
        md.append("\nReal-time factors are CPU time over audio time on one thread (lower is faster); "
                + "the gated and plain loops ran in the same process one after the other, after a warm-up pass.\n");
        md.append(END).append('\n');
        writeSection(report, md.toString(), BEGIN, END);
    }

    private static String row(String name, String format, Object value) {
        return "| " + name + " | " + String.format(Locale.ROOT, format, value) + " |\n";
    }

    record Timing(double channelSeconds, double cpuSeconds, double fedSeconds) {
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

    /** The baseline: every sample of both channels, upsampled the same way, into one recognizer. */
    private Timing plain(VoskTranscriber asr, List<CallAudio> calls) throws InterruptedException {
        RecognizerPool pool = asr.pool();
        double channelSeconds = 0;
        long start = cpu.getCurrentThreadCpuTime();
        for (CallAudio c : calls) {
            for (short[] channel : new short[][] {c.agent(), c.customer()}) {
                short[] audio = c.sampleRate() == 8000 ? SincUpsampler2x.upsample(channel) : channel;
                RecognizerPool.PooledRecognizer r = pool.borrow();
                try {
                    int block = VoskTranscriber.MODEL_RATE / 5;
                    short[] chunk = new short[block];
                    for (int at = 0; at < audio.length; at += block) {
                        int n = Math.min(block, audio.length - at);
                        System.arraycopy(audio, at, chunk, 0, n);
                        if (r.accept(chunk, n)) {
                            r.result();
                        }
                    }
                    r.finalResult();
                } finally {
                    pool.release(r);
                }
                channelSeconds += c.durationMs() / 1000.0;
            }
        }
        return new Timing(channelSeconds, (cpu.getCurrentThreadCpuTime() - start) / 1e9, channelSeconds);
    }

    /** Peak RSS (kB) and recognizers created, from a child JVM running {@link MemoryProbe}. */
    private long[] memory(int channels) throws IOException, InterruptedException {
        String javaCmd = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(javaCmd, "-cp", System.getProperty("java.class.path"),
                MemoryProbe.class.getName(), model.toString(), fixtures.toString(), Integer.toString(channels)));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("memory probe failed: " + out);
        }
        long peak = -1;
        long recognizers = -1;
        for (String line : out.split("\n")) {
            if (line.startsWith("peakRssKb=")) {
                peak = Long.parseLong(line.substring(10).trim());
            } else if (line.startsWith("recognizers=")) {
                recognizers = Long.parseLong(line.substring(12).trim());
            }
        }
        return new long[] {peak, recognizers};
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
