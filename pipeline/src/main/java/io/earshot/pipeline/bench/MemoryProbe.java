package io.earshot.pipeline.bench;

import io.earshot.ingest.asr.AsrProfile;
import io.earshot.ingest.asr.VoskTranscriber;
import io.earshot.ingest.audio.CallAudio;
import io.earshot.ingest.call.CallAnalyzer;
import io.earshot.ingest.dsp.VadConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Child process of the benchmark: loads the model, then runs {@code channels} channels through
 * voice activity and speech recognition at once (calls of two channels each, a recognizer
 * per concurrent channel), and prints its resident set size once the model is loaded and its
 * peak. A process of its own, so the peak belongs to this scenario alone. Arguments: model
 * directory, calls directory, channels, and optionally the recogniser profile and the audio
 * seconds after which a recogniser is replaced. The benchmark starts it with a fixed Java heap
 * touched at start ({@code -Xms} = {@code -Xmx}, {@code -XX:+AlwaysPreTouch}), so the heap is
 * resident before the model is loaded and growth above that is the recognisers' native memory.
 */
public final class MemoryProbe {

    private MemoryProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]);
        Path fixtures = Path.of(args[1]);
        int channels = Integer.parseInt(args[2]);
        AsrProfile profile = args.length > 3 ? AsrProfile.parse(args[3]) : AsrProfile.ACCURATE;
        int recycleSeconds = args.length > 4 ? Integer.parseInt(args[4])
                : io.earshot.ingest.asr.RecognizerPool.DEFAULT_RECYCLE_AFTER_SECONDS;
        List<CallAudio> calls = BenchCalls.load(fixtures);
        long afterLoad;
        try (VoskTranscriber asr = VoskTranscriber.open(model, Math.max(1, channels), recycleSeconds, profile)) {
            afterLoad = residentKb("VmRSS");
            if (channels > 0) {
                int parallelCalls = (channels + 1) / 2;
                ExecutorService callThreads = Executors.newFixedThreadPool(parallelCalls);
                ExecutorService asrThreads = Executors.newFixedThreadPool(channels);
                CallAnalyzer analyzer = new CallAnalyzer(VadConfig.DEFAULTS, asr, asrThreads);
                List<Future<?>> jobs = new ArrayList<>();
                for (int i = 0; i < parallelCalls; i++) {
                    CallAudio call = calls.get(i % calls.size());
                    jobs.add(callThreads.submit(() -> analyzer.analyze(call)));
                }
                for (Future<?> job : jobs) {
                    job.get();
                }
                callThreads.shutdown();
                asrThreads.shutdown();
            }
            System.out.println("recognizers=" + asr.pool().created());
        }
        System.out.println("modelLoadedRssKb=" + afterLoad);
        System.out.println("peakRssKb=" + residentKb("VmHWM"));
    }

    static long residentKb(String field) throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException(field + " not in /proc/self/status");
    }
}
