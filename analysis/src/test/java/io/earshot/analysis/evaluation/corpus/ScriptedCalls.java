package io.earshot.analysis.evaluation.corpus;

import io.earshot.analysis.evaluation.corpus.CallScript.Line;
import io.earshot.analysis.evaluation.corpus.CallScript.Noise;
import io.earshot.analysis.evaluation.corpus.CallScript.NoiseKind;
import io.earshot.analysis.evaluation.corpus.CallScript.Phrase;
import io.earshot.schemas.Role;
import java.util.ArrayList;
import java.util.List;

/**
 * A hand-written call for the realizer's and labeller's tests, laid out with
 * {@code FixedTimings(300)} (a phrase lasts 300 ms a word):
 *
 * <pre>
 * a1 OPENING      agent     [500, 1700] [1900, 3100]                  (pause 200 ms: one spurt)
 * c2 TURN         customer  [3600, 5100] [5500, 6700] [7000, 8500]    (a fourth phrase dropped)
 * a3 BACKCHANNEL  agent     [5700, 6000]                              "mhmm" over c2's second phrase
 * a4 INTERRUPTION agent     [7600, 9400] [9700, 11200]                900 ms over c2's last kept phrase
 * c5 SHORT_ANSWER customer  [11700, 12600]
 * a6 TURN         agent     [12900, 14400]
 * n1 LAUGH        agent     [15000, 15300]; n2 CLICK customer [10000, 10100] is shorter than a spurt
 * </pre>
 */
final class ScriptedCalls {

    static final FixedTimings TIMINGS = new FixedTimings(300);

    private ScriptedCalls() {
    }

    static List<Line> lines() {
        List<Line> lines = new ArrayList<>();
        lines.add(new Line("a1", Role.AGENT, LineKind.OPENING,
                List.of(new Phrase("thank you for calling", 200), new Phrase("how can i help", 0)), new Timing.At(500)));
        lines.add(new Line("c2", Role.CUSTOMER, LineKind.TURN,
                List.of(new Phrase("my bill is much higher", 400), new Phrase("i was charged twice", 300),
                        new Phrase("it is forty pounds more", 300), new Phrase("nobody told me about it", 0)),
                3, new Timing.AfterPhraseEnd("a1", 1, 500)));
        lines.add(new Line("a3", Role.AGENT, LineKind.BACKCHANNEL, List.of(new Phrase("mhmm", 0)),
                new Timing.AfterPhraseStart("c2", 1, 200)));
        lines.add(interruption(-900));
        lines.add(new Line("c5", Role.CUSTOMER, LineKind.SHORT_ANSWER, List.of(new Phrase("no not yet", 0)),
                new Timing.AfterPhraseEnd("a4", 1, 500)));
        lines.add(new Line("a6", Role.AGENT, LineKind.TURN, List.of(new Phrase("i will refund the difference", 0)),
                new Timing.AfterPhraseEnd("c5", 0, 300)));
        return lines;
    }

    /** Line a4, starting {@code -offsetMs} before the end of c2's last kept phrase. */
    static Line interruption(long offsetMs) {
        return new Line("a4", Role.AGENT, LineKind.INTERRUPTION,
                List.of(new Phrase("i can see your last bill", 300), new Phrase("let me check your payments", 0)),
                new Timing.AfterPhraseEnd("c2", 2, offsetMs));
    }

    static CallScript script(List<Line> lines) {
        return new CallScript("scripted", 0, 1, lines, List.of(
                new Noise("n1", Role.AGENT, NoiseKind.LAUGH, 300, new Timing.AfterPhraseEnd("a6", 0, 600)),
                new Noise("n2", Role.CUSTOMER, NoiseKind.CLICK, 100, new Timing.AfterPhraseEnd("c2", 2, 1500))),
                500);
    }

    static CallScript script() {
        return script(lines());
    }

    /** The script with line {@code id} replaced. */
    static CallScript replacing(Line line) {
        List<Line> lines = new ArrayList<>(lines());
        lines.replaceAll(l -> l.id().equals(line.id()) ? line : l);
        return script(lines);
    }
}
