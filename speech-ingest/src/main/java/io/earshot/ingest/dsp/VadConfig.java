package io.earshot.ingest.dsp;

/**
 * Thresholds of the voice-activity detector and the talk-spurt rules of docs/metrics.md. Every
 * value is a default that configuration may override; results echo the values used.
 *
 * @param frameMs             frame length (docs/metrics.md: 20 ms)
 * @param onsetAboveFloorDb   a frame can anchor speech only this far above the noise floor
 * @param sustainAboveFloorDb a frame continues speech (word endings, unvoiced consonants)
 *                            this far above the noise floor
 * @param voicedReachMs       an energetic frame is speech only within this distance of a
 *                            voiced anchor frame of the same energetic run
 * @param closureMs           quiet stretches up to this long (stop-consonant closures) do not
 *                            separate an unvoiced sound from the voiced anchor that makes it speech
 * @param noiseWindowMs       the noise floor is the quietest frame within this trailing window
 * @param noiseFloorCeilingDbfs the floor never rises above this, so a long monologue cannot
 *                            lift it into the speech range
 * @param echoLagMs           longest echo or crosstalk delay searched by {@link CrosstalkStage}
 * @param anchorBelowSpeechDb a voiced frame anchors speech only if it is at most this far below
 *                            the channel's running speech level: breaths, lip noise and faint
 *                            crosstalk from far below the speaker's own voice do not
 * @param bridgeGapMs         gaps shorter than this inside a talk spurt are bridged (250 ms)
 * @param minSpurtMs          spurts shorter than this are dropped as clicks (120 ms)
 */
public record VadConfig(
        int frameMs,
        double onsetAboveFloorDb,
        double sustainAboveFloorDb,
        int voicedReachMs,
        int closureMs,
        int noiseWindowMs,
        double noiseFloorCeilingDbfs,
        int echoLagMs,
        double anchorBelowSpeechDb,
        int bridgeGapMs,
        int minSpurtMs) {

    public static final VadConfig DEFAULTS = new VadConfig(20, 12.0, 6.0, 300, 100, 5000, -40.0, 100, 30.0, 250, 120);

    public int voicedReachFrames() {
        return voicedReachMs / frameMs;
    }

    public int noiseWindowFrames() {
        return noiseWindowMs / frameMs;
    }

    /** Gaps of at least this many frames end a spurt; shorter ones are bridged. */
    public int bridgeGapFrames() {
        return (bridgeGapMs + frameMs - 1) / frameMs;
    }

    public int minSpurtFrames() {
        return (minSpurtMs + frameMs - 1) / frameMs;
    }
}
