package io.earshot.analysis.listening;

/**
 * The thresholds of the tone events (docs/metrics.md, "Tone"); configuration names are
 * {@code listening.tone.<component>}. Every level is relative to the speaker's own baseline, so
 * no threshold depends on a channel's gain.
 *
 * @param baselineMinSpeechMs   a speaker's events are judged only once its baseline rests on this
 *                              much speech; before that the baseline is shown but no event is drawn
 *                              from it (fast speech over the ceiling excepted)
 * @param raisedVoiceDb         raised voice: loudness at least this far over the speaker's baseline
 * @param raisedVoiceMinMs      ... for at least this long
 * @param raisedVoiceMaxDipMs   quieter blocks and pauses inside a raised stretch up to this long do
 *                              not end it (a shouted sentence has soft consonants and breaths)
 * @param agitationMinSpeechMs  agitation is judged over stretches of at least this much customer speech
 * @param agitationPitchSlope   ... whose pitch rises at least this fast, semitones per minute
 * @param agitationLoudnessSlope ... and whose loudness rises at least this fast, dB per minute
 * @param monotoneMaxSemitones  monotone: the agent's pitch range (10th to 90th percentile) under this
 * @param monotoneMinSpeechMs   ... over every stretch of this much agent speech it covers
 * @param fastSpeechRatio       fast speech: the agent's rate at least this times its own rate in the
 *                              rest of the call
 * @param fastSpeechCeilingWpm  ... or at least this many words per minute whatever the baseline. Rates
 *                              are words per minute of talk time (pauses of 250 ms or more left out),
 *                              where conversational English runs at about 170-220; 260 is hurried
 * @param fastSpeechMinMs       ... over at least this much of the agent's transcribed speech
 */
public record ToneConfig(
        long baselineMinSpeechMs,
        double raisedVoiceDb,
        long raisedVoiceMinMs,
        long raisedVoiceMaxDipMs,
        long agitationMinSpeechMs,
        double agitationPitchSlope,
        double agitationLoudnessSlope,
        double monotoneMaxSemitones,
        long monotoneMinSpeechMs,
        double fastSpeechRatio,
        double fastSpeechCeilingWpm,
        long fastSpeechMinMs) implements java.io.Serializable {

    public static final ToneConfig DEFAULTS = new ToneConfig(10_000, 6.0, 2_000, 600, 45_000, 2.0, 3.0, 2.0, 60_000,
            1.25, 260, 20_000);

    public ToneConfig {
        if (baselineMinSpeechMs < 0 || raisedVoiceMinMs <= 0 || raisedVoiceMaxDipMs < 0 || agitationMinSpeechMs <= 0
                || monotoneMinSpeechMs <= 0 || fastSpeechMinMs <= 0) {
            throw new IllegalArgumentException("tone durations must be positive: " + this);
        }
        if (!(raisedVoiceDb > 0) || !(monotoneMaxSemitones > 0) || !(fastSpeechRatio > 1) || !(fastSpeechCeilingWpm > 0)
                || Double.isNaN(agitationPitchSlope) || Double.isNaN(agitationLoudnessSlope)) {
            throw new IllegalArgumentException("tone thresholds out of range: " + this);
        }
    }
}
