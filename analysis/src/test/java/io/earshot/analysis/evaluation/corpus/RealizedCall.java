package io.earshot.analysis.evaluation.corpus;

import io.earshot.analysis.evaluation.corpus.CallScript.Line;
import io.earshot.analysis.evaluation.corpus.CallScript.Noise;
import io.earshot.analysis.metrics.TimedWord;
import io.earshot.schemas.Role;
import java.util.Comparator;
import java.util.List;

/**
 * A script laid out in time: every kept phrase with its absolute span and words, every noise,
 * the call's length, and the script's intents at their realized times. Only calls whose
 * intents keep the margin from every threshold are realized (see {@link Realizer}).
 *
 * @param marginMs the margin the call was checked with
 */
public record RealizedCall(CallScript script, long durationMs, List<RealizedLine> lines, List<RealizedNoise> noises,
        List<Intent> intents, long marginMs) {

    public RealizedCall {
        lines = List.copyOf(lines);
        noises = List.copyOf(noises);
        intents = List.copyOf(intents);
    }

    public String callId() {
        return script.callId();
    }

    public RealizedLine line(String id) {
        return lines.stream().filter(l -> l.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no line " + id));
    }

    /** Every recognised word of both parties, in time order. */
    public List<TimedWord> words() {
        return lines.stream().flatMap(l -> l.phrases().stream()).flatMap(p -> p.words().stream())
                .sorted(Comparator.comparingLong(TimedWord::startMs)).toList();
    }

    /** The line of {@code role} whose span holds {@code t}, or the one that starts nearest after it. */
    public RealizedLine lineAt(Role role, long t) {
        RealizedLine best = null;
        for (RealizedLine l : lines) {
            if (l.role() != role) {
                continue;
            }
            if (t >= l.startMs() && t < l.endMs()) {
                return l;
            }
            if (l.startMs() >= t && (best == null || l.startMs() < best.startMs())) {
                best = l;
            }
        }
        return best;
    }

    /** A kept phrase at its place in the call. */
    public record RealizedPhrase(int index, String text, long startMs, long endMs, List<TimedWord> words) {

        public RealizedPhrase {
            words = List.copyOf(words);
        }

        Span span() {
            return new Span(startMs, endMs);
        }
    }

    /** A line's kept phrases at their places; {@code endMs} is the end of its last kept phrase. */
    public record RealizedLine(Line line, long startMs, long endMs, List<RealizedPhrase> phrases) {

        public RealizedLine {
            phrases = List.copyOf(phrases);
        }

        public String id() {
            return line.id();
        }

        public Role role() {
            return line.role();
        }

        public LineKind kind() {
            return line.kind();
        }

        public RealizedPhrase phrase(int index) {
            if (index < 0 || index >= phrases.size()) {
                throw new IllegalArgumentException("line " + id() + " keeps no phrase " + index);
            }
            return phrases.get(index);
        }
    }

    /** A word-less noise at its place in the call. */
    public record RealizedNoise(Noise noise, long startMs, long endMs) {

        public Role role() {
            return noise.role();
        }

        Span span() {
            return new Span(startMs, endMs);
        }
    }

    /** What the script means to happen, at realized times. */
    public sealed interface Intent {
    }

    /**
     * The floor passes from {@code from}'s line to {@code to}'s line: the holder's turn ends at
     * the end of its line ({@code fromEndMs}), the new turn starts with the taking line
     * ({@code toStartMs}).
     */
    public record ScriptedTransfer(String fromLine, String toLine, LineKind kind, Role from, Role to, long fromEndMs,
            long toStartMs) implements Intent {
    }

    /** {@code by} starts inside {@code of}'s turn at {@code startMs}; {@code successful} when {@code of} yields. */
    public record ScriptedInterruption(String lineId, LineKind kind, Role by, Role of, long startMs, boolean successful)
            implements Intent {
    }

    /** A backchannel of {@code by} over {@code [startMs, endMs)}. */
    public record ScriptedBackchannel(String lineId, Role by, long startMs, long endMs) implements Intent {
    }
}
