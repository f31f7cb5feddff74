package io.earshot.ingest.dsp;

/**
 * Thresholds of the voice-activity detector and the talk-spurt rules of METRICS.md. Every
 * value is a default that configuration may override; results echo the values used.
 *
 * @param frameMs             frame length (METRICS.md: 20 ms)
 * @param onsetAboveFloorDb   a frame can anchor speech only this far above the noise floor
 * @param sustainAboveFloorDb a frame continues speech (word endings, unvoiced consonants)
 *                            this far above the noise floor
 * @param voicedReachMs       an energetic frame is speech only within this distance of a
 *                            voiced anchor frame of the same energetic run
 * @param noiseWindowMs       the noise floor is the quietest frame within this trailing window
 * @param noiseFloorCeilingDbfs the floor never rises above this, so a long monologue cannot
 *                            lift it into the speech range
 * @param echoMarginDb        a frame this much quieter than the other channel (at the same time
 *                            or up to {@code echoLagMs} earlier) is echo or crosstalk, not speech
 * @param echoLagMs           longest echo path delay considered
 * @param bridgeGapMs         gaps shorter than this inside a talk spurt are bridged (250 ms)
 * @param minSpurtMs          spurts shorter than this are dropped as clicks (120 ms)
 */
public record VadConfig(
        int frameMs,
        double onsetAboveFloorDb,
        double sustainAboveFloorDb,
        int voicedReachMs,
        int noiseWindowMs,
        double noiseFloorCeilingDbfs,
        double echoMarginDb,
        int echoLagMs,
        int bridgeGapMs,
        int minSpurtMs) {

    public static final VadConfig DEFAULTS = new VadConfig(20, 12.0, 6.0, 300, 5000, -40.0, 15.0, 100, 250, 120);

    public int voicedReachFrames() {
        return voicedReachMs / frameMs;
    }

    public int noiseWindowFrames() {
        return noiseWindowMs / frameMs;
    }

    public int echoLagFrames() {
        return (echoLagMs + frameMs - 1) / frameMs;
    }

    /** Gaps of at least this many frames end a spurt; shorter ones are bridged. */
    public int bridgeGapFrames() {
        return (bridgeGapMs + frameMs - 1) / frameMs;
    }

    public int minSpurtFrames() {
        return (minSpurtMs + frameMs - 1) / frameMs;
    }
}
