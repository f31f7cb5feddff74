package io.earshot.analysis.listening;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The compiled form of a list of patterns: a trie over normalised tokens, walked once from each
 * start position of an utterance. Optional words and alternatives are expanded into plain word
 * edges when the pattern is compiled, so matching only follows map lookups, the {@code *} edge
 * and word-class edges; an utterance of twenty words costs a few hundred lookups.
 */
final class PhraseTrie implements Serializable {

    private static final long serialVersionUID = 1L;

    /** One edge of an expanded pattern: a word, any one word, or one or more words of a class. */
    record Edge(Type type, String value) implements Serializable {
        enum Type { WORD, ANY, CLASS }

        static Edge word(String w) {
            return new Edge(Type.WORD, w);
        }

        static Edge any() {
            return new Edge(Type.ANY, "*");
        }

        static Edge wordClass(String name) {
            return new Edge(Type.CLASS, name);
        }
    }

    /** A pattern ends here: which one, and whether it must end with the utterance. */
    record Terminal(int rule, boolean requiresEnd) implements Serializable {
    }

    /** A pattern found in an utterance, as token positions (inclusive). */
    record Match(int rule, int start, int end) {
    }

    static final class Node implements Serializable {
        private static final long serialVersionUID = 1L;
        final Map<String, Node> words = new HashMap<>();
        Node any;
        Map<String, Node> classes;
        List<Terminal> terminals;
    }

    private final Node free = new Node();
    private final Node anchored = new Node();
    private final Map<String, Set<String>> classes;
    private final Set<String> insertable;
    private final int maxInserted;

    PhraseTrie(Map<String, Set<String>> classes, Set<String> insertable, int maxInserted) {
        this.classes = classes;
        this.insertable = insertable;
        this.maxInserted = maxInserted;
    }

    /** Adds one expanded form of rule {@code rule}. */
    void add(int rule, List<Edge> edges, boolean atClauseStart, boolean requiresEnd) {
        Node n = atClauseStart ? anchored : free;
        for (Edge e : edges) {
            n = switch (e.type()) {
                case WORD -> n.words.computeIfAbsent(e.value(), k -> new Node());
                case ANY -> n.any != null ? n.any : (n.any = new Node());
                case CLASS -> {
                    if (n.classes == null) {
                        n.classes = new HashMap<>();
                    }
                    yield n.classes.computeIfAbsent(e.value(), k -> new Node());
                }
            };
        }
        if (n.terminals == null) {
            n.terminals = new ArrayList<>(1);
        }
        Terminal t = new Terminal(rule, requiresEnd);
        if (!n.terminals.contains(t)) {
            n.terminals.add(t);
        }
    }

    /**
     * Every match in {@code tokens}: free patterns from every position, anchored ones only from
     * positions where {@code clauseStart} is set.
     */
    void match(String[] tokens, boolean[] clauseStart, List<Match> out) {
        for (int i = 0; i < tokens.length; i++) {
            walk(free, tokens, i, i, -1, maxInserted, out);
            if (clauseStart != null && clauseStart[i]) {
                walk(anchored, tokens, i, i, -1, maxInserted, out);
            }
        }
    }

    private void walk(Node n, String[] tokens, int start, int pos, int lastEnd, int budget, List<Match> out) {
        if (n.terminals != null && lastEnd >= start && pos == lastEnd + 1) {
            for (Terminal t : n.terminals) {
                if (!t.requiresEnd() || pos == tokens.length) {
                    out.add(new Match(t.rule(), start, lastEnd));
                }
            }
        }
        if (pos >= tokens.length) {
            return;
        }
        String tok = tokens[pos];
        Node next = n.words.get(tok);
        if (next != null) {
            walk(next, tokens, start, pos + 1, pos, budget, out);
        }
        if (n.any != null) {
            walk(n.any, tokens, start, pos + 1, pos, budget, out);
        }
        if (n.classes != null) {
            for (Map.Entry<String, Node> c : n.classes.entrySet()) {
                int p = pos;
                while (p < tokens.length && inClass(c.getKey(), tokens[p])) {
                    walk(c.getValue(), tokens, start, p + 1, p, budget, out);
                    p++;
                }
            }
        }
        // a recogniser's stray word ("the", "a") between two words of a pattern
        if (budget > 0 && lastEnd >= start && insertable.contains(tok) && pos + 1 < tokens.length) {
            walk(n, tokens, start, pos + 1, lastEnd, budget - 1, out);
        }
    }

    boolean inClass(String name, String token) {
        Set<String> words = classes.get(name);
        if (words != null && words.contains(token)) {
            return true;
        }
        return PhraseBook.NUMBER_CLASS.equals(name) && isDigits(token);
    }

    private static boolean isDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
