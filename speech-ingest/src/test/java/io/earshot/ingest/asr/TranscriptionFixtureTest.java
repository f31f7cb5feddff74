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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Speech recognition on the committed synthetic calls: speech-gated, pooled Vosk with the
 * windowed-sinc upsampler, scored against the rendered transcript. The model is a build
 * dependency, so this always runs.
 */
class TranscriptionFixtureTest {

    private static VoskTranscriber asr;
    private static ExecutorService executor;
    private static final Map<FixtureCall, CallAnalysis> RESULTS = new LinkedHashMap<>();

    @BeforeAll
    static void transcribeAllFixtures() throws IOException {
        asr = VoskTranscriber.open(Path.of(System.getProperty("earshot.model")), 2);
        executor = Executors.newFixedThreadPool(2);
        // the recogniser's own accuracy: the fixtures' spoken digits must reach the comparison unredacted
        CallAnalyzer analyzer = new CallAnalyzer(VadConfig.DEFAULTS, asr, executor,
                new io.earshot.ingest.redact.Redactor(io.earshot.ingest.redact.RedactionConfig.OFF));
        for (FixtureCall call : FixtureCall.all()) {
            RESULTS.put(call, analyzer.analyze(call.audio()));
        }
    }

    @AfterAll
    static void close() {
        executor.shutdown();
        asr.close();
    }

    @Test
    void shouldTranscribeFixturesWithWordErrorRateAtMost25Percent() throws IOException {
        WordErrorRate.Count total = new WordErrorRate.Count(0, 0);
        List<String> lines = new ArrayList<>();
        for (Map.Entry<FixtureCall, CallAnalysis> e : RESULTS.entrySet()) {
            for (Role role : Role.values()) {
                String reference = spoken(e.getKey(), role);
                String hypothesis = heard(e.getValue(), role);
                WordErrorRate.Count c = WordErrorRate.count(reference, hypothesis);
                lines.add(String.format("%s %s: WER %.1f%% (%d errors / %d words)", e.getKey(), role,
                        100 * c.rate(), c.errors(), c.referenceWords()));
                total = total.plus(c);
            }
        }
        lines.add(String.format("all fixtures: WER %.1f%% (%d errors / %d words)", 100 * total.rate(),
                total.errors(), total.referenceWords()));
        Path report = Path.of("target", "asr-wer.txt");
        Files.createDirectories(report.getParent());
        Files.write(report, lines);
        assertThat(total.referenceWords()).as("reference words").isGreaterThan(100);
        assertThat(total.rate()).as(String.join("\n", lines)).isLessThanOrEqualTo(0.25);
    }

    @Test
    void shouldTranscribeFixturesWithTheFastProfileAtMostOnePointWorseThanAccurate() throws IOException {
        // one recogniser each, regions in call order: each profile decodes the same sequence every run
        WordErrorRate.Count accurate = fixtureErrors(AsrProfile.ACCURATE);
        WordErrorRate.Count fast = fixtureErrors(AsrProfile.FAST);
        String figures = String.format("accurate WER %.1f%% (%d errors), fast WER %.1f%% (%d errors) of %d words",
                100 * accurate.rate(), accurate.errors(), 100 * fast.rate(), fast.errors(), fast.referenceWords());
        Files.writeString(Path.of("target", "asr-wer-profiles.txt"), figures + "\n");
        assertThat(fast.referenceWords()).isEqualTo(accurate.referenceWords()).isGreaterThan(100);
        assertThat(fast.rate()).as(figures).isLessThanOrEqualTo(accurate.rate() + 0.01);
    }

    /** What a party of a fixture call said, in order, as one text. */
    static String spoken(FixtureCall call, Role role) {
        return call.utterances().stream().filter(u -> u.role() == role)
                .sorted(java.util.Comparator.comparingLong(FixtureCall.TruthUtterance::startMs))
                .map(FixtureCall.TruthUtterance::text).collect(Collectors.joining(" "));
    }

    /** What the recogniser heard a party say, as one text. */
    static String heard(CallAnalysis analysis, Role role) {
        return analysis.transcript().stream().filter(u -> u.role() == role)
                .map(Utterance::text).collect(Collectors.joining(" "));
    }

    private static WordErrorRate.Count fixtureErrors(AsrProfile profile) throws IOException {
        WordErrorRate.Count total = new WordErrorRate.Count(0, 0);
        // each profile with its own recycling budget, as users get it
        try (VoskTranscriber one = VoskTranscriber.open(Path.of(System.getProperty("earshot.model")), 1,
                profile.recycleAfterSeconds(), profile)) {
            CallAnalyzer analyzer = new CallAnalyzer(VadConfig.DEFAULTS, one, Runnable::run,
                    new io.earshot.ingest.redact.Redactor(io.earshot.ingest.redact.RedactionConfig.OFF));
            for (FixtureCall call : FixtureCall.all()) {
                CallAnalysis analysis = analyzer.analyze(call.audio());
                for (Role role : Role.values()) {
                    total = total.plus(WordErrorRate.count(spoken(call, role), heard(analysis, role)));
                }
            }
        }
        return total;
    }

    @Test
    void shouldPlaceEveryRecognisedWordInsideItsSpeakersAudibleSpeech() {
        int words = 0;
        int misplaced = 0;
        List<String> examples = new ArrayList<>();
        for (Map.Entry<FixtureCall, CallAnalysis> e : RESULTS.entrySet()) {
            for (Utterance u : e.getValue().transcript()) {
                long previousStart = Long.MIN_VALUE;
                for (Word w : u.words()) {
                    assertThat(w.endMs()).isGreaterThanOrEqualTo(w.startMs());
                    assertThat(w.startMs()).isGreaterThanOrEqualTo(previousStart);
                    previousStart = w.startMs();
                    words++;
                    boolean inside = e.getKey().utterances().stream().anyMatch(t -> t.role() == u.role()
                            && w.startMs() >= t.startMs() - 300 && w.endMs() <= t.endMs() + 300);
                    if (!inside) {
                        misplaced++;
                        if (examples.size() < 5) {
                            examples.add(e.getKey() + " " + w);
                        }
                    }
                }
                assertThat(u.startMs()).isEqualTo(u.words().get(0).startMs());
                assertThat(u.endMs()).isEqualTo(u.words().get(u.words().size() - 1).endMs());
            }
        }
        assertThat(words).isGreaterThan(100);
        assertThat(misplaced).as("words outside the speaker's audible speech, e.g. %s", examples)
                .isLessThanOrEqualTo(words / 50);
    }
}
