package io.earshot.analysis.evaluation.corpus;

/**
 * A realized call in which a scripted event sits too close to a threshold of the turn-taking
 * rules (or breaks one), so the script's intent would not be the only reading of it.
 */
public final class MarginViolation extends RuntimeException {

    private final String lineId;

    public MarginViolation(String lineId, String message) {
        super(lineId + ": " + message);
        this.lineId = lineId;
    }

    /** The line (or noise) whose placement broke the margin. */
    public String lineId() {
        return lineId;
    }
}
