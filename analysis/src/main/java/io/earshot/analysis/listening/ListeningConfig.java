package io.earshot.analysis.listening;

/**
 * How a call's listening is judged: the phrase lists behaviours are matched against, the tone
 * thresholds, the score's weights and thresholds, and how many coaching notes a call gets.
 */
public record ListeningConfig(PhraseBook phrases, ToneConfig tone, ScoreConfig score, int coachingNotes)
        implements java.io.Serializable {

    public static final ListeningConfig DEFAULTS = new ListeningConfig(PhraseBook.builtIn("en"), ToneConfig.DEFAULTS,
            ScoreConfig.DEFAULTS, 4);

    public ListeningConfig {
        if (phrases == null || tone == null || score == null) {
            throw new IllegalArgumentException("listening: phrases, tone and score are required");
        }
        if (coachingNotes < 0) {
            throw new IllegalArgumentException("listening.coachingNotes must be >= 0, not " + coachingNotes);
        }
    }
}
