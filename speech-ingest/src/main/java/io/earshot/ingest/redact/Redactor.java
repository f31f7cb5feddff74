package io.earshot.ingest.redact;

import io.earshot.ingest.asr.Utterance;
import io.earshot.ingest.asr.Word;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Removes card numbers, phone numbers, e-mail addresses, national id numbers and other long
 * digit runs from what the recogniser heard, before any of it leaves speech ingest.
 *
 * <p><b>Placeholders keep the timing.</b> Every matched word is replaced by a placeholder
 * word ({@code [card]}, {@code [phone]}, {@code [email]}, {@code [id]}, {@code [digits]})
 * with the original word's start, end and confidence: one placeholder per word, never one
 * spanning several. Talk time, overlaps, interruptions and gaps come from voice activity and
 * do not change; word counts (speaking rate), word timings (backchannel words, words spoken
 * over an overlap) and utterance spans stay exactly as heard, so every metric is the same with
 * redaction on or off. Only the words themselves change.
 *
 * <p><b>Spoken numbers.</b> The recogniser writes numbers as lower-case words: digits
 * ("zero", "oh", "one" ... "nine"), "double"/"triple" before a digit, teens and tens
 * ("forty one"), "hundred" between single digits ("one eight hundred five five five"), or
 * numerals. Consecutive number words form a digit run; a run may carry up to two hesitations
 * ("uh", "um", "dash" ...) and, only between two number words, the homophones "for", "to",
 * "too", "won", "ate" that the recogniser writes for digits. Pauses between groups do not
 * matter: the run is the words, whatever their timing. A run that ends an utterance carries
 * over into the speaker's next utterance when that starts with a run within
 * {@link RedactionConfig#joinGapMs()}, so a number read out across a pause is judged whole.
 *
 * <p><b>Rules</b>, in order, on a run of n digits: a card when 13 &lt;= n &lt;= 19 and it passes
 * the Luhn check; a phone when "plus" precedes 8-15 digits, or n is 7, 10, or 11 with a
 * leading 1; a national id when n is 9 and it is a valid US social security number, or follows
 * "social security"/"ssn"; a card inside a longer run (the longest Luhn-valid 13-19 digit
 * stretch on word boundaries; the rest of the run then counts as digits); any other run of at
 * least {@link RedactionConfig#digitRunMin()} digits; and a run read digit by digit of at
 * least {@link RedactionConfig#trailingDigitsMin()} digits that ends the utterance (it may be
 * the start of a number whose rest comes next). E-mail addresses: a word with "@" and a dot,
 * or the spoken "name [dot name] at domain dot tld"; before a common top-level domain ("dot
 * com"), the words the recogniser writes for a spoken "at" ("out", "of", "that" ...) count as "at".
 *
 * <p>Thread-safe; the per-speaker state lives in {@link Speaker}.
 */
public final class Redactor {

    public static final String CARD = "[card]";
    public static final String PHONE = "[phone]";
    public static final String EMAIL = "[email]";
    public static final String ID = "[id]";
    public static final String DIGITS = "[digits]";

    private static final Map<String, Integer> UNITS = Map.ofEntries(Map.entry("zero", 0), Map.entry("oh", 0),
            Map.entry("o", 0), Map.entry("one", 1), Map.entry("two", 2), Map.entry("three", 3),
            Map.entry("four", 4), Map.entry("five", 5), Map.entry("six", 6), Map.entry("seven", 7),
            Map.entry("eight", 8), Map.entry("nine", 9));
    /** Homophones the recogniser writes for a digit; a digit only between two number words. */
    private static final Map<String, Integer> HOMOPHONES = Map.of("for", 4, "to", 2, "too", 2, "won", 1, "ate", 8);
    private static final Map<String, Integer> TEENS = Map.of("ten", 10, "eleven", 11, "twelve", 12,
            "thirteen", 13, "fourteen", 14, "fifteen", 15, "sixteen", 16, "seventeen", 17, "eighteen", 18,
            "nineteen", 19);
    private static final Map<String, Integer> TENS = Map.of("twenty", 2, "thirty", 3, "forty", 4, "fifty", 5,
            "sixty", 6, "seventy", 7, "eighty", 8, "ninety", 9);
    private static final Set<String> FILLERS = Set.of("uh", "um", "er", "erm", "ah", "hmm", "dash", "hyphen");
    private static final int MAX_FILLERS = 2;
    private static final Set<String> EMAIL_CONNECTORS = Set.of("dot", "underscore", "dash", "hyphen", "period");
    /** Words that end the spoken local part of an address when walking left from "at". */
    private static final Set<String> EMAIL_STOP = Set.of("is", "was", "it's", "its", "it", "email", "mail",
            "address", "me", "my", "at", "to", "the", "and", "a", "that", "um", "uh", "so", "yes", "yeah", "okay",
            "send", "reach", "use", "try", "under", "be", "should", "please", "this", "these", "those", "your",
            "our", "his", "her", "their", "all", "least", "last", "first", "once", "home", "work", "night", "an");
    /**
     * What the recogniser writes for a spoken "at" in an address ("john out example dot com"):
     * taken for "at" only before a domain that ends in a {@link #TLDS} label.
     */
    private static final Set<String> AT_HEARD = Set.of("out", "of", "as", "that", "yet", "add", "and");
    private static final Set<String> TLDS = Set.of("com", "net", "org", "edu", "gov", "io", "co", "uk", "us",
            "info", "biz", "de", "ca", "au", "me", "ie", "in");
    private static final Pattern NUMERAL = Pattern.compile("[0-9][0-9-]*");
    private static final Pattern LITERAL_EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final int SSN_CONTEXT_WORDS = 8;
    private static final int MAX_CARRIED_DIGITS = 40;

    private final RedactionConfig config;

    public Redactor(RedactionConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** A redactor with every rule on. */
    public static Redactor defaults() {
        return new Redactor(RedactionConfig.DEFAULTS);
    }

    public RedactionConfig config() {
        return config;
    }

    /** What a call's summary records about this redactor ({@link RedactionConfig#describe()}). */
    public String describe() {
        return config.describe();
    }

    /** A fresh state for one speaker (one role of one call); feed it that speaker's utterances in order. */
    public Speaker speaker() {
        return new Speaker();
    }

    /** One speaker's utterances, in order, redacted as a live call redacts them. */
    public List<Utterance> redactInOrder(List<Utterance> utterances) {
        Speaker s = speaker();
        List<Utterance> out = new ArrayList<>(utterances.size());
        for (Utterance u : utterances) {
            out.add(s.next(u));
        }
        return out;
    }

    /** One utterance's words on their own, with no earlier utterance to join. */
    public List<String> redactWords(List<String> words) {
        return Arrays.asList(apply(words.toArray(String[]::new), null));
    }

    /**
     * One speaker's redaction state: the digit run that ended the previous utterance, so a
     * number read out across a pause is judged whole. Not thread-safe; utterances of a speaker
     * arrive in order.
     */
    public final class Speaker {

        private Carry carry;

        private Speaker() {
        }

        /** {@code u} with its personal data replaced by placeholders, timings unchanged. */
        public Utterance next(Utterance u) {
            if (!config.enabled()) {
                return u;
            }
            if (u.words().isEmpty()) {
                String[] tokens = u.text().isBlank() ? new String[0] : u.text().trim().split("\\s+");
                Carry in = carry != null && u.startMs() - carry.endMs <= config.joinGapMs() ? carry : null;
                Result r = run(tokens, in);
                carry = r.tail == null ? null : new Carry(r.tail, u.endMs(), r.tailSsn);
                return new Utterance(u.role(), u.startMs(), u.endMs(), String.join(" ", r.words), u.words(),
                        u.isFinal());
            }
            String[] tokens = u.words().stream().map(Word::word).toArray(String[]::new);
            Carry in = carry != null && u.words().get(0).startMs() - carry.endMs <= config.joinGapMs() ? carry : null;
            Result r = run(tokens, in);
            carry = r.tail == null ? null
                    : new Carry(r.tail, u.words().get(u.words().size() - 1).endMs(), r.tailSsn);
            List<Word> words = new ArrayList<>(u.words().size());
            boolean changed = false;
            for (int i = 0; i < tokens.length; i++) {
                Word w = u.words().get(i);
                changed |= !r.words[i].equals(w.word());
                words.add(r.words[i].equals(w.word()) ? w : new Word(r.words[i], w.startMs(), w.endMs(), w.conf()));
            }
            if (!changed) {
                return u;
            }
            return new Utterance(u.role(), u.startMs(), u.endMs(), String.join(" ", r.words), words, u.isFinal());
        }
    }

    private record Carry(String digits, long endMs, boolean ssn) {
    }

    private record Result(String[] words, String tail, boolean tailSsn) {
    }

    private String[] apply(String[] tokens, Carry carry) {
        return run(tokens, carry).words;
    }

    /** One number word (or two: "double five", "forty one") at a word index. */
    private record Item(int from, int to, String digits, boolean digitWise) {
    }

    private Result run(String[] tokens, Carry carry) {
        String[] out = tokens.clone();
        if (!config.enabled()) {
            return new Result(out, null, false);
        }
        String[] w = new String[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            w[i] = tokens[i].toLowerCase(java.util.Locale.ROOT);
        }
        boolean[] taken = new boolean[w.length];
        if (config.emails()) {
            emails(w, out, taken);
        }
        String tail = null;
        boolean tailSsn = false;
        int i = 0;
        while (i < w.length) {
            if (taken[i] || item(w, i, false, taken) == null) {
                i++;
                continue;
            }
            // a run of number items from i
            List<Item> items = new ArrayList<>();
            int at = i;
            while (at < w.length) {
                Item it = item(w, at, !items.isEmpty(), taken);
                if (it == null) {
                    int f = at;
                    while (f < w.length && f - at < MAX_FILLERS && !taken[f] && FILLERS.contains(w[f])) {
                        f++;
                    }
                    if (f > at && f < w.length && item(w, f, true, taken) != null) {
                        at = f;
                        continue;
                    }
                    break;
                }
                items.add(it);
                at = it.to;
            }
            int last = items.get(items.size() - 1).to; // exclusive
            boolean touchesEnd = onlyFillersFrom(w, last);
            boolean plus = i > 0 && !taken[i - 1] && w[i - 1].equals("plus");
            boolean atStart = onlyFillersBefore(w, i) || plus && onlyFillersBefore(w, i - 1);
            Carry joined = atStart ? carry : null;
            boolean ssn = ssnContext(w, i) || joined != null && joined.ssn;
            StringBuilder own = new StringBuilder();
            for (Item it : items) {
                own.append(it.digits);
            }
            String prefix = joined == null ? "" : joined.digits;
            String[] labels = classify(prefix, items, plus, ssn, touchesEnd);
            for (int k = 0; k < items.size(); k++) {
                if (labels[k] == null) {
                    continue;
                }
                Item it = items.get(k);
                for (int j = it.from; j < it.to; j++) {
                    out[j] = labels[k];
                }
                // hesitations inside a redacted stretch go with it
                if (k + 1 < items.size() && labels[k + 1] != null) {
                    for (int j = it.to; j < items.get(k + 1).from; j++) {
                        out[j] = labels[k];
                    }
                }
            }
            if (plus && labels[0] != null) {
                out[i - 1] = labels[0];
            }
            if (touchesEnd) {
                String all = prefix + own;
                tail = all.length() > MAX_CARRIED_DIGITS ? all.substring(all.length() - MAX_CARRIED_DIGITS) : all;
                tailSsn = ssn;
            }
            i = last;
        }
        return new Result(out, tail, tailSsn);
    }

    private static boolean onlyFillersFrom(String[] w, int from) {
        for (int j = from; j < w.length; j++) {
            if (!FILLERS.contains(w[j])) {
                return false;
            }
        }
        return true;
    }

    private static boolean onlyFillersBefore(String[] w, int to) {
        for (int j = 0; j < to; j++) {
            if (!FILLERS.contains(w[j])) {
                return false;
            }
        }
        return true;
    }

    private static boolean ssnContext(String[] w, int runStart) {
        for (int j = Math.max(0, runStart - SSN_CONTEXT_WORDS); j < runStart; j++) {
            if (w[j].equals("ssn") || w[j].equals("security") && j > 0 && w[j - 1].equals("social")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The number item at {@code i}, or null. {@code inRun}: the item would continue a run, so
     * "hundred" and the homophones may count.
     */
    private static Item item(String[] w, int i, boolean inRun, boolean[] taken) {
        if (taken[i]) {
            return null;
        }
        String t = w[i];
        Integer unit = UNITS.get(t);
        if (unit != null) {
            return new Item(i, i + 1, unit.toString(), true);
        }
        if (NUMERAL.matcher(t).matches()) {
            return new Item(i, i + 1, t.replace("-", ""), true);
        }
        if ((t.equals("double") || t.equals("triple")) && i + 1 < w.length && !taken[i + 1]) {
            Integer d = UNITS.get(w[i + 1]);
            if (d != null) {
                return new Item(i, i + 2, d.toString().repeat(t.equals("double") ? 2 : 3), true);
            }
            return null;
        }
        Integer teen = TEENS.get(t);
        if (teen != null) {
            return new Item(i, i + 1, teen.toString(), false);
        }
        Integer tens = TENS.get(t);
        if (tens != null) {
            if (i + 1 < w.length && !taken[i + 1]) {
                Integer u = UNITS.get(w[i + 1]);
                if (u != null && u > 0) {
                    return new Item(i, i + 2, tens + u.toString(), false);
                }
            }
            return new Item(i, i + 1, tens + "0", false);
        }
        if (!inRun || i + 1 >= w.length || taken[i + 1]) {
            return null;
        }
        // only between number words: "eight hundred five", "one two for three"
        boolean nextNumber = !HOMOPHONES.containsKey(w[i + 1]) && !w[i + 1].equals("hundred")
                && item(w, i + 1, true, taken) != null;
        if (t.equals("hundred") && nextNumber && i > 0 && UNITS.containsKey(w[i - 1])) {
            return new Item(i, i + 1, "00", false);
        }
        Integer homophone = HOMOPHONES.get(t);
        if (homophone != null && nextNumber) {
            return new Item(i, i + 1, homophone.toString(), true);
        }
        return null;
    }

    /**
     * Labels for a run's items: {@code prefix} is the carried digits of the speaker's previous
     * utterance, which the run continues.
     */
    private String[] classify(String prefix, List<Item> items, boolean plus, boolean ssnContext, boolean touchesEnd) {
        String[] labels = new String[items.size()];
        StringBuilder sb = new StringBuilder(prefix);
        int[] bounds = new int[items.size() + 1]; // digit offset of each item in the whole, and the end
        for (int k = 0; k < items.size(); k++) {
            bounds[k] = sb.length();
            sb.append(items.get(k).digits);
        }
        bounds[items.size()] = sb.length();
        String all = sb.toString();
        int n = all.length();
        String whole = null;
        if (config.cards() && n >= 13 && n <= 19 && luhn(all)) {
            whole = CARD;
        } else if (config.phones() && plus && n >= 8 && n <= 15) {
            whole = PHONE;
        } else if (config.phones() && (n == 7 || n == 10 || n == 11 && all.charAt(0) == '1')) {
            whole = PHONE;
        } else if (config.nationalIds() && n == 9 && (ssnContext || validSsn(all))) {
            whole = ID;
        }
        if (whole != null) {
            Arrays.fill(labels, whole);
            return labels;
        }
        boolean longRun = config.digitRunMin() > 0 && n >= config.digitRunMin();
        if (config.cards() && n > 13) {
            // the longest Luhn-valid stretch of 13-19 digits on item boundaries (any digit of the carried part)
            for (int len = Math.min(19, n - 1); len >= 13; len--) {
                for (int from = 0; from + len <= n; from++) {
                    int to = from + len;
                    if (!boundary(bounds, prefix.length(), from) || !boundary(bounds, prefix.length(), to)) {
                        continue;
                    }
                    if (luhn(all.substring(from, to))) {
                        for (int k = 0; k < items.size(); k++) {
                            boolean inside = bounds[k] >= from && bounds[k + 1] <= to;
                            labels[k] = inside ? CARD : longRun ? DIGITS : null;
                        }
                        return labels;
                    }
                }
            }
        }
        boolean digitWise = items.stream().allMatch(Item::digitWise);
        if (longRun || config.trailingDigitsMin() > 0 && touchesEnd && digitWise && n >= config.trailingDigitsMin()) {
            Arrays.fill(labels, DIGITS);
        }
        return labels;
    }

    private static boolean boundary(int[] bounds, int prefixLength, int at) {
        if (at <= prefixLength) {
            return true;
        }
        for (int b : bounds) {
            if (b == at) {
                return true;
            }
        }
        return false;
    }

    /** The Luhn checksum of a digit string. */
    public static boolean luhn(String digits) {
        int sum = 0;
        boolean twice = false;
        for (int k = digits.length() - 1; k >= 0; k--) {
            int d = digits.charAt(k) - '0';
            if (twice) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            twice = !twice;
        }
        return sum % 10 == 0;
    }

    /** A US social security number as issued: area not 000, 666 or 9xx; group not 00; serial not 0000. */
    static boolean validSsn(String d) {
        String area = d.substring(0, 3);
        return !area.equals("000") && !area.equals("666") && d.charAt(0) != '9' && !d.startsWith("00", 3)
                && !d.startsWith("0000", 5);
    }

    private static void emails(String[] w, String[] out, boolean[] taken) {
        for (int i = 0; i < w.length; i++) {
            if (LITERAL_EMAIL.matcher(w[i]).matches()) {
                out[i] = EMAIL;
                taken[i] = true;
            }
        }
        for (int at = 1; at + 3 < w.length; at++) {
            if (!w[at].equals("at") && !AT_HEARD.contains(w[at]) || taken[at]) {
                continue;
            }
            // domain: label (dot label)+
            int end = at + 1;
            if (EMAIL_STOP.contains(w[end]) || EMAIL_CONNECTORS.contains(w[end])) {
                continue;
            }
            end++;
            int dots = 0;
            while (end + 1 < w.length && w[end].equals("dot") && !EMAIL_CONNECTORS.contains(w[end + 1])
                    && !EMAIL_STOP.contains(w[end + 1])) {
                end += 2;
                dots++;
            }
            if (dots == 0 || !w[at].equals("at") && !TLDS.contains(w[end - 1])) {
                continue;
            }
            // local part: a word, then (connector word)* leftwards, and spelled letters or digits
            int start = at - 1;
            if (EMAIL_STOP.contains(w[start]) || EMAIL_CONNECTORS.contains(w[start])) {
                continue;
            }
            while (true) {
                if (start >= 2 && EMAIL_CONNECTORS.contains(w[start - 1]) && !EMAIL_STOP.contains(w[start - 2])) {
                    start -= 2;
                } else if (start >= 1 && spelled(w[start - 1]) && spelled(w[start])) {
                    start -= 1;
                } else {
                    break;
                }
            }
            for (int j = start; j < end; j++) {
                out[j] = EMAIL;
                taken[j] = true;
            }
            at = end - 1;
        }
    }

    /** A letter or digit said on its own, as in a spelled-out name. */
    private static boolean spelled(String t) {
        return t.length() == 1 && Character.isLetterOrDigit(t.charAt(0)) && !t.equals("a") && !t.equals("i")
                || UNITS.containsKey(t);
    }
}
