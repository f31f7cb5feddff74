package io.earshot.ingest.asr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.earshot.ingest.audio.SincUpsampler2x;
import io.earshot.schemas.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.vosk.LibVosk;
import org.vosk.LogLevel;
import org.vosk.Model;

/**
 * Offline transcription with Vosk: one shared {@link Model} per process, recognizers from a
 * bounded {@link RecognizerPool}, 8 kHz telephone audio upsampled 2x with
 * {@link SincUpsampler2x} (the model is trained on 16 kHz; fed 8 kHz it returns empty or
 * garbage text). Word times come from sample positions: the recogniser's offsets within the
 * region plus the region's media start.
 */
public final class VoskTranscriber implements Transcriber {

    /** The model's sample rate. */
    public static final int MODEL_RATE = 16000;
    /** Audio is fed to the recogniser in blocks of this many milliseconds. */
    private static final int BLOCK_MS = 200;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Model model;
    private final RecognizerPool pool;

    private VoskTranscriber(Model model, int poolSize, int recycleAfterSeconds) {
        this.model = model;
        this.pool = new RecognizerPool(model, MODEL_RATE, poolSize, recycleAfterSeconds);
    }

    /**
     * Loads the Vosk model directory (the one holding {@code am/}, {@code conf/}, {@code graph/}).
     *
     * @throws IOException with a one-line message when the directory is not a Vosk model
     */
    public static VoskTranscriber open(Path modelDir, int poolSize) throws IOException {
        return open(modelDir, poolSize, RecognizerPool.DEFAULT_RECYCLE_AFTER_SECONDS);
    }

    /** As {@link #open(Path, int)}, replacing each recognizer after it has decoded this much audio. */
    public static VoskTranscriber open(Path modelDir, int poolSize, int recycleAfterSeconds) throws IOException {
        return open(modelDir, poolSize, recycleAfterSeconds, AsrProfile.ACCURATE);
    }

    /**
     * As {@link #open(Path, int, int)}, decoding with the search settings of {@code profile}
     * instead of the model's own.
     */
    public static VoskTranscriber open(Path modelDir, int poolSize, int recycleAfterSeconds, AsrProfile profile)
            throws IOException {
        if (!Files.isDirectory(modelDir.resolve("am")) || !Files.isDirectory(modelDir.resolve("conf"))) {
            throw new IOException(modelDir + ": not a Vosk model directory (expected am/ and conf/ inside)");
        }
        if (recycleAfterSeconds < 1) {
            throw new IllegalArgumentException("recycleAfterSeconds must be at least 1, got " + recycleAfterSeconds);
        }
        LibVosk.setLogLevel(LogLevel.WARNINGS);
        Path load = profile.apply(modelDir);
        try {
            return new VoskTranscriber(new Model(load.toString()), poolSize, recycleAfterSeconds);
        } finally {
            profile.discard(load, modelDir); // Vosk has read the model and its conf by now
        }
    }

    public RecognizerPool pool() {
        return pool;
    }

    @Override
    public List<Utterance> transcribe(Object speaker, Role role, short[] samples, int sampleRate, long startMs) {
        short[] audio = switch (sampleRate) {
            case 8000 -> SincUpsampler2x.upsample(samples);
            case MODEL_RATE -> samples;
            default -> throw new IllegalArgumentException("unsupported sample rate " + sampleRate);
        };
        RecognizerPool.PooledRecognizer recognizer;
        try {
            recognizer = pool.borrow(speaker);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TranscriptionException("interrupted while waiting for a recognizer", e);
        }
        List<Utterance> out = new ArrayList<>();
        try {
            int block = MODEL_RATE * BLOCK_MS / 1000;
            short[] chunk = new short[block];
            for (int at = 0; at < audio.length; at += block) {
                int n = Math.min(block, audio.length - at);
                System.arraycopy(audio, at, chunk, 0, n);
                if (recognizer.accept(chunk, n)) {
                    parse(role, recognizer.result(), startMs, recognizer.secondsFedBefore()).ifPresent(out::add);
                }
            }
            parse(role, recognizer.finalResult(), startMs, recognizer.secondsFedBefore()).ifPresent(out::add);
        } finally {
            pool.release(recognizer);
        }
        return out;
    }

    /**
     * Reads a Vosk result. Vosk reports word times in seconds since the recognizer was created,
     * across resets, so {@code fedBeforeSeconds} (audio fed before this region) is subtracted
     * and the region's media start {@code offsetMs} added.
     */
    static java.util.Optional<Utterance> parse(Role role, String json, long offsetMs, double fedBeforeSeconds) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            // the result holds the words heard, and the parser's message quotes it: neither may reach a log
            throw new TranscriptionException("unreadable recogniser result (" + json.length() + " characters, "
                    + e.getClass().getSimpleName() + ")");
        }
        JsonNode result = root.path("result");
        if (!result.isArray() || result.isEmpty()) {
            return java.util.Optional.empty();
        }
        List<Word> words = new ArrayList<>(result.size());
        for (JsonNode w : result) {
            words.add(new Word(w.path("word").asText(),
                    offsetMs + Math.round((w.path("start").asDouble() - fedBeforeSeconds) * 1000),
                    offsetMs + Math.round((w.path("end").asDouble() - fedBeforeSeconds) * 1000),
                    w.path("conf").asDouble()));
        }
        String text = root.path("text").asText();
        return java.util.Optional.of(new Utterance(role, words.get(0).startMs(),
                words.get(words.size() - 1).endMs(), text, words, true));
    }

    @Override
    public void close() {
        pool.close();
        model.close();
    }
}
