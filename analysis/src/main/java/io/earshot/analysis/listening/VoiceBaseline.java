package io.earshot.analysis.listening;

import io.earshot.schemas.Role;

/**
 * One speaker's own voice over a call (or the call so far): the reference its tone events are
 * measured against. Values are NaN while there is nothing to measure them from.
 *
 * @param pitchSemitones  typical pitch, semitones over 55 Hz
 * @param loudnessDbfs    typical loudness of the speaker's own speech, dBFS
 * @param speakingRateWpm words per minute over the speaker's transcribed speech
 * @param speechMs        speech the baseline was measured over
 * @param words           recognised words the rate was measured over
 */
public record VoiceBaseline(Role role, double pitchSemitones, double loudnessDbfs, double speakingRateWpm,
        long speechMs, int words) implements java.io.Serializable {

    public static VoiceBaseline unknown(Role role) {
        return new VoiceBaseline(role, Double.NaN, Double.NaN, Double.NaN, 0, 0);
    }
}
