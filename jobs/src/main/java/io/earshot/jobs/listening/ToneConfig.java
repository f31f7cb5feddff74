package io.earshot.jobs.listening;

/**
 * The thresholds of the tone events (docs/metrics.md, "Tone").
 *
 * <p>Placeholder of the shared interface; its content is being written.
 */
public record ToneConfig(double raisedVoiceDb, long raisedVoiceMinMs) implements java.io.Serializable {

    public static final ToneConfig DEFAULTS = new ToneConfig(6.0, 2000);
}
