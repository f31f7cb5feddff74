package io.earshot.pipeline.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.earshot.ingest.asr.Utterance;
import io.earshot.ingest.asr.VoskTranscriber;
import io.earshot.ingest.asr.Word;
import io.earshot.ingest.call.CallAnalysis;
import io.earshot.ingest.call.CallAnalyzer;
import io.earshot.ingest.dsp.SpeechSegment;
import io.earshot.ingest.dsp.VadConfig;
import io.earshot.ingest.fixtures.FixtureCall;
import io.earshot.jobs.metrics.CallMetrics;
import io.earshot.jobs.metrics.ConversationAnalysis;
import io.earshot.jobs.metrics.ConversationEvents.Interruption;
import io.earshot.jobs.metrics.ConversationEvents.ResponseGap;
import io.earshot.jobs.metrics.MetricsConfig;
import io.earshot.jobs.metrics.Spurt;
import io.earshot.jobs.metrics.TimedWord;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The listening metrics computed from what speech ingest hears (detected spurts, recognised
 * words) on the committed fixtures, scored against the ground truth: the end-to-end accuracy
 * of the metric definitions on audio, before any Flink plumbing.
 */
class ListeningMetricsFixtureTest {

    private static final Map<FixtureCall, CallMetrics> MEASURED = new LinkedHashMap<>();
    private static final List<String> FIGURES = new ArrayList<>();

    @BeforeAll
    static void measureAllFixtures() throws IOException {
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try (VoskTranscriber asr = VoskTranscriber.open(Path.of(System.getProperty("earshot.model")), 2)) {
            CallAnalyzer analyzer = new CallAnalyzer(VadConfig.DEFAULTS, asr, executor);
            for (FixtureCall call : FixtureCall.all()) {
                MEASURED.put(call, metrics(analyzer.analyze(call.audio())));
            }
        } finally {
            executor.shutdown();
        }
    }

    @AfterAll
    static void writeFigures() throws IOException {
        Path report = Path.of("target", "listening-metrics.txt");
        Files.createDirectories(report.getParent());
        Files.write(report, FIGURES);
    }

    static CallMetrics metrics(CallAnalysis a) {
        List<Spurt> spurts = new ArrayList<>();
        for (SpeechSegment s : a.segments()) {
            spurts.add(new Spurt(s.role(), s.startMs(), s.endMs()));
        }
        List<TimedWord> words = new ArrayList<>();
        for (Utterance u : a.transcript()) {
            for (Word w : u.words()) {
                words.add(new TimedWord(u.role(), w.word(), w.startMs(), w.endMs()));
            }
        }
        return ConversationAnalysis.analyze(a.durationMs(), spurts, words, MetricsConfig.DEFAULTS);
    }

    @Test
    void shouldDetectInterruptionsWithF1AtLeast90Percent() {
        int truePositives = 0;
        int detected = 0;
        int expected = 0;
        for (Map.Entry<FixtureCall, CallMetrics> e : MEASURED.entrySet()) {
            List<JsonNode> truth = new ArrayList<>();
            e.getKey().truth().path("events").path("interruptions").forEach(truth::add);
            expected += truth.size();
            detected += e.getValue().interruptions().size();
            for (Interruption i : e.getValue().interruptions()) {
                boolean matched = truth.removeIf(t -> t.path("by").asText().equals(i.by().name())
                        && Math.abs(t.path("startMs").asLong() - i.startMs()) <= 500);
                if (matched) {
                    truePositives++;
                }
            }
        }
        double precision = truePositives / (double) Math.max(1, detected);
        double recall = truePositives / (double) Math.max(1, expected);
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        FIGURES.add(String.format("interruptions: F1 %.3f (precision %.3f, recall %.3f; %d detected, %d true)",
                f1, precision, recall, detected, expected));
        assertThat(expected).isGreaterThanOrEqualTo(8);
        assertThat(f1).isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void shouldNotReportAnyBackchannelAsAnInterruption() {
        for (Map.Entry<FixtureCall, CallMetrics> e : MEASURED.entrySet()) {
            for (JsonNode b : e.getKey().truth().path("events").path("backchannels")) {
                long start = b.path("startMs").asLong();
                assertThat(e.getValue().interruptions()).as("%s backchannel at %d", e.getKey(), start)
                        .noneMatch(i -> i.by().name().equals(b.path("by").asText()) && Math.abs(i.startMs() - start) <= 500);
            }
        }
    }

    @Test
    void shouldMeasureResponseGapsWithin150MsMeanAbsoluteError() {
        long errorSum = 0;
        int matched = 0;
        int expected = 0;
        for (Map.Entry<FixtureCall, CallMetrics> e : MEASURED.entrySet()) {
            for (JsonNode t : e.getKey().truth().path("events").path("responseGaps")) {
                expected++;
                long agentStart = t.path("agentStartMs").asLong();
                ResponseGap g = e.getValue().responseGaps().stream()
                        .filter(x -> Math.abs(x.agentStartMs() - agentStart) <= 500).findFirst().orElse(null);
                if (g != null) {
                    matched++;
                    errorSum += Math.abs(g.gapMs() - t.path("gapMs").asLong());
                }
            }
        }
        double mae = errorSum / (double) Math.max(1, matched);
        FIGURES.add(String.format("response gaps: %d of %d matched, mean absolute error %.1f ms", matched, expected, mae));
        assertThat(matched).isEqualTo(expected);
        assertThat(mae).isLessThanOrEqualTo(150);
    }

    @Test
    void shouldMeasureTalkTimePerRoleWithin5Percent() {
        for (Map.Entry<FixtureCall, CallMetrics> e : MEASURED.entrySet()) {
            JsonNode totals = e.getKey().truth().path("totals");
            for (Role role : Role.values()) {
                long truth = totals.path(role == Role.AGENT ? "agentTalkMs" : "customerTalkMs").asLong();
                long measured = role == Role.AGENT ? e.getValue().agentTalkMs() : e.getValue().customerTalkMs();
                FIGURES.add(String.format("%s %s talk %d ms vs %d ms", e.getKey(), role, measured, truth));
                assertThat((double) measured).isBetween(truth * 0.95, truth * 1.05);
            }
        }
    }
}
