package io.earshot.analysis.listening;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The phrase and pattern lists of one language that {@link BehaviourDetector} matches
 * utterances against: a resource per language ({@code phrases-<language>.txt} next to this
 * class), or a user's file of the same format ({@link #read(Path)}), which may extend a
 * built-in book with {@code @extends <language>}.
 *
 * <p>The format, one item per line ({@code #} starts a comment line):
 * <pre>
 * &#64;language en                 the book's language (or inherited from &#64;extends)
 * &#64;extends en                  start from the built-in book: sections add to it, settings override it
 * [settings]                    key = value, see the DEFAULT_ constants
 * [contractions]                i'm = i am      (applied to the transcript and to the patterns)
 * [fillers]                     words dropped before matching (uh um)
 * [insertable]                  words a recogniser inserts: at most max-inserted-words of them may
 *                               sit inside a match (the a)
 * [stop-words]                  words that are not content words for the overlap rule
 * [clause-breaks]               patterns after which a new clause may start (okay, so, and, ...)
 * [class NAME]                  the words of class NAME, used as {NAME} in patterns
 * [paraphrase] [summary] [empathy] [apology] [open_question] [clarifying_question]
 * [closed_question] [follow_up] one pattern per line
 * </pre>
 * Pattern syntax: words separated by spaces; {@code a|b} one of these words; {@code [a]} or
 * {@code [a|b]} an optional word; {@code *} any one word ({@code [*]} an optional one);
 * {@code {NAME}} one or more words of class NAME ({@code {n}} also matches digits); a leading
 * {@code ^} only at a clause start; a trailing {@code $} only at the end of the utterance; a
 * leading {@code !} makes it a negative pattern that vetoes the positive matches of its kind it
 * overlaps.
 *
 * <p>The book is immutable and serialisable; it carries its compiled trie.
 */
public final class PhraseBook implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The language used when none is configured. */
    public static final String DEFAULT_LANGUAGE = "en";
    /** At least this many distinct content words shared with the customer's turn make an overlap paraphrase. */
    public static final int DEFAULT_OVERLAP_MIN_WORDS = 3;
    /** ... and they are at least this share of the agent utterance's distinct content words. */
    public static final double DEFAULT_OVERLAP_MIN_SHARE = 0.5;
    /**
     * A silence between two words at least this long starts a new clause: where a writer would
     * put a comma or a full stop, a speaker pauses. Fluent speech leaves well under 150 ms
     * between words.
     */
    public static final long DEFAULT_CLAUSE_PAUSE_MS = 350;
    /** How many insertable words (a recogniser's stray "the") a single match may contain. */
    public static final int DEFAULT_MAX_INSERTED_WORDS = 1;
    /** A stem keeps at least this many letters. */
    public static final int DEFAULT_STEM_MIN_LENGTH = 3;

    /** The class {@code {n}}: its words, plus any run of digits. */
    static final String NUMBER_CLASS = "n";

    private static final String RESOURCE_PREFIX = "phrases-";
    private static final String LANGUAGES_RESOURCE = "languages.txt";

    /** A pattern as written, with where it was written. */
    public record Phrase(BehaviourKind kind, boolean negative, String text, String where) implements Serializable {
        /**
         * Why a match of this pattern is a hit, in the words matched (as tokens: contractions
         * expanded, fillers dropped): {@code phrase "just to confirm"}, followed by where the
         * pattern is written when it is not those very words:
         * {@code phrase "i will refund" (phrases-en.txt:301)}.
         */
        public String reason(String matched) {
            String plain = text.replaceFirst("^\\^\\s*", "").replaceFirst("\\s*\\$$", "");
            return "phrase \"" + matched + "\"" + (matched.equals(plain) ? "" : " (" + where + ")");
        }
    }

    /** A token of an utterance: a normalised word and the index of the recognised word it came from. */
    record Token(String text, int word) {
    }

    private final String language;
    private final String source;
    private final int overlapMinWords;
    private final double overlapMinShare;
    private final long clausePauseMs;
    private final int maxInsertedWords;
    private final int stemMinLength;
    private final List<String> stemSuffixes;
    private final List<String> stemKeepEndings;
    private final List<BehaviourKind> questionPrecedence;
    private final Map<String, List<String>> contractions;
    private final Set<String> fillers;
    private final Set<String> stopWords;
    private final List<Phrase> phrases;
    private final PhraseTrie trie;
    private final PhraseTrie clauseBreaks;

    private PhraseBook(Draft d) {
        this.language = d.language;
        this.source = d.source;
        Settings s = new Settings(d.settings);
        this.overlapMinWords = s.integer("paraphrase.overlap.min-words", DEFAULT_OVERLAP_MIN_WORDS, 1);
        this.overlapMinShare = s.share("paraphrase.overlap.min-share", DEFAULT_OVERLAP_MIN_SHARE);
        this.clausePauseMs = s.integer("clause.pause-ms", (int) DEFAULT_CLAUSE_PAUSE_MS, 1);
        this.maxInsertedWords = s.integer("match.max-inserted-words", DEFAULT_MAX_INSERTED_WORDS, 0);
        this.stemMinLength = s.integer("stem.min-length", DEFAULT_STEM_MIN_LENGTH, 1);
        this.stemSuffixes = s.words("stem.suffixes");
        this.stemKeepEndings = s.words("stem.keep-endings");
        this.questionPrecedence = s.kinds("questions.precedence");
        s.rejectUnknown();
        this.contractions = Collections.unmodifiableMap(new HashMap<>(d.contractions));
        this.fillers = Set.copyOf(d.fillers);
        this.stopWords = Set.copyOf(d.stopWords);
        Map<String, Set<String>> classes = new HashMap<>();
        d.classes.forEach((k, v) -> classes.put(k, Set.copyOf(v)));
        Set<String> insertable = Set.copyOf(d.insertable);
        this.trie = new PhraseTrie(classes, insertable, maxInsertedWords);
        this.clauseBreaks = new PhraseTrie(classes, Set.of(), 0);
        List<Phrase> list = new ArrayList<>();
        for (RawLine r : d.patterns) {
            Phrase p = new Phrase(r.kind, r.text.startsWith("!"), r.text.startsWith("!") ? r.text.substring(1).strip() : r.text,
                    r.where);
            compile(p.text(), r.where, classes, list.size(), trie, true);
            list.add(p);
        }
        this.phrases = List.copyOf(list);
        int i = 0;
        for (RawLine r : d.breaks) {
            compile(r.text, r.where, classes, i++, clauseBreaks, false);
        }
    }

    /** The built-in book of a language ("en"), from the classpath. */
    public static PhraseBook builtIn(String language) {
        return new PhraseBook(builtInDraft(language));
    }

    /**
     * A user's phrase file in the format of the built-in books. Its lines may start from a
     * built-in book ({@code @extends en}).
     *
     * @throws IOException              when the file cannot be read
     * @throws IllegalArgumentException when it is malformed: the message names the file and line
     */
    public static PhraseBook read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        return parse(file.toString(), lines);
    }

    /** A book from lines in the file format; {@code name} is used in error messages. */
    public static PhraseBook parse(String name, List<String> lines) {
        Draft d = new Draft();
        d.source = name;
        d.parse(name, lines, true);
        if (d.language == null) {
            throw new IllegalArgumentException(name + ": no @language line (or @extends LANGUAGE)");
        }
        return new PhraseBook(d);
    }

    /** The languages with a built-in book. */
    public static List<String> builtInLanguages() {
        List<String> out = new ArrayList<>();
        for (String line : resource(LANGUAGES_RESOURCE).lines().toList()) {
            if (!line.strip().startsWith("#") && !line.isBlank()) {
                out.addAll(Arrays.asList(line.strip().split("\\s+")));
            }
        }
        return List.copyOf(out);
    }

    public String language() {
        return language;
    }

    /** Where the book came from: {@code built-in en} or the file name. */
    public String source() {
        return source;
    }

    /** Every pattern of the book, positive and negative, in the order written. */
    public List<Phrase> phrases() {
        return phrases;
    }

    public int overlapMinWords() {
        return overlapMinWords;
    }

    public double overlapMinShare() {
        return overlapMinShare;
    }

    public long clausePauseMs() {
        return clausePauseMs;
    }

    /** The question kinds from strongest to weakest: an utterance keeps only the first it has. */
    public List<BehaviourKind> questionPrecedence() {
        return questionPrecedence;
    }

    PhraseTrie trie() {
        return trie;
    }

    PhraseTrie clauseBreaks() {
        return clauseBreaks;
    }

    /**
     * An utterance's words as tokens: lower case, outer punctuation removed, contractions
     * expanded ("i'm" becomes "i am", both tokens pointing at the one word), fillers dropped.
     */
    List<Token> tokens(List<String> words) {
        List<Token> out = new ArrayList<>(words.size() + 4);
        for (int i = 0; i < words.size(); i++) {
            for (String t : normalise(words.get(i))) {
                if (!fillers.contains(t)) {
                    out.add(new Token(t, i));
                }
            }
        }
        return out;
    }

    /** Whether a token counts as a content word for the overlap rule. */
    boolean isContent(String token) {
        return token.length() > 1 && !stopWords.contains(token) && !fillers.contains(token);
    }

    /** The token without its first listed suffix, unless it ends with a kept ending or the stem would be too short. */
    String stem(String token) {
        for (String keep : stemKeepEndings) {
            if (token.endsWith(keep)) {
                return token;
            }
        }
        for (String suffix : stemSuffixes) {
            if (token.endsWith(suffix) && token.length() - suffix.length() >= stemMinLength) {
                return token.substring(0, token.length() - suffix.length());
            }
        }
        return token;
    }

    private List<String> normalise(String word) {
        String w = cleanWord(word);
        if (w.isEmpty()) {
            return List.of();
        }
        List<String> expanded = contractions.get(w);
        return expanded != null ? expanded : List.of(w);
    }

    private static String cleanWord(String word) {
        String w = word.toLowerCase(Locale.ROOT).replace('\u2019', '\'');
        int a = 0;
        int b = w.length();
        while (a < b && !Character.isLetterOrDigit(w.charAt(a))) {
            a++;
        }
        while (b > a && !Character.isLetterOrDigit(w.charAt(b - 1))) {
            b--;
        }
        return w.substring(a, b);
    }

    // ------------------------------------------------------------------------------------------
    // Pattern compilation

    private static final int MAX_EXPANSIONS = 4096;

    private void compile(String text, String where, Map<String, Set<String>> classes, int rule, PhraseTrie into,
            boolean anchorsAllowed) {
        if (text.isBlank()) {
            throw bad(where, "empty pattern");
        }
        String[] parts = text.strip().split("\\s+");
        boolean atStart = false;
        boolean atEnd = false;
        List<List<List<PhraseTrie.Edge>>> slots = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (p.startsWith("^")) {
                if (i != 0 || !anchorsAllowed) {
                    throw bad(where, "'^' (clause start) may only begin a pattern" + (anchorsAllowed ? "" : " of a kind"));
                }
                atStart = true;
                p = p.substring(1);
                if (p.isEmpty()) {
                    continue;
                }
            }
            if (p.endsWith("$") && !p.startsWith("{")) {
                if (i != parts.length - 1 || !anchorsAllowed) {
                    throw bad(where, "'$' (utterance end) may only end a pattern" + (anchorsAllowed ? "" : " of a kind"));
                }
                atEnd = true;
                p = p.substring(0, p.length() - 1);
                if (p.isEmpty()) {
                    continue;
                }
            }
            slots.add(slot(p, where, classes));
        }
        if (slots.isEmpty()) {
            throw bad(where, "empty pattern");
        }
        List<List<PhraseTrie.Edge>> forms = new ArrayList<>();
        forms.add(List.of());
        for (List<List<PhraseTrie.Edge>> slot : slots) {
            List<List<PhraseTrie.Edge>> next = new ArrayList<>();
            for (List<PhraseTrie.Edge> f : forms) {
                for (List<PhraseTrie.Edge> choice : slot) {
                    List<PhraseTrie.Edge> g = new ArrayList<>(f);
                    g.addAll(choice);
                    next.add(g);
                }
            }
            if (next.size() > MAX_EXPANSIONS) {
                throw bad(where, "too many optional words and alternatives (over " + MAX_EXPANSIONS + " forms)");
            }
            forms = next;
        }
        boolean added = false;
        for (List<PhraseTrie.Edge> f : forms) {
            if (!f.isEmpty()) {
                into.add(rule, f, atStart, atEnd);
                added = true;
            }
        }
        if (!added || forms.stream().anyMatch(List::isEmpty)) {
            throw bad(where, "a pattern needs at least one word that is not optional");
        }
    }

    /** The choices of one pattern position: each a short list of edges (empty for a skipped optional). */
    private List<List<PhraseTrie.Edge>> slot(String p, String where, Map<String, Set<String>> classes) {
        if (p.equals("*")) {
            return List.of(List.of(PhraseTrie.Edge.any()));
        }
        if (p.equals("[*]")) {
            return List.of(List.of(PhraseTrie.Edge.any()), List.of());
        }
        if (p.startsWith("{") || p.endsWith("}")) {
            if (!(p.startsWith("{") && p.endsWith("}")) || p.length() < 3) {
                throw bad(where, "bad word class '" + p + "': write {NAME}");
            }
            String name = p.substring(1, p.length() - 1);
            if (!classes.containsKey(name) && !NUMBER_CLASS.equals(name)) {
                throw bad(where, "unknown word class {" + name + "}; defined: " + new java.util.TreeSet<>(classes.keySet()));
            }
            return List.of(List.of(PhraseTrie.Edge.wordClass(name)));
        }
        boolean optional = false;
        String body = p;
        if (p.startsWith("[") || p.endsWith("]")) {
            if (!(p.startsWith("[") && p.endsWith("]")) || p.length() < 3) {
                throw bad(where, "bad optional word '" + p + "': write [word] or [a|b] (one word per position)");
            }
            optional = true;
            body = p.substring(1, p.length() - 1);
        }
        if (body.contains("[") || body.contains("]") || body.contains("{") || body.contains("}")
                || body.contains("*") || body.contains("^") || body.contains("$") || body.contains("!")) {
            throw bad(where, "unexpected character in '" + p + "'");
        }
        List<List<PhraseTrie.Edge>> choices = new ArrayList<>();
        String[] alternatives = body.split("\\|", -1);
        for (String a : alternatives) {
            if (a.isEmpty()) {
                throw bad(where, "empty alternative in '" + p + "'");
            }
            List<String> words = normalise(a);
            if (words.isEmpty()) {
                throw bad(where, "'" + a + "' is not a word");
            }
            List<PhraseTrie.Edge> edges = new ArrayList<>();
            for (String w : words) {
                if (fillers.contains(w)) {
                    throw bad(where, "'" + w + "' is a filler: fillers are removed from the transcript, so it never matches");
                }
                edges.add(PhraseTrie.Edge.word(w));
            }
            choices.add(edges);
        }
        if (optional) {
            choices.add(List.of());
        }
        return choices;
    }

    private static IllegalArgumentException bad(String where, String message) {
        return new IllegalArgumentException(where + ": " + message);
    }

    // ------------------------------------------------------------------------------------------
    // Parsing

    private static String resource(String name) {
        try (InputStream in = PhraseBook.class.getResourceAsStream(name)) {
            if (in == null) {
                return null;
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Draft builtInDraft(String language) {
        String lang = language == null ? "" : language.strip().toLowerCase(Locale.ROOT);
        List<String> known = builtInLanguages();
        String text = known.contains(lang) ? resource(RESOURCE_PREFIX + lang + ".txt") : null;
        if (text == null) {
            throw new IllegalArgumentException("no built-in phrase book for language \"" + language
                    + "\"; built-in: " + String.join(", ", known)
                    + " (or give your own file with listening.phrases)");
        }
        Draft d = new Draft();
        d.source = "built-in " + lang;
        d.parse(RESOURCE_PREFIX + lang + ".txt", text.lines().toList(), false);
        if (d.language == null) {
            d.language = lang;
        }
        return d;
    }

    private record RawLine(BehaviourKind kind, String text, String where) {
    }

    /** The book while its lines are read: sections accumulate; patterns compile at the end. */
    private static final class Draft {
        String language;
        String source;
        final Map<String, RawLine> settings = new LinkedHashMap<>();
        final Map<String, List<String>> contractions = new HashMap<>();
        final Set<String> fillers = new HashSet<>();
        final Set<String> insertable = new HashSet<>();
        final Set<String> stopWords = new HashSet<>();
        final Map<String, Set<String>> classes = new HashMap<>();
        final List<RawLine> breaks = new ArrayList<>();
        final List<RawLine> patterns = new ArrayList<>();

        void parse(String name, List<String> lines, boolean mayExtend) {
            String section = null;
            boolean seenContent = false;
            for (int n = 0; n < lines.size(); n++) {
                String where = name + ":" + (n + 1);
                String line = lines.get(n).strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                if (line.startsWith("@")) {
                    String[] f = line.substring(1).split("\\s+");
                    if (f.length != 2) {
                        throw bad(where, "a directive is @language CODE or @extends CODE");
                    }
                    switch (f[0]) {
                        case "language" -> {
                            if (language != null && !language.equals(f[1])) {
                                throw bad(where, "@language " + f[1] + " differs from " + language);
                            }
                            language = f[1];
                        }
                        case "extends" -> {
                            if (!mayExtend) {
                                throw bad(where, "a built-in book cannot extend another");
                            }
                            if (seenContent) {
                                throw bad(where, "@extends must come before any section");
                            }
                            Draft base;
                            try {
                                base = builtInDraft(f[1]);
                            } catch (IllegalArgumentException e) {
                                throw bad(where, e.getMessage());
                            }
                            absorb(base);
                        }
                        default -> throw bad(where, "unknown directive @" + f[0] + "; known: @language, @extends");
                    }
                    continue;
                }
                // a header is one bracket pair around the whole line; "[so] sorry" is a pattern
                if (line.startsWith("[") && line.endsWith("]") && line.indexOf(']') == line.length() - 1) {
                    section = line.substring(1, line.length() - 1).strip();
                    seenContent = true;
                    if (section.startsWith("class ")) {
                        String cls = section.substring(6).strip();
                        if (!cls.matches("[a-z][a-z0-9_-]*")) {
                            throw bad(where, "a class name is lower-case letters, digits, '-' or '_': " + cls);
                        }
                        classes.computeIfAbsent(cls, k -> new HashSet<>());
                    } else if (!SECTIONS.contains(section) && kindOf(section) == null) {
                        throw bad(where, "unknown section [" + section + "]; known: " + String.join(", ", SECTIONS)
                                + ", class NAME, " + String.join(", ", kindLabels()));
                    }
                    continue;
                }
                if (section == null) {
                    throw bad(where, "text before the first [section]");
                }
                seenContent = true;
                read(section, line, where);
            }
        }

        private void read(String section, String line, String where) {
            switch (section) {
                case "settings" -> {
                    int eq = line.indexOf('=');
                    if (eq <= 0) {
                        throw bad(where, "a setting is KEY = VALUE");
                    }
                    settings.put(line.substring(0, eq).strip(), new RawLine(null, line.substring(eq + 1).strip(), where));
                }
                case "contractions" -> {
                    int eq = line.indexOf('=');
                    if (eq <= 0) {
                        throw bad(where, "a contraction is WORD = WORDS (i'm = i am)");
                    }
                    String from = cleanWord(line.substring(0, eq).strip());
                    String[] to = line.substring(eq + 1).strip().toLowerCase(Locale.ROOT).split("\\s+");
                    if (from.contains(" ") || to.length == 0 || to[0].isEmpty()) {
                        throw bad(where, "a contraction is one WORD = WORDS");
                    }
                    contractions.put(from, List.of(to));
                }
                case "fillers" -> addWords(fillers, line);
                case "insertable" -> addWords(insertable, line);
                case "stop-words" -> addWords(stopWords, line);
                case "clause-breaks" -> breaks.add(new RawLine(null, line, where));
                default -> {
                    if (section.startsWith("class ")) {
                        addWords(classes.get(section.substring(6).strip()), line);
                    } else {
                        patterns.add(new RawLine(kindOf(section), line, where));
                    }
                }
            }
        }

        private void absorb(Draft base) {
            language = base.language;
            settings.putAll(base.settings);
            contractions.putAll(base.contractions);
            fillers.addAll(base.fillers);
            insertable.addAll(base.insertable);
            stopWords.addAll(base.stopWords);
            base.classes.forEach((k, v) -> classes.computeIfAbsent(k, x -> new HashSet<>()).addAll(v));
            breaks.addAll(base.breaks);
            patterns.addAll(base.patterns);
        }

        private static void addWords(Set<String> into, String line) {
            for (String w : line.split("\\s+")) {
                String c = cleanWord(w);
                if (!c.isEmpty()) {
                    into.add(c);
                }
            }
        }
    }

    private static final List<String> SECTIONS = List.of("settings", "contractions", "fillers", "insertable",
            "stop-words", "clause-breaks");

    private static BehaviourKind kindOf(String section) {
        for (BehaviourKind k : BehaviourKind.values()) {
            if (k.label().equals(section)) {
                return k;
            }
        }
        return null;
    }

    private static List<String> kindLabels() {
        return Arrays.stream(BehaviourKind.values()).map(BehaviourKind::label).toList();
    }

    /** The [settings] lines, read by key; an unknown key is an error with its line. */
    private static final class Settings {
        private final Map<String, RawLine> raw;
        private final Set<String> used = new HashSet<>();

        Settings(Map<String, RawLine> raw) {
            this.raw = raw;
        }

        int integer(String key, int fallback, int min) {
            RawLine r = take(key);
            if (r == null) {
                return fallback;
            }
            try {
                int v = Integer.parseInt(r.text());
                if (v < min) {
                    throw bad(r.where(), key + " must be at least " + min + ", not " + v);
                }
                return v;
            } catch (NumberFormatException e) {
                throw bad(r.where(), key + " must be a whole number, not \"" + r.text() + "\"");
            }
        }

        double share(String key, double fallback) {
            RawLine r = take(key);
            if (r == null) {
                return fallback;
            }
            try {
                double v = Double.parseDouble(r.text());
                if (!(v > 0 && v <= 1)) {
                    throw bad(r.where(), key + " must be above 0 and at most 1, not " + r.text());
                }
                return v;
            } catch (NumberFormatException e) {
                throw bad(r.where(), key + " must be a number between 0 and 1, not \"" + r.text() + "\"");
            }
        }

        List<String> words(String key) {
            RawLine r = take(key);
            return r == null || r.text().isEmpty() ? List.of() : List.of(r.text().toLowerCase(Locale.ROOT).split("\\s+"));
        }

        List<BehaviourKind> kinds(String key) {
            RawLine r = take(key);
            if (r == null) {
                return List.of(BehaviourKind.CLARIFYING_QUESTION, BehaviourKind.OPEN_QUESTION, BehaviourKind.CLOSED_QUESTION);
            }
            List<BehaviourKind> out = new ArrayList<>();
            for (String s : r.text().split("[\\s,>]+")) {
                BehaviourKind k = kindOf(s.toLowerCase(Locale.ROOT));
                if (k == null) {
                    throw bad(r.where(), key + ": unknown kind \"" + s + "\"; known: " + String.join(", ", kindLabels()));
                }
                out.add(k);
            }
            return List.copyOf(out);
        }

        private RawLine take(String key) {
            used.add(key);
            return raw.get(key);
        }

        void rejectUnknown() {
            for (Map.Entry<String, RawLine> e : raw.entrySet()) {
                if (!used.contains(e.getKey())) {
                    throw bad(e.getValue().where(), "unknown setting " + e.getKey() + "; known: " + String.join(", ", used));
                }
            }
        }
    }

    @Override
    public String toString() {
        return "PhraseBook[" + source + ", " + phrases.size() + " patterns]";
    }

    /** Patterns per kind, for documentation and reports. */
    public Map<BehaviourKind, List<Phrase>> byKind() {
        Map<BehaviourKind, List<Phrase>> m = new EnumMap<>(BehaviourKind.class);
        for (Phrase p : phrases) {
            m.computeIfAbsent(p.kind(), k -> new ArrayList<>()).add(p);
        }
        return m;
    }
}
