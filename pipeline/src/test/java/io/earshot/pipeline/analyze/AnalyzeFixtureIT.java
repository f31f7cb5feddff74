package io.earshot.pipeline.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.earshot.ingest.fixtures.FixtureCall;
import io.earshot.pipeline.cli.EarshotCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code earshot analyze} end to end on the committed fixtures: speech ingest, the Flink job
 * on a local cluster, the JSON Lines output, scored against each call's ground truth.
 */
class AnalyzeFixtureIT {

    @TempDir
    static Path work;

    private static final Map<String, JsonNode> SUMMARIES = new LinkedHashMap<>();
    private static final Map<String, FixtureCall> CALLS = new LinkedHashMap<>();
    private static final List<String> FIGURES = new ArrayList<>();
    private static String stderr;

    private static String spec(FixtureCall call) {
        JsonNode t = call.truth();
        return "stereo".equals(t.path("layout").asText())
                ? call.dir().resolve(t.path("file").asText()).toString()
                : call.dir().resolve(t.path("files").path("AGENT").asText()) + ","
                        + call.dir().resolve(t.path("files").path("CUSTOMER").asText());
    }

    @BeforeAll
    static void analyzeAllFixtures() throws Exception {
        StringWriter err = new StringWriter();
        for (String channel : List.of("left", "right")) {
            List<String> args = new ArrayList<>(List.of("analyze", "--format", "json", "--agent-id", "agent-1",
                    "--agent-channel", channel, "--out", work.resolve(channel + ".jsonl").toString(),
                    "--windows", work.resolve(channel + "-windows.jsonl").toString(),
                    "--model", System.getProperty("earshot.model")));
            for (FixtureCall call : FixtureCall.all()) {
                if (channel.equals(call.truth().path("agentChannel").asText("left"))) {
                    args.add(spec(call));
                    CALLS.put(call.id(), call);
                }
            }
            int exit = EarshotCli.run(args.toArray(String[]::new), new PrintWriter(new StringWriter()), new PrintWriter(err));
            assertThat(exit).as(err.toString()).isZero();
            for (String line : Files.readAllLines(work.resolve(channel + ".jsonl"))) {
                JsonNode s = new ObjectMapper().readTree(line);
                SUMMARIES.put(s.path("callId").asText(), s);
            }
        }
        stderr = err.toString();
    }

    @Test
    void shouldWriteOneSummaryPerCallWithTheDocumentedFields() {
        assertThat(SUMMARIES.keySet()).containsExactlyInAnyOrderElementsOf(CALLS.keySet());
        assertThat(stderr).contains("analyze [").doesNotContain("Exception");
        for (JsonNode s : SUMMARIES.values()) {
            assertThat(s.fieldNames()).toIterable().contains("callId", "agentId", "durationMs", "agentTalkMs",
                    "customerTalkMs", "overlapMs", "silenceMs", "agentTalkShare", "segments", "interruptions",
                    "backchannels", "responseGaps", "pauseRespectRate", "meanResponseGapMs",
                    "agentInterruptionsPer10Min", "longestAgentMonologueMs", "transcript", "thresholds");
            assertThat(s.path("agentId").asText()).isEqualTo("agent-1");
            assertThat(s.path("segments").get(0).fieldNames()).toIterable().contains("role", "startMs", "endMs");
            assertThat(s.path("transcript").get(0).path("words").get(0).fieldNames()).toIterable()
                    .containsExactlyInAnyOrder("word", "startMs", "endMs", "conf");
            assertThat(s.path("thresholds").path("interruptionMinOverlapMs").asLong()).isEqualTo(600);
            assertThat(s.path("durationMs").asLong()).isEqualTo(CALLS.get(s.path("callId").asText()).truth().path("durationMs").asLong());
        }
    }

    @Test
    void shouldDetectInterruptionsWithF1AtLeast90Percent() {
        int truePositives = 0;
        int detected = 0;
        int expected = 0;
        for (Map.Entry<String, JsonNode> e : SUMMARIES.entrySet()) {
            List<JsonNode> truth = new ArrayList<>();
            CALLS.get(e.getKey()).truth().path("events").path("interruptions").forEach(truth::add);
            expected += truth.size();
            for (JsonNode i : e.getValue().path("interruptions")) {
                detected++;
                if (truth.removeIf(t -> t.path("by").asText().equals(i.path("by").asText())
                        && Math.abs(t.path("startMs").asLong() - i.path("startMs").asLong()) <= 500)) {
                    truePositives++;
                }
            }
        }
        double precision = truePositives / (double) Math.max(1, detected);
        double recall = truePositives / (double) Math.max(1, expected);
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        FIGURES.add(String.format("interruptions: F1 %.3f (precision %.3f, recall %.3f; %d detected, %d true)",
                f1, precision, recall, detected, expected));
        writeFigures();
        assertThat(expected).isGreaterThanOrEqualTo(8);
        assertThat(f1).isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void shouldNotReportAnyBackchannelAsAnInterruption() {
        int backchannels = 0;
        for (Map.Entry<String, JsonNode> e : SUMMARIES.entrySet()) {
            for (JsonNode b : CALLS.get(e.getKey()).truth().path("events").path("backchannels")) {
                backchannels++;
                long start = b.path("startMs").asLong();
                List<JsonNode> interruptions = new ArrayList<>();
                e.getValue().path("interruptions").forEach(interruptions::add);
                assertThat(interruptions).as("%s backchannel at %d", e.getKey(), start)
                        .noneMatch(i -> i.path("by").asText().equals(b.path("by").asText())
                                && Math.abs(i.path("startMs").asLong() - start) <= 500);
            }
        }
        assertThat(backchannels).isGreaterThanOrEqualTo(4);
    }

    @Test
    void shouldMeasureResponseGapsWithin150MsMeanAbsoluteError() {
        long errorSum = 0;
        int matched = 0;
        int expected = 0;
        for (Map.Entry<String, JsonNode> e : SUMMARIES.entrySet()) {
            for (JsonNode t : CALLS.get(e.getKey()).truth().path("events").path("responseGaps")) {
                expected++;
                for (JsonNode g : e.getValue().path("responseGaps")) {
                    if (Math.abs(g.path("agentStartMs").asLong() - t.path("agentStartMs").asLong()) <= 500) {
                        matched++;
                        errorSum += Math.abs(g.path("gapMs").asLong() - t.path("gapMs").asLong());
                        break;
                    }
                }
            }
        }
        double mae = errorSum / (double) Math.max(1, matched);
        FIGURES.add(String.format("response gaps: %d of %d matched, mean absolute error %.1f ms", matched, expected, mae));
        writeFigures();
        assertThat(matched).isEqualTo(expected);
        assertThat(mae).isLessThanOrEqualTo(150);
    }

    @Test
    void shouldMeasureTalkTimePerRoleWithin5Percent() {
        for (Map.Entry<String, JsonNode> e : SUMMARIES.entrySet()) {
            JsonNode totals = CALLS.get(e.getKey()).truth().path("totals");
            for (String field : List.of("agentTalkMs", "customerTalkMs")) {
                long truth = totals.path(field).asLong();
                long measured = e.getValue().path(field).asLong();
                FIGURES.add(String.format("%s %s %d ms vs truth %d ms", e.getKey(), field, measured, truth));
                assertThat((double) measured).as("%s %s", e.getKey(), field).isBetween(truth * 0.95, truth * 1.05);
            }
        }
        writeFigures();
    }

    /** The analysts' daily agent windows add up to the call summaries they cover. */
    @Test
    void shouldWriteAgentWindowsThatAddUpToTheCallSummaries() throws Exception {
        List<String> lines = Files.readAllLines(work.resolve("left-windows.jsonl"));
        long calls = 0;
        long agentTalk = 0;
        long interruptions = 0;
        for (String line : lines) {
            JsonNode w = new ObjectMapper().readTree(line);
            if (w.path("scope").asText().equals("AGENT") && w.path("window").asText().equals("DAILY")) {
                assertThat(w.path("key").asText()).isEqualTo("agent-1");
                calls += w.path("totals").path("callsEnded").asLong();
                agentTalk += w.path("totals").path("agentTalkMs").asLong();
                interruptions += w.path("totals").path("agentInterruptions").asLong();
            }
        }
        List<JsonNode> left = new ArrayList<>();
        for (String line : Files.readAllLines(work.resolve("left.jsonl"))) {
            left.add(new ObjectMapper().readTree(line));
        }
        assertThat(calls).isEqualTo(left.size());
        assertThat(agentTalk).isEqualTo(left.stream().mapToLong(s -> s.path("agentTalkMs").asLong()).sum());
        assertThat(interruptions).isEqualTo(left.stream().mapToLong(s -> s.path("agentInterruptions").asLong()).sum());
        assertThat(lines).anyMatch(l -> l.contains("\"scope\":\"TEAM\"")).anyMatch(l -> l.contains("\"window\":\"HOURLY\""));
    }

    /** A bad file among good ones is reported on its own line; the other calls are analysed. */
    @Test
    void shouldReportABadFileAndStillAnalyseTheOthers() throws Exception {
        FixtureCall good = CALLS.get("call01-billing");
        Path truncated = work.resolve("truncated.wav");
        byte[] wav = Files.readAllBytes(good.dir().resolve("call.wav"));
        Files.write(truncated, java.util.Arrays.copyOf(wav, wav.length / 2));
        Path out = work.resolve("mixed.jsonl");
        StringWriter err = new StringWriter();
        int exit = EarshotCli.run(new String[] {"analyze", "--format", "json", "--out", out.toString(),
                "--model", System.getProperty("earshot.model"), truncated.toString(), spec(good)},
                new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertThat(exit).isEqualTo(EarshotCli.EXIT_BAD_INPUT);
        assertThat(err.toString()).contains("earshot: " + truncated + ": truncated WAV").doesNotContain("\tat ");
        List<String> lines = Files.readAllLines(out);
        assertThat(lines).singleElement().satisfies(l -> assertThat(new ObjectMapper().readTree(l).path("callId").asText())
                .isEqualTo("call01-billing"));
    }

    private static synchronized void writeFigures() {
        try {
            Path report = Path.of("target", "listening-metrics.txt");
            Files.createDirectories(report.getParent());
            Files.write(report, FIGURES);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
