package io.earshot.pipeline.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where the Vosk model is: {@code --model DIR}, else {@code EARSHOT_MODEL}, else the model the
 * build unpacked next to the jar (passed by the launcher as {@code -Dearshot.model}).
 */
final class ModelOptions {

    @Option(names = "--model", paramLabel = "DIR",
            description = "Vosk model directory (default: the English model built with Earshot).")
    Path model;

    Path resolve() {
        if (model != null) {
            return model;
        }
        String env = System.getenv("EARSHOT_MODEL");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String prop = System.getProperty("earshot.model");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        throw new IllegalArgumentException("no Vosk model: pass --model DIR or set EARSHOT_MODEL");
    }
}
