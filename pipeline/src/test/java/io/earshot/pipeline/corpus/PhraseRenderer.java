package io.earshot.pipeline.corpus;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Renders one phrase with one {@link TtsVoice} into 8 kHz mono audio trimmed to its audible
 * extent, and caches every result on disk so a rerun does not call the synthesiser again.
 *
 * <p>Chain: the engine writes a WAV at its own rate (flite {@code kal16} and the festival
 * diphones 16 kHz, {@code kal} 8 kHz, espeak-ng 22.05 kHz; festival through one running
 * process per voice, see {@link FestivalSession}); sox applies the voice's {@code pitch} and
 * {@code tempo} and resamples with {@code rate -v 8000} to 32-bit float (no clipping, no
 * dither); the phrase is then scaled to an active speech level of {@link #REFERENCE_LEVEL_DBFS}
 * measured on its telephone band, and trimmed to the 20 ms windows (1 ms hop) of the
 * band-limited signal at or above {@link #TRIM_DBFS}, with 10 ms raised-cosine fades at both
 * ends.
 *
 * <p>The trim decides where a phrase starts and ends on a call's timeline, and the call's truth
 * spurts are 20 ms frames at or above -50 dBFS of the same band-limited signal played at
 * -18..-24 dBFS. Trimmed at 26 dB under the speech over 20 ms (-46 dBFS at the reference
 * level, -50 dBFS when a call plays the phrase at its quietest), a phrase is speech by the
 * truth's rule from its first frame to its last at every level, so the spurts of a rendered
 * call fall where the script put its phrases (within a frame or two). A looser trim (-60 dBFS,
 * 5 ms windows) left soft onsets such as the "l" of "let me" up to 200 ms of audio under the
 * truth threshold, and the truth started that much after the script's phrase. The sounds the
 * tighter trim cuts are 26 dB under the speech; the recogniser's word error rates did not
 * change measurably (CorpusVoicesIT). A sound at either edge that is audible for less than
 * 60 ms and set apart from the phrase by 50 ms or more (flite starts some phrases with a
 * click 110 ms before the speech) is cut off with the silence around it: it would be too
 * short to be speech by the truth's rule yet would move the phrase's start.
 *
 * <p>Cache: {@code <cacheDir>/<sha256>.f32} (little-endian float samples) beside a
 * {@code .txt} naming voice and text, keyed by the hash of the engine version string (the
 * versions of the engine and sox, and of this chain), the voice id and the text. Writes are
 * atomic, so concurrent renderers can share a directory.
 */
public final class PhraseRenderer implements AutoCloseable {

    public static final int RATE = 8000;
    public static final double REFERENCE_LEVEL_DBFS = -20.0;
    public static final double TRIM_DBFS = -46.0;
    public static final int FADE_MS = 10;
    /** espeak-ng's speaking rate in words per minute: a calm telephone pace (its default is 175). */
    public static final int ESPEAK_WORDS_PER_MINUTE = 155;
    /** Bumped whenever the chain below changes what a cached phrase holds. */
    private static final String CHAIN_VERSION =
            "chain 5: sox rate -v 8000, P.56 -20 dBFS, trim -46 dBFS 20 ms without edge blips, fades 10 ms";
    private static final Pattern TEXT = Pattern.compile("[a-z']+(-[a-z']+)*([,.?]?( [a-z']+(-[a-z']+)*)){0,60}[,.?]?");
    private static final int TRIM_WINDOW_MS = 20;
    /** Silence that sets an edge sound apart from the phrase. */
    private static final int EDGE_SILENCE_MS = 50;
    /** An edge sound set apart and audible for less than this long is dropped. */
    private static final int EDGE_BLIP_MS = 60;

    private final Path cacheDir;
    private final Duration timeout;
    private final Map<TtsVoice.Engine, String> versions = new EnumMap<>(TtsVoice.Engine.class);
    private final AtomicInteger synthesised = new AtomicInteger();
    private final Map<String, FestivalSession> festivals = new HashMap<>();

    /** One phrase as heard: 8 kHz samples at the reference level, full scale 1.0. */
    public record Phrase(TtsVoice voice, String text, double[] samples) {

        public int durationMs() {
            return samples.length / Levels.SAMPLES_PER_MS;
        }
    }

    /**
     * @param cacheDir where rendered phrases are kept, e.g. {@code pipeline/target/corpus-cache}
     * @param timeout  the limit for each external program run
     */
    public PhraseRenderer(Path cacheDir, Duration timeout) {
        this.cacheDir = cacheDir;
        this.timeout = timeout;
    }

    /** The cache the build's tests share: {@code target/corpus-cache} of the pipeline module. */
    public static PhraseRenderer inBuildCache() {
        return new PhraseRenderer(Path.of("target", "corpus-cache"), Duration.ofSeconds(60));
    }

    /** How many phrases this renderer has synthesised (cache misses). */
    public int synthesisedCount() {
        return synthesised.get();
    }

    /**
     * The phrase {@code text} (lower-case words, optional {@code , . ?}) spoken by
     * {@code voice}, from the cache when it was rendered before.
     *
     * @throws IOException when a tool is missing, fails, times out, or renders silence
     */
    public synchronized Phrase render(TtsVoice voice, String text) throws IOException {
        return renderAll(voice, List.of(text)).get(0);
    }

    /** As {@link #render} for several phrases of one voice, in order. */
    public synchronized List<Phrase> renderAll(TtsVoice voice, List<String> texts) throws IOException {
        Map<String, double[]> rendered = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (String text : texts) {
            if (!TEXT.matcher(text).matches()) {
                throw new IllegalArgumentException("phrase must be lower-case words separated by single spaces: '"
                        + text + "'");
            }
            Path cached = cacheDir.resolve(cacheKey(voice, text) + ".f32");
            if (Files.isRegularFile(cached)) {
                rendered.put(text, readFloats(cached));
            } else if (!missing.contains(text)) {
                missing.add(text);
            }
        }
        if (!missing.isEmpty()) {
            Files.createDirectories(cacheDir);
            List<double[]> fresh = synthesise(voice, missing);
            for (int i = 0; i < missing.size(); i++) {
                String text = missing.get(i);
                double[] samples = trim(fresh.get(i), voice, text);
                String key = cacheKey(voice, text);
                writeAtomically(cacheDir.resolve(key + ".txt"), (voice.id() + "\n" + text + "\n"
                        + engineVersion(voice.engine()) + "\n").getBytes(StandardCharsets.UTF_8));
                writeAtomically(cacheDir.resolve(key + ".f32"), floatBytes(samples));
                rendered.put(text, samples);
            }
        }
        List<Phrase> out = new ArrayList<>(texts.size());
        for (String text : texts) {
            out.add(new Phrase(voice, text, rendered.get(text)));
        }
        return out;
    }

    /** The hash that names a phrase in the cache. */
    public String cacheKey(TtsVoice voice, String text) throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            String material = engineVersion(voice.engine()) + "\n" + voice.id() + "\n" + text;
            return HexFormat.of().formatHex(sha.digest(material.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    /** The versions of the engine, of sox and of this chain, as the cache key holds them. */
    public synchronized String engineVersion(TtsVoice.Engine engine) throws IOException {
        String version = versions.get(engine);
        if (version == null) {
            String tool = switch (engine) {
                case FLITE -> firstLine(ExternalCommand.run(List.of("flite", "--version"), timeout, Set.of(0, 1)));
                case FESTIVAL -> firstLine(ExternalCommand.run(List.of("festival", "--version"), timeout));
                case ESPEAK -> firstLine(ExternalCommand.run(List.of("espeak-ng", "--version"), timeout))
                        + " at " + ESPEAK_WORDS_PER_MINUTE + " wpm";
            };
            String sox = firstLine(ExternalCommand.run(List.of("sox", "--version"), timeout));
            version = tool + "; " + sox + "; " + CHAIN_VERSION;
            versions.put(engine, version);
        }
        return version;
    }

    /** The engine's output for each text, through sox, at 8 kHz, untrimmed. */
    private List<double[]> synthesise(TtsVoice voice, List<String> texts) throws IOException {
        Path tmp = Files.createTempDirectory("earshot-tts");
        try {
            List<Path> wavs = new ArrayList<>();
            for (int i = 0; i < texts.size(); i++) {
                wavs.add(tmp.resolve("tts" + i + ".wav"));
            }
            switch (voice.engine()) {
                case FLITE -> {
                    for (int i = 0; i < texts.size(); i++) {
                        ExternalCommand.run(List.of("flite", "-voice", voice.name(), "-t", texts.get(i),
                                "-o", wavs.get(i).toString()), timeout);
                    }
                }
                case FESTIVAL -> {
                    FestivalSession session = festival(voice.name());
                    for (int i = 0; i < texts.size(); i++) {
                        session.synthesise(texts.get(i), wavs.get(i));
                    }
                }
                case ESPEAK -> {
                    for (int i = 0; i < texts.size(); i++) {
                        ExternalCommand.run(List.of("espeak-ng", "-v", voice.name(), "-s",
                                Integer.toString(ESPEAK_WORDS_PER_MINUTE), "-w", wavs.get(i).toString(), texts.get(i)),
                                timeout);
                    }
                }
            }
            List<double[]> out = new ArrayList<>();
            for (int i = 0; i < texts.size(); i++) {
                Path wav = wavs.get(i);
                if (!Files.isRegularFile(wav) || Files.size(wav) <= 44) {
                    throw new IOException(voice + " wrote no audio for '" + texts.get(i) + "'");
                }
                Path raw = tmp.resolve("out" + i + ".f32");
                List<String> sox = new ArrayList<>(List.of("sox", "-R", "-V1", wav.toString(),
                        "-t", "raw", "-e", "floating-point", "-b", "32", "-c", "1", raw.toString()));
                if (voice.pitchCents() != 0) {
                    sox.addAll(List.of("pitch", Integer.toString(voice.pitchCents())));
                }
                if (voice.tempo() != 1.0) {
                    sox.addAll(List.of("tempo", "-s", String.format(Locale.ROOT, "%.2f", voice.tempo())));
                }
                sox.addAll(List.of("rate", "-v", Integer.toString(RATE)));
                ExternalCommand.run(sox, timeout);
                synthesised.incrementAndGet();
                out.add(readFloats(raw));
            }
            return out;
        } finally {
            try (Stream<Path> files = Files.walk(tmp)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Scales to the reference level and trims to the audible extent, as described above. */
    static double[] trim(double[] x, TtsVoice voice, String text) throws IOException {
        double[] band = TelephoneBand.filter(x);
        double active;
        try {
            active = Levels.activeLevelDb(band);
        } catch (IllegalArgumentException e) {
            throw new IOException(voice + " rendered silence for '" + text + "'", e);
        }
        double gain = Levels.dbToAmp(REFERENCE_LEVEL_DBFS - active);
        int window = TRIM_WINDOW_MS * Levels.SAMPLES_PER_MS;
        double threshold = Levels.dbToAmp(TRIM_DBFS) / gain;
        // runs of audible 20 ms windows, in samples [start, end), windows 1 ms apart
        List<int[]> runs = new ArrayList<>();
        for (int s = 0; s + window <= band.length; s += Levels.SAMPLES_PER_MS) {
            double e = 0;
            for (int i = s; i < s + window; i++) {
                e += band[i] * band[i];
            }
            if (Math.sqrt(e / window) >= threshold) {
                int[] run = runs.isEmpty() ? null : runs.get(runs.size() - 1);
                if (run != null && s - run[1] < EDGE_SILENCE_MS * Levels.SAMPLES_PER_MS) {
                    run[1] = s + window;
                } else {
                    runs.add(new int[] {s, s + window});
                }
            }
        }
        // a short sound set apart from the phrase at either edge is the synthesiser's click or breath
        int minRun = EDGE_BLIP_MS * Levels.SAMPLES_PER_MS + window;
        while (runs.size() > 1 && runs.get(0)[1] - runs.get(0)[0] < minRun) {
            runs.remove(0);
        }
        while (runs.size() > 1 && runs.get(runs.size() - 1)[1] - runs.get(runs.size() - 1)[0] < minRun) {
            runs.remove(runs.size() - 1);
        }
        int first = runs.isEmpty() ? -1 : runs.get(0)[0];
        int last = runs.isEmpty() ? -1 : runs.get(runs.size() - 1)[1];
        if (first < 0 || last - first < 2 * FADE_MS * Levels.SAMPLES_PER_MS) {
            throw new IOException(voice + " rendered no audible speech for '" + text + "'");
        }
        double[] out = new double[last - first];
        for (int i = 0; i < out.length; i++) {
            out[i] = gain * x[first + i];
        }
        Levels.fadeIn(out, FADE_MS * Levels.SAMPLES_PER_MS);
        Levels.fadeOut(out, FADE_MS * Levels.SAMPLES_PER_MS);
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) out[i]; // as the cache holds it, so a fresh render equals a cached one
        }
        return out;
    }

    /** The running festival with this voice loaded, started on first use. */
    private FestivalSession festival(String voiceName) throws IOException {
        FestivalSession session = festivals.get(voiceName);
        if (session == null) {
            session = new FestivalSession(voiceName, timeout);
            festivals.put(voiceName, session);
        }
        return session;
    }

    /** Stops the festival processes this renderer started. */
    @Override
    public synchronized void close() {
        festivals.values().forEach(FestivalSession::close);
        festivals.clear();
    }

    private static String firstLine(String s) {
        return s.strip().lines().findFirst().orElse("").strip();
    }

    private static double[] readFloats(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        double[] x = new double[b.remaining() / 4];
        for (int i = 0; i < x.length; i++) {
            x[i] = b.getFloat();
        }
        return x;
    }

    private static byte[] floatBytes(double[] x) {
        ByteBuffer b = ByteBuffer.allocate(4 * x.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : x) {
            b.putFloat((float) v);
        }
        return b.array();
    }

    private static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
