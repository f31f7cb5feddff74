package io.earshot.ingest.redact;

import java.util.ArrayList;
import java.util.List;

/**
 * Which personal data the {@link Redactor} removes from transcripts. Built once from serve's
 * {@code redaction:} section or a command's options; {@link #DEFAULTS} (everything on) is what
 * every path uses unless it is switched off explicitly.
 *
 * @param enabled           the master switch; {@code false} publishes the words as heard
 * @param cards             spoken or written digit runs of 13-19 digits that pass the Luhn check
 * @param phones            runs of 7, 10 or 11 (leading 1) digits, or 8-15 after "plus"
 * @param emails            "name at domain dot tld" as spoken, and literal addresses
 * @param nationalIds       9-digit runs that are a valid US social security number, or any
 *                          9-digit run after the words "social security" (or "ssn")
 * @param digitRunMin       any other run of at least this many digits is redacted as
 *                          {@code [digits]}; 0 switches the rule off. The safety net for a card
 *                          whose misheard digit fails the Luhn check
 * @param trailingDigitsMin a run of at least this many digits that ends an utterance is
 *                          redacted as {@code [digits]} (it may be the first group of a number
 *                          read out across a pause, whose rest comes in the next utterance);
 *                          0 switches the rule off
 * @param joinGapMs         a digit run that starts an utterance within this time after a run
 *                          that ended the speaker's previous utterance is judged together with it
 */
public record RedactionConfig(boolean enabled, boolean cards, boolean phones, boolean emails, boolean nationalIds,
        int digitRunMin, int trailingDigitsMin, long joinGapMs) {

    /** Default of {@link #digitRunMin}: longer than a date, a time or an amount as people say them. */
    public static final int DEFAULT_DIGIT_RUN_MIN = 8;
    /** Default of {@link #trailingDigitsMin}: one group of a card number as people read it out. */
    public static final int DEFAULT_TRAILING_DIGITS_MIN = 4;
    /** Default of {@link #joinGapMs}: a pause to look at the card or to breathe. */
    public static final long DEFAULT_JOIN_GAP_MS = 5_000;

    /** Every rule on, with the default thresholds. */
    public static final RedactionConfig DEFAULTS = new RedactionConfig(true, true, true, true, true,
            DEFAULT_DIGIT_RUN_MIN, DEFAULT_TRAILING_DIGITS_MIN, DEFAULT_JOIN_GAP_MS);

    /** Redaction switched off: words are published as the recogniser heard them. */
    public static final RedactionConfig OFF = new RedactionConfig(false, true, true, true, true,
            DEFAULT_DIGIT_RUN_MIN, DEFAULT_TRAILING_DIGITS_MIN, DEFAULT_JOIN_GAP_MS);

    public RedactionConfig {
        if (digitRunMin < 0 || digitRunMin == 1) {
            throw new IllegalArgumentException("redaction.digitRunMin must be 0 (off) or at least 2, got "
                    + digitRunMin);
        }
        if (trailingDigitsMin < 0 || trailingDigitsMin == 1) {
            throw new IllegalArgumentException("redaction.trailingDigitsMin must be 0 (off) or at least 2, got "
                    + trailingDigitsMin);
        }
        if (joinGapMs < 0) {
            throw new IllegalArgumentException("redaction.joinGapMs must not be negative, got " + joinGapMs);
        }
    }

    /**
     * What a call's {@code CallStarted.redaction} records: {@code "off"}, or the rules applied,
     * comma separated, from {@code card, phone, email, id, digits>=N, trailing>=N} (for
     * example {@code "card,phone,email,id,digits>=8,trailing>=4"}); {@code "none"} when enabled
     * with every rule off.
     */
    public String describe() {
        if (!enabled) {
            return "off";
        }
        List<String> rules = new ArrayList<>();
        if (cards) {
            rules.add("card");
        }
        if (phones) {
            rules.add("phone");
        }
        if (emails) {
            rules.add("email");
        }
        if (nationalIds) {
            rules.add("id");
        }
        if (digitRunMin > 0) {
            rules.add("digits>=" + digitRunMin);
        }
        if (trailingDigitsMin > 0) {
            rules.add("trailing>=" + trailingDigitsMin);
        }
        return rules.isEmpty() ? "none" : String.join(",", rules);
    }
}
