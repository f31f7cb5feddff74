package io.earshot.analysis.listening;

import io.earshot.analysis.events.UtteranceItem;
import io.earshot.analysis.events.WordItem;
import io.earshot.analysis.metrics.SharedList;
import io.earshot.schemas.Role;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds listening behaviours in a call's transcript, by the rules of a {@link PhraseBook}.
 *
 * <p>Per utterance (either party):
 * <ol>
 *   <li>The words become tokens: contractions expanded, fillers dropped.</li>
 *   <li>Clause starts: the first token, a token after a silence of at least the book's
 *       {@code clause.pause-ms} (when the words have timings), and a token after a
 *       clause-break phrase ("okay", "so", "and", "sorry", ...).</li>
 *   <li>Every pattern is matched; {@code ^} patterns only from a clause start. A negative
 *       pattern vetoes the positive matches of its kind that it overlaps.</li>
 *   <li>Each kind keeps its earliest match (the longest at that position): at most one hit per
 *       kind per utterance.</li>
 *   <li>Questions: only the first of the book's {@code questions.precedence} present is kept
 *       (by default clarifying, then open, then closed). The other kinds are independent, so
 *       one utterance can hold an apology and a follow-up.</li>
 *   <li>Paraphrase by overlap (agent only, when no paraphrase cue matched): the customer's
 *       preceding turn is the customer utterances that ended after the agent's previous
 *       utterance ended and before this one started. When the agent utterance shares at least
 *       {@code paraphrase.overlap.min-words} distinct content stems with it, and they are at least
 *       {@code paraphrase.overlap.min-share} of the agent utterance's distinct content stems, it is
 *       a paraphrase.</li>
 * </ol>
 *
 * <p>An utterance's hits depend only on it and on utterances that started before it, so the
 * behaviours of a call so far do not change when later speech arrives, and a replay finds
 * what the live run found.
 */
public final class BehaviourDetector implements Serializable {

    private static final long serialVersionUID = 1L;

    private static final Comparator<UtteranceItem> BY_START = Comparator.comparingLong(UtteranceItem::startMs)
            .thenComparing(UtteranceItem::role).thenComparingLong(UtteranceItem::endMs);

    /** By start, then kind; the rest only orders hits alike in those, so equal lists come out the same. */
    private static final Comparator<Behaviour> OUTPUT_ORDER = Comparator.comparingLong(Behaviour::startMs)
            .thenComparing(Behaviour::kind).thenComparing(Behaviour::by).thenComparingLong(Behaviour::endMs)
            .thenComparing(Behaviour::text, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(Behaviour::reason, Comparator.nullsFirst(Comparator.naturalOrder()));

    private final PhraseBook phrases;

    public BehaviourDetector(PhraseBook phrases) {
        this.phrases = phrases;
    }

    public PhraseBook phrases() {
        return phrases;
    }

    /**
     * The behaviours in {@code utterances} (final ones, in any order), sorted by start then kind.
     * An utterance's hits depend only on it and the utterances that started before it, so the
     * behaviours of a call so far never change when later speech arrives.
     */
    public List<Behaviour> detect(List<UtteranceItem> utterances) {
        return detect(utterances, null);
    }

    /**
     * The same as {@link #detect(List)}, reusing what {@code memo} kept from the previous pass
     * over the same call: an utterance's hits are taken from there when the utterance and the
     * customer's turn before it (all its hits depend on) are the same as then. A running value
     * of a long call so finds the behaviours of its new utterances only, and the result is the
     * one a pass without the memo gives.
     *
     * @param memo one call's memo, or null for none
     */
    public List<Behaviour> detect(List<UtteranceItem> utterances, Memo memo) {
        return detect(utterances, memo, Seen.UNTOLD);
    }

    /**
     * The same, told how many leading utterances are the ones of the memo's last pass.
     *
     * @param same how many are, or {@link Seen#UNTOLD} to have the memo compare them
     */
    public List<Behaviour> detect(List<UtteranceItem> utterances, Memo memo, int same) {
        if (memo != null) {
            try {
                return memo.detect(this, utterances, same);
            } catch (RuntimeException e) {
                memo.forget(); // nothing half-updated is built on
                throw e;
            }
        }
        List<UtteranceItem> sorted = new ArrayList<>(utterances);
        sorted.sort(BY_START);
        List<Behaviour> out = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            detect(sorted.get(i), sorted.subList(0, i), out);
        }
        out.sort(OUTPUT_ORDER);
        return out;
    }

    private static boolean sortedFrom(List<UtteranceItem> utterances, int from) {
        for (int i = Math.max(1, from); i < utterances.size(); i++) {
            if (BY_START.compare(utterances.get(i - 1), utterances.get(i)) > 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * One call's behaviours by utterance from the last pass ({@link #detect(List, Memo)}): the
     * utterances of that pass in order of start, each with its customer turn and hits, so it
     * holds no more than the call's transcript. Not thread-safe: one per call, used by one thread
     * at a time.
     */
    public static final class Memo {
        record Key(Role role, long startMs, long endMs) {
            static Key of(UtteranceItem u) {
                return new Key(u.role(), u.startMs(), u.endMs());
            }
        }

        record Entry(UtteranceItem utterance, List<UtteranceItem> turn, List<Behaviour> hits) {
        }

        /** The last pass's utterances in order, each one's entry, and all their hits in output order. */
        private final Seen utterances = new Seen();
        /** Grown and cut in place: a summary costs its new utterances, not a copy of the call's. */
        private final List<Entry> entries = new ArrayList<>();
        private List<Behaviour> out = List.of();

        /** How many utterances it holds hits for. */
        public int size() {
            return entries.size();
        }

        void forget() {
            utterances.forget();
            entries.clear();
            out = List.of();
        }

        private List<Behaviour> detect(BehaviourDetector detector, List<UtteranceItem> given, int told) {
            // the utterances the last pass began with, unchanged, have the same earlier ones: their
            // hits stand as they are; the others are looked up by utterance and customer turn
            int same = utterances.same(given, told);
            List<UtteranceItem> sorted = given;
            if (!sortedFrom(given, same)) { // the leading ones were in order last time
                sorted = new ArrayList<>(given);
                sorted.sort(BY_START);
                told = Seen.UNTOLD; // what the caller told is of the list it gave
                same = utterances.same(sorted, told);
            }
            List<Entry> added = new ArrayList<>(sorted.size() - same); // the entries from the first change on
            Map<Key, Entry> rest = new HashMap<>();
            for (Entry e : entries.subList(same, entries.size())) {
                rest.put(Key.of(e.utterance()), e);
            }
            for (int i = same; i < sorted.size(); i++) {
                UtteranceItem u = sorted.get(i);
                List<UtteranceItem> turn = u.role() == Role.AGENT ? customerTurn(u, sorted.subList(0, i)) : List.of();
                Entry entry = rest.get(Key.of(u));
                if (entry == null || !Unchanged.item(entry.utterance(), u) || !Unchanged.items(entry.turn(), turn)) {
                    List<Behaviour> hits = new ArrayList<>();
                    detector.detect(u, turn, hits, true);
                    entry = new Entry(u, turn, hits);
                }
                added.add(entry);
            }
            utterances.take(sorted, told);
            if (same == entries.size()) {
                // only new utterances, as a call grows: their hits, when they all sort after the
                // last pass's, are added at its end without copying the call's list
                List<Behaviour> fresh = new ArrayList<>();
                for (Entry e : added) {
                    fresh.addAll(e.hits());
                }
                fresh.sort(OUTPUT_ORDER);
                Behaviour last = out.isEmpty() ? null : out.get(out.size() - 1);
                boolean after = true;
                for (Behaviour b : fresh) {
                    after &= last == null || OUTPUT_ORDER.compare(last, b) < 0;
                    last = b;
                }
                if (after) {
                    entries.addAll(added);
                    if (!fresh.isEmpty()) { // otherwise the list stays the same object, for those who kept what they read in it
                        out = SharedList.appended(out, out.size(), fresh);
                    }
                    return out;
                }
            }
            // the output of the last pass, less the hits of its entries not kept, with those of the new ones
            java.util.Set<Entry> before = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            before.addAll(entries.subList(same, entries.size()));
            java.util.Set<Entry> now = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            now.addAll(added);
            List<Behaviour> result = new ArrayList<>(out);
            boolean inStep = true;
            for (Entry e : before) {
                if (!now.contains(e)) {
                    for (Behaviour b : e.hits()) {
                        int at = java.util.Collections.binarySearch(result, b, OUTPUT_ORDER);
                        if (at >= 0) {
                            result.remove(at);
                        } else {
                            inStep = false;
                        }
                    }
                }
            }
            if (!inStep) { // not the output of those entries: gather it again
                result.clear();
                for (Entry e : entries.subList(0, same)) {
                    result.addAll(e.hits());
                }
                for (Entry e : added) {
                    result.addAll(e.hits());
                }
                result.sort(OUTPUT_ORDER);
            }
            for (Entry e : now) {
                if (inStep && !before.contains(e)) {
                    for (Behaviour b : e.hits()) {
                        int at = java.util.Collections.binarySearch(result, b, OUTPUT_ORDER);
                        result.add(at < 0 ? -at - 1 : at, b);
                    }
                }
            }
            entries.subList(same, entries.size()).clear();
            entries.addAll(added);
            out = SharedList.appended(result, result.size(), List.of());
            return out;
        }
    }

    /**
     * The behaviours of one utterance, given the utterances of the call that started before it
     * (in order of start): what a live job calls as each utterance becomes final.
     */
    public List<Behaviour> detect(UtteranceItem u, List<UtteranceItem> earlier) {
        List<Behaviour> out = new ArrayList<>();
        detect(u, earlier, out);
        out.sort(OUTPUT_ORDER);
        return out;
    }

    /**
     * The customer's turn before agent utterance {@code agent}: the customer utterances that
     * ended before it started and after the agent's previous utterance ended. Scanned backwards,
     * so a long call costs only the turn's length. A customer utterance that started before the
     * agent's previous one still counts when it ended after it (an agent "mm-hmm" inside it).
     */
    static List<UtteranceItem> customerTurn(UtteranceItem agent, List<UtteranceItem> earlier) {
        UtteranceItem previousAgent = null;
        int i = earlier.size() - 1;
        for (int j = i; j >= 0; j--) {
            UtteranceItem e = earlier.get(j);
            if (e.role() == Role.AGENT && e.startMs() <= agent.startMs() && e != agent) {
                previousAgent = e;
                break;
            }
        }
        List<UtteranceItem> turn = new ArrayList<>();
        for (; i >= 0; i--) {
            UtteranceItem c = earlier.get(i);
            if (c.role() != Role.CUSTOMER || c.endMs() > agent.startMs()) {
                continue;
            }
            if (previousAgent != null && c.endMs() <= previousAgent.endMs()) {
                if (c.startMs() < previousAgent.startMs()) {
                    break;
                }
                continue;
            }
            turn.add(0, c);
        }
        return turn;
    }

    private void detect(UtteranceItem u, List<UtteranceItem> earlier, List<Behaviour> out) {
        detect(u, earlier, out, false);
    }

    /**
     * The hits of utterance {@code u}, given the utterances before it or, when {@code isTurn},
     * the customer's turn before it already found ({@link #customerTurn}).
     */
    private void detect(UtteranceItem u, List<UtteranceItem> earlier, List<Behaviour> out, boolean isTurn) {
        boolean timed = !u.words().isEmpty();
        List<String> words = timed ? u.words().stream().map(WordItem::word).toList() : splitText(u.text());
        List<PhraseBook.Token> tokens = phrases.tokens(words);
        if (tokens.isEmpty()) {
            return;
        }
        String[] text = new String[tokens.size()];
        for (int i = 0; i < text.length; i++) {
            text[i] = tokens.get(i).text();
        }
        boolean[] clauseStart = clauseStarts(u, tokens, text, timed);
        List<PhraseTrie.Match> matches = new ArrayList<>();
        phrases.trie().match(text, clauseStart, matches);

        Map<BehaviourKind, PhraseTrie.Match> best = new EnumMap<>(BehaviourKind.class);
        List<PhraseBook.Phrase> book = phrases.phrases();
        for (PhraseTrie.Match m : matches) {
            PhraseBook.Phrase p = book.get(m.rule());
            if (p.negative() || vetoed(m, p.kind(), matches, book)) {
                continue;
            }
            PhraseTrie.Match b = best.get(p.kind());
            if (b == null || m.start() < b.start() || (m.start() == b.start() && m.end() > b.end())) {
                best.put(p.kind(), m);
            }
        }
        boolean questionKept = false;
        for (BehaviourKind q : phrases.questionPrecedence()) {
            if (questionKept) {
                best.remove(q);
            } else if (best.containsKey(q)) {
                questionKept = true;
            }
        }
        for (Map.Entry<BehaviourKind, PhraseTrie.Match> e : best.entrySet()) {
            PhraseTrie.Match m = e.getValue();
            String matched = String.join(" ", Arrays.asList(text).subList(m.start(), m.end() + 1));
            out.add(hit(u, words, tokens, m.start(), m.end(), e.getKey(), book.get(m.rule()).reason(matched)));
        }
        if (u.role() == Role.AGENT && !best.containsKey(BehaviourKind.PARAPHRASE)) {
            List<UtteranceItem> turn = isTurn ? earlier : customerTurn(u, earlier);
            Behaviour overlap = turn.isEmpty() ? null : overlap(u, words, tokens, turn);
            if (overlap != null) {
                out.add(overlap);
            }
        }
    }

    private static boolean vetoed(PhraseTrie.Match m, BehaviourKind kind, List<PhraseTrie.Match> matches,
            List<PhraseBook.Phrase> book) {
        for (PhraseTrie.Match n : matches) {
            PhraseBook.Phrase p = book.get(n.rule());
            if (p.negative() && p.kind() == kind && n.start() <= m.end() && m.start() <= n.end()) {
                return true;
            }
        }
        return false;
    }

    private boolean[] clauseStarts(UtteranceItem u, List<PhraseBook.Token> tokens, String[] text, boolean timed) {
        boolean[] starts = new boolean[text.length];
        starts[0] = true;
        if (timed) {
            List<WordItem> w = u.words();
            for (int i = 1; i < text.length; i++) {
                int a = tokens.get(i - 1).word();
                int b = tokens.get(i).word();
                if (a != b && w.get(b).startMs() - w.get(a).endMs() >= phrases.clausePauseMs()) {
                    starts[i] = true;
                }
            }
        }
        List<PhraseTrie.Match> breaks = new ArrayList<>();
        phrases.clauseBreaks().match(text, null, breaks);
        for (PhraseTrie.Match m : breaks) {
            if (m.end() + 1 < text.length) {
                starts[m.end() + 1] = true;
            }
        }
        return starts;
    }

    private Behaviour overlap(UtteranceItem u, List<String> words, List<PhraseBook.Token> tokens,
            List<UtteranceItem> customerTurn) {
        Set<String> theirs = new HashSet<>();
        for (UtteranceItem c : customerTurn) {
            List<String> cw = c.words().isEmpty() ? splitText(c.text()) : c.words().stream().map(WordItem::word).toList();
            for (PhraseBook.Token t : phrases.tokens(cw)) {
                if (phrases.isContent(t.text())) {
                    theirs.add(phrases.stem(t.text()));
                }
            }
        }
        if (theirs.isEmpty()) {
            return null;
        }
        Map<String, Integer> mine = new LinkedHashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i).text();
            if (phrases.isContent(t)) {
                mine.putIfAbsent(phrases.stem(t), i);
            }
        }
        List<Integer> shared = new ArrayList<>();
        for (Map.Entry<String, Integer> e : mine.entrySet()) {
            if (theirs.contains(e.getKey())) {
                shared.add(e.getValue());
            }
        }
        if (shared.size() < phrases.overlapMinWords() || shared.size() < phrases.overlapMinShare() * mine.size()) {
            return null;
        }
        List<String> said = new ArrayList<>();
        for (int i : shared) {
            said.add(words.get(tokens.get(i).word()));
        }
        int last = shared.get(shared.size() - 1);
        String reason = "restates " + shared.size() + " of the customer's words: " + String.join(", ", said);
        return hit(u, words, tokens, shared.get(0), last, BehaviourKind.PARAPHRASE, reason);
    }

    private static Behaviour hit(UtteranceItem u, List<String> words, List<PhraseBook.Token> tokens, int start, int end,
            BehaviourKind kind, String reason) {
        int first = tokens.get(start).word();
        int last = tokens.get(end).word();
        String text = String.join(" ", words.subList(first, last + 1));
        long startMs = u.startMs();
        long endMs = u.endMs();
        if (!u.words().isEmpty()) {
            startMs = u.words().get(first).startMs();
            endMs = u.words().get(last).endMs();
        }
        return new Behaviour(u.role(), kind, startMs, endMs, text, reason);
    }

    private static List<String> splitText(String text) {
        String s = text == null ? "" : text.strip();
        return s.isEmpty() ? List.of() : Arrays.asList(s.split("\\s+"));
    }
}
