package io.earshot.analysis.evaluation.corpus;

/**
 * Where a scripted line or noise starts. Every relation but {@link At} refers to a phrase of a
 * line placed earlier in the script, so placement needs nothing but the phrases' durations:
 * the same script lays out over synthetic timings or over rendered speech.
 */
public sealed interface Timing {

    /** At a fixed time from the call's start (the opening line). */
    record At(long ms) implements Timing {
    }

    /** {@code offsetMs} after the onset of phrase {@code phrase} of line {@code lineId}. */
    record AfterPhraseStart(String lineId, int phrase, long offsetMs) implements Timing {
    }

    /**
     * {@code offsetMs} after the end of phrase {@code phrase} of line {@code lineId}: inside the
     * pause that follows it, after the line when it is the last kept phrase, or before the end
     * when negative (a listener starting while the speaker finishes).
     */
    record AfterPhraseEnd(String lineId, int phrase, long offsetMs) implements Timing {
    }
}
