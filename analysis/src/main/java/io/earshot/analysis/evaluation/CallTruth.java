package io.earshot.analysis.evaluation;

import java.util.List;
import java.util.Objects;

/**
 * What a labeller says happened in one call: who spoke when, and optionally the turn-taking
 * events.
 *
 * @param durationMs the call's length; the voice-activity grid spans at least this long
 * @param speech     each party's speech; segments of one party may touch or overlap (their
 *                   union is what counts)
 * @param events     the labelled events, or {@code null} when none were given: then only
 *                   voice activity, talk time and overlap are scored
 */
public record CallTruth(String callId, long durationMs, List<TruthSegment> speech, TruthEvents events) {

    public CallTruth {
        Objects.requireNonNull(callId, "callId");
        if (durationMs < 0) {
            throw new IllegalArgumentException("negative call duration: " + durationMs);
        }
        speech = List.copyOf(speech);
    }
}
