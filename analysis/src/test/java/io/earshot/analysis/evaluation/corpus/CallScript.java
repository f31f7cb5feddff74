package io.earshot.analysis.evaluation.corpus;

import io.earshot.schemas.Role;
import java.util.List;
import java.util.Objects;

/**
 * A scripted two-party call: lines in script order, each placed relative to lines before it,
 * and word-less noises. The unit of audio is the phrase: a renderer knows only phrase
 * durations, so a line is cut only between phrases and all placement is computed from them.
 *
 * @param agentVoice    voice index of the agent (which synthetic or rendered voice speaks)
 * @param customerVoice voice index of the customer
 * @param tailMs        silence after the last sound before the call ends
 */
public record CallScript(String callId, int agentVoice, int customerVoice, List<Line> lines, List<Noise> noises,
        long tailMs) {

    public CallScript {
        Objects.requireNonNull(callId, "callId");
        lines = List.copyOf(lines);
        noises = List.copyOf(noises);
        if (tailMs < 0) {
            throw new IllegalArgumentException("negative tail: " + tailMs);
        }
    }

    public int voice(Role role) {
        return role == Role.AGENT ? agentVoice : customerVoice;
    }

    public Line line(String id) {
        return lines.stream().filter(l -> l.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no line " + id + " in " + callId));
    }

    /** Words spoken together, then silence before the next phrase of the same line. */
    public record Phrase(String text, long pauseAfterMs) {

        public Phrase {
            if (text.isBlank() || !text.equals(text.strip())) {
                throw new IllegalArgumentException("a phrase is words separated by single spaces: '" + text + "'");
            }
            if (pauseAfterMs < 0) {
                throw new IllegalArgumentException("negative pause after '" + text + "'");
            }
        }

        public List<String> words() {
            return List.of(text.split(" "));
        }
    }

    /**
     * One party's contiguous contribution.
     *
     * @param keptPhrases how many phrases, from the first, are spoken: fewer than
     *                    {@code phrases.size()} when the speaker yields to an interruption and
     *                    drops the rest (the pause after the last kept phrase is not spoken either)
     */
    public record Line(String id, Role role, LineKind kind, List<Phrase> phrases, int keptPhrases, Timing timing) {

        public Line {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(timing, "timing");
            phrases = List.copyOf(phrases);
            if (keptPhrases < 1 || keptPhrases > phrases.size()) {
                throw new IllegalArgumentException("line " + id + " keeps " + keptPhrases + " of " + phrases.size() + " phrases");
            }
        }

        public Line(String id, Role role, LineKind kind, List<Phrase> phrases, Timing timing) {
            this(id, role, kind, phrases, phrases.size(), timing);
        }

        public List<Phrase> kept() {
            return phrases.subList(0, keptPhrases);
        }

        public List<Phrase> dropped() {
            return phrases.subList(keptPhrases, phrases.size());
        }

        public Line keeping(int phrasesKept) {
            return new Line(id, role, kind, phrases, phrasesKept, timing);
        }

        public String text() {
            return String.join(" / ", kept().stream().map(Phrase::text).toList());
        }
    }

    /** Kinds of word-less sound: a transcriber finds no words in them. */
    public enum NoiseKind { LAUGH, BREATH, CLICK, COUGH }

    /** A word-less sound of one party. */
    public record Noise(String id, Role role, NoiseKind kind, long lengthMs, Timing timing) {

        public Noise {
            if (lengthMs <= 0) {
                throw new IllegalArgumentException("noise " + id + " has no length");
            }
        }
    }
}
