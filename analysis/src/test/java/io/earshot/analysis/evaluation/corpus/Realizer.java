package io.earshot.analysis.evaluation.corpus;

import io.earshot.analysis.evaluation.corpus.CallScript.Line;
import io.earshot.analysis.evaluation.corpus.CallScript.Noise;
import io.earshot.analysis.evaluation.corpus.CallScript.Phrase;
import io.earshot.analysis.evaluation.corpus.PhraseTimings.PhraseTiming;
import io.earshot.analysis.evaluation.corpus.PhraseTimings.WordTiming;
import io.earshot.analysis.evaluation.corpus.RealizedCall.Intent;
import io.earshot.analysis.evaluation.corpus.RealizedCall.RealizedLine;
import io.earshot.analysis.evaluation.corpus.RealizedCall.RealizedNoise;
import io.earshot.analysis.evaluation.corpus.RealizedCall.RealizedPhrase;
import io.earshot.analysis.evaluation.corpus.RealizedCall.ScriptedBackchannel;
import io.earshot.analysis.evaluation.corpus.RealizedCall.ScriptedInterruption;
import io.earshot.analysis.evaluation.corpus.RealizedCall.ScriptedTransfer;
import io.earshot.analysis.metrics.TimedWord;
import io.earshot.schemas.Role;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lays a script out in time from its phrases' durations, then checks that every scripted intent
 * keeps its margin from every threshold of the turn-taking rules ({@link MarginCheck}). The
 * realized lengths are only known here, so a script whose plan looked fine can still fail:
 * then {@link MarginViolation} is thrown and the generator draws the call again.
 */
public final class Realizer {

    /** Margin for calls fed to the metric code as exact spurts and words. */
    public static final long EXACT_MARGIN_MS = 150;
    /** Margin for calls rendered through text-to-speech and found again by voice activity detection. */
    public static final long RENDERED_MARGIN_MS = 250;

    private Realizer() {
    }

    public static RealizedCall realize(CallScript script, PhraseTimings timings, long marginMs) {
        Map<String, RealizedLine> placed = new HashMap<>();
        List<RealizedLine> lines = new ArrayList<>();
        for (Line line : script.lines()) {
            if (placed.containsKey(line.id())) {
                throw new IllegalArgumentException("line " + line.id() + " appears twice in " + script.callId());
            }
            RealizedLine realized = place(line, script.voice(line.role()), placed, timings);
            placed.put(line.id(), realized);
            lines.add(realized);
        }
        List<RealizedNoise> noises = new ArrayList<>();
        long end = 0;
        for (Noise noise : script.noises()) {
            long start = start(noise.timing(), placed, noise.id());
            noises.add(new RealizedNoise(noise, start, start + noise.lengthMs()));
            end = Math.max(end, start + noise.lengthMs());
        }
        for (RealizedLine l : lines) {
            end = Math.max(end, l.endMs());
        }
        new MarginCheck(lines, noises, marginMs).run();
        return new RealizedCall(script, end + script.tailMs(), lines, noises, intents(lines, noises), marginMs);
    }

    /** Places one line after the lines it refers to have been placed. */
    static RealizedLine place(Line line, int voice, Map<String, RealizedLine> placed, PhraseTimings timings) {
        long at = start(line.timing(), placed, line.id());
        List<RealizedPhrase> phrases = new ArrayList<>();
        List<Phrase> kept = line.kept();
        for (int i = 0; i < kept.size(); i++) {
            Phrase p = kept.get(i);
            PhraseTiming timing = timings.timing(line.role(), voice, p.text());
            List<TimedWord> words = new ArrayList<>();
            for (WordTiming w : timing.words()) {
                words.add(new TimedWord(line.role(), w.word(), at + w.startMs(), at + w.endMs()));
            }
            phrases.add(new RealizedPhrase(i, p.text(), at, at + timing.durationMs(), words));
            at += timing.durationMs() + p.pauseAfterMs();
        }
        RealizedPhrase last = phrases.get(phrases.size() - 1);
        return new RealizedLine(line, phrases.get(0).startMs(), last.endMs(), phrases);
    }

    private static long start(Timing timing, Map<String, RealizedLine> placed, String what) {
        long start;
        if (timing instanceof Timing.At at) {
            start = at.ms();
        } else if (timing instanceof Timing.AfterPhraseStart s) {
            start = referred(placed, s.lineId(), what).phrase(s.phrase()).startMs() + s.offsetMs();
        } else {
            Timing.AfterPhraseEnd e = (Timing.AfterPhraseEnd) timing;
            start = referred(placed, e.lineId(), what).phrase(e.phrase()).endMs() + e.offsetMs();
        }
        if (start < 0) {
            throw new MarginViolation(what, "would start before the call, at " + start + " ms");
        }
        return start;
    }

    private static RealizedLine referred(Map<String, RealizedLine> placed, String id, String what) {
        RealizedLine line = placed.get(id);
        if (line == null) {
            throw new IllegalArgumentException(what + " refers to " + id + ", which is not placed before it");
        }
        return line;
    }

    /**
     * The script's meaning: a transfer into every floor-taking line after the first (from the
     * holder's line end to this line's start), an interruption at the onset of every
     * interrupting line (of the other party, the only other one), a backchannel per backchannel
     * line, and one per noise made on its own inside the other's phrase (a word-less response
     * while the other keeps talking: a laugh, an "mm" without words).
     */
    private static List<Intent> intents(List<RealizedLine> lines, List<RealizedNoise> noises) {
        List<Intent> intents = new ArrayList<>();
        RealizedLine holder = null;
        for (RealizedLine l : lines) {
            Role other = l.role() == Role.AGENT ? Role.CUSTOMER : Role.AGENT;
            if (l.kind().interrupts()) {
                intents.add(new ScriptedInterruption(l.id(), l.kind(), l.role(), other, l.startMs(),
                        l.kind().onset() == LineKind.Onset.SUCCESSFUL));
            }
            if (l.kind().backchannel()) {
                intents.add(new ScriptedBackchannel(l.id(), l.role(), l.startMs(), l.endMs()));
            }
            if (l.kind().takesFloor()) {
                if (holder != null) {
                    intents.add(new ScriptedTransfer(holder.id(), l.id(), l.kind(), holder.role(), l.role(), holder.endMs(),
                            l.startMs()));
                }
                holder = l;
            }
        }
        for (RealizedNoise n : noises) {
            if (n.endMs() - n.startMs() >= MarginCheck.MIN_SPURT_MS
                    && MarginCheck.ownDistance(lines, n) >= MarginCheck.CONTINUATION_MS && MarginCheck.listenerNoise(lines, n, 0)) {
                intents.add(new ScriptedBackchannel(n.noise().id(), n.role(), n.startMs(), n.endMs()));
            }
        }
        return intents;
    }
}
