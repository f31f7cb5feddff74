package io.earshot.pipeline.cli;

import io.earshot.ingest.redact.RedactionConfig;
import io.earshot.pipeline.config.MetricSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --no-redaction}: the explicit switch that keeps card numbers, phone numbers, e-mail
 * addresses and id numbers in transcripts. Without it every command that transcribes redacts
 * them (with the {@code redaction:} section of its {@code --config} file, if it takes one).
 */
final class RedactionOption {

    /** What a command prints on stderr when redaction is off, so no one switches it off unawares. */
    static final String OFF_WARNING = "earshot: REDACTION IS OFF (--no-redaction or redaction.enabled: false): card"
            + " numbers, phone numbers, e-mail addresses and id numbers are output as heard";

    @Option(names = "--no-redaction", description = "Keep card numbers, phone numbers, e-mail addresses and id"
            + " numbers in transcripts (they are redacted by default); the call summaries record redaction off.")
    boolean off;

    /** The rules to run with: off with the option, else the {@code --config} file's section, else everything. */
    RedactionConfig rules(Path configFile, PrintWriter err) throws IOException {
        RedactionConfig rules = off ? RedactionConfig.OFF
                : configFile != null ? MetricSettings.redaction(configFile) : RedactionConfig.DEFAULTS;
        if (!rules.enabled()) {
            err.println(OFF_WARNING);
            err.flush();
        }
        return rules;
    }
}
