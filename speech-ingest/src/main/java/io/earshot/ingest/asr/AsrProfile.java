package io.earshot.ingest.asr;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A speed profile of the recogniser: the Kaldi decoder settings Vosk reads from the model's
 * {@code conf/model.conf} when the model is loaded. The Java API (0.3.45) has no setter for
 * them, so a profile other than {@link #ACCURATE} is applied by {@link #apply(Path)}: a
 * directory that links to the model's parts and holds a copy of its {@code conf/} with the
 * profile's settings written over the model's own.
 *
 * <p>The search settings trade accuracy for speed: {@code beam} is how far below the best
 * path a hypothesis may score and stay, {@code max-active} caps the hypotheses kept per frame,
 * {@code lattice-beam} prunes the lattice the words and times are read from. Narrower search
 * also visits fewer states of the decoding graph, which each recogniser composes on the fly
 * and caches, so a recogniser on a narrower search grows less.
 */
public enum AsrProfile {

    /**
     * The model's own settings (beam 10, max-active 3000, lattice-beam 2 for the English model);
     * a recogniser is replaced after {@link RecognizerPool#DEFAULT_RECYCLE_AFTER_SECONDS}.
     */
    ACCURATE(Map.of(), RecognizerPool.DEFAULT_RECYCLE_AFTER_SECONDS),

    /**
     * A narrower search, and recognisers replaced after 60 s of audio: on the committed calls,
     * WER within a point of {@link #ACCURATE} at a lower recognition cost. The 60 s budget is
     * for models with a lookahead graph only, where it keeps a busy recogniser under 120 MB on
     * 4-minute recorded calls (600 s let it reach about 145 MB); on the static graph a busy
     * recogniser stays under 25 MB either way (figures in docs/configuration.md and
     * docs/benchmarks.md).
     */
    FAST(Map.of("--beam", "8.0", "--max-active", "1000", "--lattice-beam", "1.0"), 60);

    private final Map<String, String> decoderOptions;
    private final int recycleAfterSeconds;

    AsrProfile(Map<String, String> decoderOptions, int recycleAfterSeconds) {
        this.decoderOptions = decoderOptions;
        this.recycleAfterSeconds = recycleAfterSeconds;
    }

    /**
     * Audio a recogniser of this profile decodes before it is replaced, unless configured
     * otherwise. On a model with a lookahead graph only, a recogniser's native memory grows with
     * the audio it has decoded (it caches the states of the graph it composes on the fly), so
     * this bounds it, and each replacement costs the CPU of rebuilding that cache; on the static
     * graph the build composes, a recogniser does not grow and replacing it costs little.
     */
    public int recycleAfterSeconds() {
        return recycleAfterSeconds;
    }

    /** The {@code model.conf} options this profile sets over the model's own. */
    public Map<String, String> decoderOptions() {
        return decoderOptions;
    }

    /** The profile's name as written in configuration: {@code accurate}, {@code fast}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads a profile name as written in configuration or on the command line.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static AsrProfile parse(String name) {
        for (AsrProfile p : values()) {
            if (p.configName().equals(name == null ? null : name.trim().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown recogniser profile '" + name + "'; expected one of "
                + Arrays.stream(values()).map(AsrProfile::configName).collect(Collectors.joining(", ")));
    }

    /**
     * The model directory to load for this profile: {@code modelDir} itself for
     * {@link #ACCURATE}; otherwise a new temporary directory with a link to each of the
     * model's entries but {@code conf/}, and a {@code conf/} whose {@code model.conf} is the
     * model's with this profile's options replaced or added. Vosk reads everything when the
     * model is loaded, so the caller deletes the directory with {@link #discard(Path, Path)} right
     * after.
     */
    public Path apply(Path modelDir) throws IOException {
        if (decoderOptions.isEmpty()) {
            return modelDir;
        }
        Path source = modelDir.toAbsolutePath();
        Path conf = source.resolve("conf").resolve("model.conf");
        if (!Files.isRegularFile(conf)) {
            throw new IOException(modelDir + ": no conf/model.conf, so the '" + configName()
                    + "' recogniser profile cannot be applied");
        }
        Path dir = Files.createTempDirectory("earshot-vosk-" + configName() + "-");
        try (Stream<Path> entries = Files.list(source)) {
            for (Path entry : entries.toList()) {
                if (!entry.getFileName().toString().equals("conf")) {
                    Files.createSymbolicLink(dir.resolve(entry.getFileName().toString()), entry);
                }
            }
        }
        Path confDir = Files.createDirectory(dir.resolve("conf"));
        try (Stream<Path> entries = Files.list(source.resolve("conf"))) {
            for (Path entry : entries.toList()) {
                if (!entry.getFileName().toString().equals("model.conf")) {
                    Files.copy(entry, confDir.resolve(entry.getFileName().toString()));
                }
            }
        }
        Files.write(confDir.resolve("model.conf"), withOptions(Files.readAllLines(conf)));
        return dir;
    }

    /** Deletes a directory made by {@link #apply(Path)}; the model's own directory is never touched. */
    public void discard(Path applied, Path modelDir) {
        if (applied.equals(modelDir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(applied)) {
            // links are deleted as links: the model they point to stays
            for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the recogniser profile directory " + applied, e);
        }
    }

    /** The model's option lines with this profile's options replacing the same keys, new keys appended. */
    List<String> withOptions(List<String> modelConf) {
        Map<String, String> pending = new LinkedHashMap<>(decoderOptions);
        List<String> out = new ArrayList<>();
        for (String line : modelConf) {
            String trimmed = line.trim();
            int eq = trimmed.indexOf('=');
            String key = eq < 0 ? trimmed : trimmed.substring(0, eq);
            String value = pending.remove(key);
            out.add(value == null ? line : key + "=" + value);
        }
        pending.forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }
}
