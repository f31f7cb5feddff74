package io.earshot.pipeline.cli;

import picocli.CommandLine.Option;

/** {@code --no-transcript}: voice activity and tone only, for the commands that read recorded calls. */
final class TranscriptOption {

    @Option(names = "--no-transcript", description = "Skip speech recognition (voice activity and tone only).")
    boolean off;
}
