package io.earshot.analysis.listening;

import java.util.Locale;

/** The tone events read from the voice (docs/metrics.md, "Tone"). */
public enum ToneKind {
    /** Loudness well over the speaker's own baseline for a while. */
    RAISED_VOICE,
    /** The customer's pitch and loudness trending up across a stretch of the call. */
    AGITATION,
    /** The agent's pitch hardly moving over a minute of speech. */
    MONOTONE,
    /** The agent speaking much faster than its own baseline, or faster than a ceiling. */
    FAST_SPEECH;

    /** The name used in JSON, the store and configuration: {@code raised_voice}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
