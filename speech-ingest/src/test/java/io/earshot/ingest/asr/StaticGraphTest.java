package io.earshot.ingest.asr;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.ingest.call.CallAnalysis;
import io.earshot.ingest.call.CallAnalyzer;
import io.earshot.ingest.dsp.VadConfig;
import io.earshot.ingest.fixtures.FixtureCall;
import io.earshot.schemas.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model the build unpacks decodes on the static graph the build composed for it
 * (speech-ingest/src/main/scripts/static-graph.sh), and that graph recognises what the model's
 * own lookahead graph does: the same calls through both, one recogniser each, regions in call
 * order.
 */
class StaticGraphTest {

    private static final Path MODEL = Path.of(System.getProperty("earshot.model"));

    @TempDir
    Path dir;

    @Test
    void shouldDecodeTheFixturesOnTheComposedGraphAsOnTheLookaheadGraph() throws IOException {
        assertThat(MODEL.resolve("graph/HCLG.fst")).as("the build's static graph").isRegularFile();
        assertThat(MODEL.resolve("graph/HCLr.fst")).as("the model's own lookahead graph").isRegularFile();

        List<Transcripts> staticGraph = transcribe(MODEL);
        Path view = lookaheadView();
        List<Transcripts> lookahead;
        try {
            lookahead = transcribe(view);
        } finally {
            removeView(view);
        }

        WordErrorRate.Count staticErrors = new WordErrorRate.Count(0, 0);
        WordErrorRate.Count lookaheadErrors = new WordErrorRate.Count(0, 0);
        WordErrorRate.Count disagreement = new WordErrorRate.Count(0, 0);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < staticGraph.size(); i++) {
            Transcripts s = staticGraph.get(i);
            Transcripts l = lookahead.get(i);
            staticErrors = staticErrors.plus(WordErrorRate.count(s.reference, s.hypothesis));
            lookaheadErrors = lookaheadErrors.plus(WordErrorRate.count(l.reference, l.hypothesis));
            WordErrorRate.Count between = WordErrorRate.count(l.hypothesis, s.hypothesis);
            disagreement = disagreement.plus(between);
            lines.add(s.name + ": static graph and lookahead graph differ in " + between.errors() + " of "
                    + between.referenceWords() + " words");
        }
        String figures = String.format("static graph WER %.1f%% (%d errors), lookahead graph WER %.1f%% (%d errors)"
                + " of %d words; the two differ in %d of %d recognised words%n%s", 100 * staticErrors.rate(),
                staticErrors.errors(), 100 * lookaheadErrors.rate(), lookaheadErrors.errors(),
                staticErrors.referenceWords(), disagreement.errors(), disagreement.referenceWords(),
                String.join("\n", lines));
        Files.writeString(Path.of("target", "asr-static-graph.txt"), figures + "\n");

        assertThat(disagreement.referenceWords()).as(figures).isGreaterThan(150);
        assertThat(disagreement.rate()).as(figures).isLessThanOrEqualTo(0.02);
        assertThat(staticErrors.rate()).as(figures).isLessThanOrEqualTo(lookaheadErrors.rate() + 0.01);
    }

    /** Deletes the view's links and directories (the model they point to stays). */
    private static void removeView(Path view) throws IOException {
        try (Stream<Path> walk = Files.walk(view)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** One party of one fixture call: what was said and what the recogniser heard. */
    private record Transcripts(String name, String reference, String hypothesis) {
    }

    private static List<Transcripts> transcribe(Path model) throws IOException {
        List<Transcripts> out = new ArrayList<>();
        try (VoskTranscriber one = VoskTranscriber.open(model, 1)) {
            CallAnalyzer analyzer = new CallAnalyzer(VadConfig.DEFAULTS, one, Runnable::run,
                    new io.earshot.ingest.redact.Redactor(io.earshot.ingest.redact.RedactionConfig.OFF));
            for (FixtureCall call : FixtureCall.all()) {
                CallAnalysis analysis = analyzer.analyze(call.audio());
                for (Role role : Role.values()) {
                    out.add(new Transcripts(call + " " + role, TranscriptionFixtureTest.spoken(call, role),
                            TranscriptionFixtureTest.heard(analysis, role)));
                }
            }
        }
        return out;
    }

    /**
     * The model as unpacked, before the build composed its graph: links to all of it but the
     * static graph and the word list written with it, so Vosk composes the lookahead graph.
     */
    private Path lookaheadView() throws IOException {
        Path view = Files.createDirectory(dir.resolve("lookahead-model"));
        try (Stream<Path> entries = Files.list(MODEL)) {
            for (Path e : entries.toList()) {
                if (!e.getFileName().toString().equals("graph")) {
                    Files.createSymbolicLink(view.resolve(e.getFileName().toString()), e.toAbsolutePath());
                }
            }
        }
        Path graph = Files.createDirectory(view.resolve("graph"));
        try (Stream<Path> entries = Files.list(MODEL.resolve("graph"))) {
            for (Path e : entries.toList()) {
                String name = e.getFileName().toString();
                if (!name.equals("HCLG.fst") && !name.equals("words.txt")) {
                    Files.createSymbolicLink(graph.resolve(name), e.toAbsolutePath());
                }
            }
        }
        return view;
    }
}
