package io.earshot.analysis.listening;

import java.util.Locale;

/** The listening behaviours read from the transcript (docs/metrics.md, "Listening behaviours"). */
public enum BehaviourKind {
    /** Restating the customer's words: a confirm cue, or much of the customer's preceding content words. */
    PARAPHRASE,
    /** A recap of what was said or done, before resolving or at the end. */
    SUMMARY,
    /** Acknowledging the customer's feelings or situation. */
    EMPATHY,
    /** Saying sorry for the trouble or a wait. */
    APOLOGY,
    /** A question that invites the customer to explain in their own words. */
    OPEN_QUESTION,
    /** A question that checks the meaning of something already said. */
    CLARIFYING_QUESTION,
    /** A question answered with yes, no or a single fact. */
    CLOSED_QUESTION,
    /** A concrete commitment to do something after the call, or by when. */
    FOLLOW_UP;

    /** The name used in JSON, the store and configuration: {@code open_question}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind named by {@link #label()} (or its enum name, in any case). */
    public static BehaviourKind of(String label) {
        return valueOf(label.trim().toUpperCase(Locale.ROOT));
    }
}
