package io.earshot.pipeline.bench;

import io.earshot.ingest.asr.AsrProfile;
import io.earshot.ingest.asr.RecognizerPool;
import io.earshot.ingest.asr.VoskTranscriber;
import io.earshot.ingest.audio.CallAudio;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Child process of the benchmark: the plain Vosk loop ({@link IngestBenchmark#plain}) over the
 * calls, once to warm up and then measured, and prints its CPU seconds. A process of
 * its own because the settings it is started to compare, the C allocator ({@code LD_PRELOAD})
 * and OpenBLAS's kernels ({@code OPENBLAS_CORETYPE}), are fixed when the native libraries load.
 * Arguments: model directory, calls directory, recogniser profile.
 */
public final class NativeCostProbe {

    private NativeCostProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]);
        List<CallAudio> calls = BenchCalls.load(Path.of(args[1]));
        AsrProfile profile = AsrProfile.parse(args[2]);
        try (VoskTranscriber asr = VoskTranscriber.open(model, 1, RecognizerPool.DEFAULT_RECYCLE_AFTER_SECONDS,
                profile)) {
            IngestBenchmark.plain(asr, calls);
            System.out.println(String.format(Locale.ROOT, "cpuSeconds=%.4f", IngestBenchmark.plain(asr, calls).cpuSeconds()));
        }
    }
}
