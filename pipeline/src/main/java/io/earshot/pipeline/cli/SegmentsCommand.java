package io.earshot.pipeline.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.earshot.ingest.asr.Utterance;
import io.earshot.ingest.asr.VoskTranscriber;
import io.earshot.ingest.audio.CallAudio;
import io.earshot.ingest.call.CallAnalysis;
import io.earshot.ingest.call.CallAnalyzer;
import io.earshot.ingest.dsp.SpeechSegment;
import io.earshot.ingest.dsp.VadConfig;
import io.earshot.ingest.redact.Redactor;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code earshot segments}: the speech segments, tone and transcript of one recorded call. */
@Command(name = "segments", mixinStandardHelpOptions = true,
        description = "Show a recorded call's speech segments (with tone) and word-timed transcript.")
final class SegmentsCommand implements Callable<Integer> {

    enum Format { json, table }

    @Parameters(arity = "1..2", paramLabel = "WAV",
            description = "One stereo WAV, or two mono WAVs: agent then customer. PCM16, mu-law or A-law; 8 or 16 kHz.")
    List<Path> files;

    @Option(names = "--format", defaultValue = "table", paramLabel = "json|table",
            description = "Output format (default: ${DEFAULT-VALUE}).")
    Format format;

    @Mixin
    TranscriptOption transcript;

    @Mixin
    RedactionOption redaction;

    @Mixin
    CallInputOptions input;

    @Mixin
    ModelOptions modelOptions;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        CallAudio audio = CallAudio.load(files, input.agentChannel());
        CallAnalysis analysis;
        if (transcript.off) {
            analysis = new CallAnalyzer(VadConfig.DEFAULTS, null, Runnable::run).analyze(audio);
        } else {
            ExecutorService pool = Executors.newFixedThreadPool(input.asrThreads);
            try (VoskTranscriber asr = VoskTranscriber.open(modelOptions.resolve(), input.asrThreads)) {
                analysis = new CallAnalyzer(VadConfig.DEFAULTS, asr, pool,
                        new Redactor(redaction.rules(null, spec.commandLine().getErr()))).analyze(audio);
            } finally {
                pool.shutdown();
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (format == Format.json) {
            out.println(new ObjectMapper().writeValueAsString(CallJson.of(analysis)));
        } else {
            printTable(analysis, out);
        }
        out.flush();
        return 0;
    }

    private static void printTable(CallAnalysis a, PrintWriter out) {
        out.printf("%s  %d Hz  %.1f s%n%n", a.source(), a.sampleRate(), a.durationMs() / 1000.0);
        out.printf("%-8s %9s %9s %7s %8s %7s %7s %6s%n",
                "ROLE", "START", "END", "DUR", "PITCH", "RANGE", "LOUD", "VOICED");
        for (SpeechSegment s : a.segments()) {
            out.printf("%-8s %9s %9s %6.2fs %6sHz %5sst %5.1fdB %5.0f%%%n", s.role(), clock(s.startMs()),
                    clock(s.endMs()), s.durationMs() / 1000.0, num(s.pitchMedianHz(), 0), num(s.pitchRangeSemitones(), 1),
                    s.loudnessDbfs(), 100 * s.voicedRatio());
        }
        long agentMs = a.segments().stream().filter(s -> s.role() == io.earshot.schemas.Role.AGENT)
                .mapToLong(SpeechSegment::durationMs).sum();
        long customerMs = a.segments().stream().filter(s -> s.role() == io.earshot.schemas.Role.CUSTOMER)
                .mapToLong(SpeechSegment::durationMs).sum();
        out.printf("%ntalk: agent %.1f s, customer %.1f s%n", agentMs / 1000.0, customerMs / 1000.0);
        if (!a.transcript().isEmpty()) {
            out.println();
            for (Utterance u : a.transcript()) {
                out.printf("%-8s %9s %9s  %s%n", u.role(), clock(u.startMs()), clock(u.endMs()), u.text());
            }
        }
    }

    private static String num(double v, int decimals) {
        return Double.isNaN(v) ? "-" : String.format("%." + decimals + "f", v);
    }

    static String clock(long ms) {
        return String.format("%d:%02d.%02d", ms / 60000, (ms / 1000) % 60, (ms % 1000) / 10);
    }
}
