package io.earshot.analysis.evaluation.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.analysis.evaluation.CallScore;
import io.earshot.analysis.evaluation.CallTruth;
import io.earshot.analysis.evaluation.EvaluationTotals;
import io.earshot.analysis.evaluation.Scorer;
import io.earshot.analysis.evaluation.TruthBackchannel;
import io.earshot.analysis.evaluation.corpus.ConversationGenerator.GeneratedCall;
import io.earshot.analysis.evaluation.corpus.RealizedCall.Intent;
import io.earshot.analysis.evaluation.corpus.RealizedCall.RealizedLine;
import io.earshot.analysis.evaluation.corpus.RealizedCall.RealizedNoise;
import io.earshot.analysis.evaluation.corpus.RealizedCall.ScriptedBackchannel;
import io.earshot.analysis.evaluation.corpus.RealizedCall.ScriptedInterruption;
import io.earshot.analysis.evaluation.corpus.RealizedCall.ScriptedTransfer;
import io.earshot.analysis.metrics.CallMetrics;
import io.earshot.analysis.metrics.ConversationAnalysis;
import io.earshot.analysis.metrics.ConversationEvents.Backchannel;
import io.earshot.analysis.metrics.ConversationEvents.Interruption;
import io.earshot.analysis.metrics.ConversationEvents.ResponseGap;
import io.earshot.analysis.metrics.MetricsConfig;
import io.earshot.analysis.metrics.Spurt;
import io.earshot.schemas.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Level 1 of the generated corpus: 300 scripted calls laid out with synthetic word timings and
 * fed to the metric code as their exact talk spurts and words. With nothing lost to audio, the
 * turn-taking rules must find exactly what the scripts meant: the same interruptions (who, of
 * whom, onset, outcome), the same backchannels and the same response gaps to the millisecond.
 * The figures per class of event go to {@code target/corpus-level1.txt}, with the first
 * disagreements of each kind described by call and line.
 */
class GeneratedCorpusTest {

    private static final long SEED = 9;
    private static final int CALLS = 300;
    private static final Path REPORT = Path.of("target", "corpus-level1.txt");

    private static Tally tally;
    private static EvaluationTotals totals;

    @BeforeAll
    static void analyzeTheCorpus() throws IOException {
        ConversationGenerator generator = new ConversationGenerator(SEED);
        SyntheticTimings timings = new SyntheticTimings(SEED);
        tally = new Tally();
        List<CallScore> scores = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            GeneratedCall generated = generator.generate(i, timings, Realizer.EXACT_MARGIN_MS);
            RealizedCall call = generated.call();
            CallTruth truth = TruthLabeller.label(call);
            List<Spurt> spurts = truth.speech().stream().map(s -> new Spurt(s.role(), s.startMs(), s.endMs())).toList();
            CallMetrics metrics = ConversationAnalysis.analyze(call.durationMs(), spurts, call.words(), MetricsConfig.DEFAULTS);
            tally.add(generated, truth, metrics);
            scores.add(Scorer.score(truth, spurts, metrics));
        }
        totals = EvaluationTotals.of(scores);
        Files.createDirectories(REPORT.getParent());
        Files.writeString(REPORT, tally.report(totals));
    }

    @Test
    void shouldFindTheScriptedInterruptionsExactly() {
        Counts all = tally.total(Tally.INTERRUPTION);

        assertThat(all.truth).as("scripted interruptions").isGreaterThan(300);
        assertThat(all.f1()).as("interruption F1, see " + REPORT).isGreaterThanOrEqualTo(0.99);
        assertThat(totals.interruptionF1()).as("the scorer's interruption F1").isGreaterThanOrEqualTo(0.99);
    }

    @Test
    void shouldNeverReportABackchannelAsAnInterruption() {
        assertThat(tally.backchannelsAsInterruptions).as("see " + REPORT).isEmpty();
        assertThat(totals.backchannelsAsInterruptions()).isZero();
    }

    @Test
    void shouldFindEveryResponseGapToTheMillisecondAndNoOther() {
        Counts all = tally.total(Tally.RESPONSE_GAP);

        assertThat(all.truth).as("scripted customer-to-agent transfers").isGreaterThan(500);
        assertThat(tally.examples.get(Tally.RESPONSE_GAP)).as("missed or spurious gaps, see " + REPORT).isEmpty();
        assertThat(totals.missedResponseGaps()).isZero();
        assertThat(totals.spuriousResponseGaps()).isZero();
        assertThat(totals.meanAbsResponseGapErrorMs()).isZero();
    }

    @Test
    void shouldFindTheScriptedBackchannelsExactly() {
        Counts all = tally.total(Tally.BACKCHANNEL);

        assertThat(all.truth).as("scripted backchannels").isGreaterThan(500);
        assertThat(all.f1()).as("backchannel F1, see " + REPORT).isGreaterThanOrEqualTo(0.99);
    }

    @Test
    void shouldNeverStartAnEventOnAWordlessNoise() {
        assertThat(tally.noises).as("noises in the corpus").isGreaterThan(100);
        assertThat(tally.eventsOnNoise).as("events starting on a noise").isEmpty();
    }

    @Test
    void shouldMeasureTalkTimeAndVoiceActivityExactlyFromExactSpurts() {
        for (Role role : Role.values()) {
            assertThat(totals.vadF1(role)).isEqualTo(1.0);
            assertThat(totals.talkTimeErrorRatio(role)).isZero();
        }
    }

    /** Truth, found and spurious counts of one class of event. */
    static final class Counts {
        long truth;
        long found;
        long spurious;

        double precision() {
            return found + spurious == 0 ? 1 : found / (double) (found + spurious);
        }

        double recall() {
            return truth == 0 ? 1 : found / (double) truth;
        }

        double f1() {
            return truth + found + spurious == 0 ? 1 : 2.0 * found / (truth + found + spurious);
        }

        void add(Counts other) {
            truth += other.truth;
            found += other.found;
            spurious += other.spurious;
        }
    }

    /**
     * Exact comparison of the truth with what the metric code found, per event kind and per
     * class (the kind of the scripted line the event starts on). A detection with no scripted
     * counterpart is put in the class of the line it starts on, so a class's precision says how
     * often lines of that kind are misread.
     */
    static final class Tally {
        static final String INTERRUPTION = "interruption";
        static final String BACKCHANNEL = "backchannel";
        static final String RESPONSE_GAP = "response gap";
        private static final int EXAMPLES = 8;

        final Map<String, Map<String, Counts>> counts = new TreeMap<>();
        final Map<String, List<String>> examples = new TreeMap<>(Map.of(INTERRUPTION, new ArrayList<>(),
                BACKCHANNEL, new ArrayList<>(), RESPONSE_GAP, new ArrayList<>()));
        final List<String> backchannelsAsInterruptions = new ArrayList<>();
        final List<String> eventsOnNoise = new ArrayList<>();
        long noises;
        long calls;
        long lines;
        long durationMs;
        long redrawn;

        void add(GeneratedCall generated, CallTruth truth, CallMetrics metrics) {
            RealizedCall call = generated.call();
            calls++;
            lines += call.lines().size();
            durationMs += call.durationMs();
            noises += call.noises().size();
            redrawn += generated.attempt() > 0 ? 1 : 0;
            String where = call.callId() + " (index " + generated.index() + ")";

            // interruptions: (by, of, onset, outcome) exactly
            Set<String> found = new HashSet<>();
            for (Interruption i : metrics.interruptions()) {
                found.add(key(i.by(), i.of(), i.startMs(), i.successful()));
            }
            Set<String> scripted = new HashSet<>();
            for (Intent intent : call.intents()) {
                if (intent instanceof ScriptedInterruption s) {
                    String key = key(s.by(), s.of(), s.startMs(), s.successful());
                    scripted.add(key);
                    Counts c = counts(INTERRUPTION, s.kind().name());
                    c.truth++;
                    if (found.contains(key)) {
                        c.found++;
                    } else {
                        example(INTERRUPTION, where + " " + s.lineId() + " " + s.kind() + ": scripted " + key
                                + ", found " + near(metrics, s.by(), s.startMs()));
                    }
                }
            }
            for (Interruption i : metrics.interruptions()) {
                String key = key(i.by(), i.of(), i.startMs(), i.successful());
                if (!scripted.contains(key)) {
                    counts(INTERRUPTION, classOf(call, i.by(), i.startMs())).spurious++;
                    example(INTERRUPTION, where + " unscripted " + key + " on " + lineDescription(call, i.by(), i.startMs())
                            + " (overlap " + i.overlapMs() + " ms, '" + i.byWords() + "' over '" + i.ofWords() + "')");
                }
                for (TruthBackchannel b : truth.events().backchannels()) {
                    if (b.by() == i.by() && i.startMs() >= b.startMs() && i.startMs() <= b.endMs()) {
                        backchannelsAsInterruptions.add(where + " " + key);
                    }
                }
            }

            // backchannels: (by, start, end) exactly
            Set<String> foundBackchannels = new HashSet<>();
            for (Backchannel b : metrics.backchannels()) {
                foundBackchannels.add(b.by() + "@" + b.startMs() + "-" + b.endMs());
            }
            Set<String> scriptedBackchannels = new HashSet<>();
            for (Intent intent : call.intents()) {
                if (intent instanceof ScriptedBackchannel s) {
                    String key = s.by() + "@" + s.startMs() + "-" + s.endMs();
                    scriptedBackchannels.add(key);
                    Counts c = counts(BACKCHANNEL, backchannelClass(call, s));
                    c.truth++;
                    if (foundBackchannels.contains(key)) {
                        c.found++;
                    } else {
                        example(BACKCHANNEL, where + " " + s.lineId() + " '"
                                + (isNoise(call, s.lineId()) ? "(noise)" : call.line(s.lineId()).line().text())
                                + "' " + key + " not found");
                    }
                }
            }
            for (Backchannel b : metrics.backchannels()) {
                String key = b.by() + "@" + b.startMs() + "-" + b.endMs();
                if (!scriptedBackchannels.contains(key)) {
                    counts(BACKCHANNEL, classOf(call, b.by(), b.startMs())).spurious++;
                    example(BACKCHANNEL, where + " unscripted backchannel " + key + " '" + b.text() + "' on "
                            + lineDescription(call, b.by(), b.startMs()));
                }
            }

            // response gaps: (customer end, agent start) exactly
            Set<String> foundGaps = new HashSet<>();
            for (ResponseGap g : metrics.responseGaps()) {
                foundGaps.add(g.customerEndMs() + ">" + g.agentStartMs());
            }
            Set<String> scriptedGaps = new HashSet<>();
            for (Intent intent : call.intents()) {
                if (intent instanceof ScriptedTransfer t && t.from() == Role.CUSTOMER) {
                    String key = t.fromEndMs() + ">" + t.toStartMs();
                    scriptedGaps.add(key);
                    Counts c = counts(RESPONSE_GAP, transferClass(t.kind(), t.toStartMs() - t.fromEndMs()));
                    c.truth++;
                    if (foundGaps.contains(key)) {
                        c.found++;
                    } else {
                        example(RESPONSE_GAP, where + " " + t.fromLine() + " -> " + t.toLine() + " " + t.kind()
                                + ": scripted gap " + key + " (" + (t.toStartMs() - t.fromEndMs()) + " ms), found "
                                + gapsNear(metrics, t.toStartMs()));
                    }
                }
            }
            for (ResponseGap g : metrics.responseGaps()) {
                String key = g.customerEndMs() + ">" + g.agentStartMs();
                if (!scriptedGaps.contains(key)) {
                    RealizedLine line = call.lineAt(Role.AGENT, g.agentStartMs());
                    String cls = line != null && line.startMs() == g.agentStartMs()
                            ? transferClass(line.kind(), g.gapMs()) : "unscripted agent start";
                    counts(RESPONSE_GAP, cls).spurious++;
                    example(RESPONSE_GAP, where + " unscripted gap " + key + " (" + g.gapMs() + " ms) at "
                            + lineDescription(call, Role.AGENT, g.agentStartMs()));
                }
            }

            // word-less noises never start an interruption or a turn, nor an unscripted backchannel
            for (RealizedNoise n : call.noises()) {
                boolean scriptedResponse = scriptedBackchannels.contains(n.role() + "@" + n.startMs() + "-" + n.endMs());
                for (Interruption i : metrics.interruptions()) {
                    if (i.by() == n.role() && i.startMs() >= n.startMs() && i.startMs() < n.endMs()) {
                        eventsOnNoise.add(where + " interruption on " + n.noise().id());
                    }
                }
                for (Backchannel b : metrics.backchannels()) {
                    if (!scriptedResponse && b.by() == n.role() && b.startMs() >= n.startMs() && b.startMs() < n.endMs()) {
                        eventsOnNoise.add(where + " backchannel on " + n.noise().id());
                    }
                }
                metrics.turns().stream().filter(t -> t.role() == n.role() && t.startMs() == n.startMs())
                        .forEach(t -> eventsOnNoise.add(where + " turn on " + n.noise().id()));
            }
        }

        Counts total(String event) {
            Counts all = new Counts();
            counts.getOrDefault(event, Map.of()).values().forEach(all::add);
            return all;
        }

        private Counts counts(String event, String cls) {
            return counts.computeIfAbsent(event, e -> new TreeMap<>()).computeIfAbsent(cls, c -> new Counts());
        }

        private void example(String event, String text) {
            List<String> list = examples.get(event);
            if (list.size() < EXAMPLES) {
                list.add(text);
            }
        }

        private static String key(Role by, Role of, long startMs, boolean successful) {
            return by + " of " + of + " at " + startMs + (successful ? " successful" : " unsuccessful");
        }

        private static String near(CallMetrics metrics, Role by, long startMs) {
            List<String> near = metrics.interruptions().stream().filter(i -> Math.abs(i.startMs() - startMs) < 3000)
                    .map(i -> key(i.by(), i.of(), i.startMs(), i.successful()) + " overlap " + i.overlapMs()).toList();
            return near.isEmpty() ? "none within 3 s" : String.join("; ", near);
        }

        private static String gapsNear(CallMetrics metrics, long agentStartMs) {
            List<String> near = metrics.responseGaps().stream().filter(g -> Math.abs(g.agentStartMs() - agentStartMs) < 5000)
                    .map(g -> g.customerEndMs() + ">" + g.agentStartMs() + " (" + g.gapMs() + " ms)").toList();
            return near.isEmpty() ? "none within 5 s" : String.join("; ", near);
        }

        private static String transferClass(LineKind kind, long gapMs) {
            boolean plain = kind == LineKind.TURN || kind == LineKind.SHORT_ANSWER || kind == LineKind.QUESTION;
            return kind.name() + (plain ? gapMs < 0 ? " (early start)" : " (after a gap)" : "");
        }

        private static String backchannelClass(RealizedCall call, ScriptedBackchannel b) {
            if (isNoise(call, b.lineId())) {
                return "BACKCHANNEL (word-less, over a phrase)";
            }
            Role other = b.by() == Role.AGENT ? Role.CUSTOMER : Role.AGENT;
            boolean overSpeech = call.lines().stream().filter(l -> l.role() == other)
                    .flatMap(l -> l.phrases().stream()).anyMatch(p -> p.startMs() <= b.startMs() && b.startMs() < p.endMs());
            return "BACKCHANNEL " + (overSpeech ? "(over a phrase)" : "(in a pause)");
        }

        private static boolean isNoise(RealizedCall call, String id) {
            return call.noises().stream().anyMatch(n -> n.noise().id().equals(id));
        }

        private static String classOf(RealizedCall call, Role role, long t) {
            RealizedLine line = call.lineAt(role, t);
            if (line == null) {
                return "no line";
            }
            return line.startMs() == t ? line.kind().name() : line.kind().name() + " (inside the line)";
        }

        private static String lineDescription(RealizedCall call, Role role, long t) {
            RealizedLine line = call.lineAt(role, t);
            return line == null ? "no line of " + role
                    : line.id() + " " + line.kind() + " [" + line.startMs() + ", " + line.endMs() + ") '" + line.line().text() + "'";
        }

        String report(EvaluationTotals totals) {
            StringBuilder b = new StringBuilder();
            b.append(String.format(Locale.ROOT, "Generated corpus, level 1: %d calls (seed %d), exact spurts and words, "
                    + "margin %d ms%n", calls, SEED, Realizer.EXACT_MARGIN_MS));
            b.append(String.format(Locale.ROOT, "%.0f s of calls, %d lines, %d noises; %d calls redrawn at least once%n%n",
                    durationMs / 1000.0, lines, noises, redrawn));
            b.append(String.format(Locale.ROOT, "%-13s %-40s %6s %6s %9s %9s %7s%n", "event", "class", "truth", "found",
                    "spurious", "precision", "recall"));
            for (String event : List.of(INTERRUPTION, BACKCHANNEL, RESPONSE_GAP)) {
                for (Map.Entry<String, Counts> e : counts.getOrDefault(event, Map.of()).entrySet()) {
                    row(b, event, e.getKey(), e.getValue());
                }
                row(b, event, "all", total(event));
                b.append('\n');
            }
            b.append(String.format(Locale.ROOT, "backchannels reported as interruptions: %d; events starting on one of the "
                    + "%d word-less noises: %d%n%n", backchannelsAsInterruptions.size(), noises, eventsOnNoise.size()));
            b.append(String.format(Locale.ROOT, "Scorer totals: interruptions P %.4f R %.4f F1 %.4f (outcome differs on %d); "
                            + "backchannels P %.4f R %.4f, %d reported as interruptions; response gaps matched %d, missed %d, "
                            + "spurious %d, mean abs error %.1f ms; talk time error agent %.4f customer %.4f; VAD F1 agent "
                            + "%.4f customer %.4f%n%n",
                    totals.interruptionPrecision(), totals.interruptionRecall(), totals.interruptionF1(),
                    totals.interruptionSuccessDisagreements(), totals.backchannelPrecision(), totals.backchannelRecall(),
                    totals.backchannelsAsInterruptions(), totals.matchedResponseGaps(), totals.missedResponseGaps(),
                    totals.spuriousResponseGaps(), totals.meanAbsResponseGapErrorMs(),
                    totals.talkTimeErrorRatio(Role.AGENT), totals.talkTimeErrorRatio(Role.CUSTOMER),
                    totals.vadF1(Role.AGENT), totals.vadF1(Role.CUSTOMER)));
            for (Map.Entry<String, List<String>> e : examples.entrySet()) {
                b.append("Disagreements, ").append(e.getKey()).append(" (first ").append(EXAMPLES).append("):")
                        .append(e.getValue().isEmpty() ? " none" : "").append('\n');
                e.getValue().forEach(x -> b.append("  ").append(x).append('\n'));
            }
            backchannelsAsInterruptions.forEach(x -> b.append("  backchannel as interruption: ").append(x).append('\n'));
            eventsOnNoise.forEach(x -> b.append("  event on noise: ").append(x).append('\n'));
            return b.toString();
        }

        private static void row(StringBuilder b, String event, String cls, Counts c) {
            b.append(String.format(Locale.ROOT, "%-13s %-40s %6d %6d %9d %9.3f %7.3f%n", event, cls, c.truth, c.found,
                    c.spurious, c.precision(), c.recall()));
        }
    }
}
