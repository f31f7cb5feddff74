package io.earshot.pipeline.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.earshot.ingest.fixtures.FixtureCall;
import io.earshot.analysis.evaluation.Rttm;
import io.earshot.analysis.evaluation.TruthEvents;
import io.earshot.analysis.evaluation.TruthEventsJson;
import io.earshot.analysis.evaluation.TruthSegment;
import io.earshot.pipeline.cli.EarshotCli;
import io.earshot.schemas.Role;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code earshot evaluate} end to end on the fixture call01-billing, with an RTTM and an events
 * file written from the fixture's ground truth as a user would label it: speech ingest, the
 * Flink job on a local cluster, the scores. The call is simple enough that every reading of
 * the turn rules finds its two interruptions, its two backchannels and its three response gaps.
 */
class EvaluateFixtureIT {

    @TempDir
    static Path work;

    private static FixtureCall call;
    private static Path wav;
    private static Path rttm;
    private static Path events;

    @BeforeAll
    static void labelTheFixtureCall() throws Exception {
        call = FixtureCall.load("call01-billing");
        wav = call.dir().resolve(call.truth().path("file").asText());
        List<TruthSegment> speech = new ArrayList<>();
        for (JsonNode s : call.truth().path("segments")) {
            speech.add(new TruthSegment(Role.valueOf(s.path("role").asText()), s.path("startMs").asLong(),
                    s.path("endMs").asLong()));
        }
        rttm = work.resolve("call01-billing.rttm");
        Rttm.write(rttm, "call01-billing", speech);
        TruthEvents truthEvents = TruthEventsJson.of(call.truth().path("events"), "truth.json");
        events = work.resolve("call01-billing.json");
        TruthEventsJson.write(events, truthEvents);
        assertThat(truthEvents.interruptions()).hasSize(2);
        assertThat(truthEvents.backchannels()).hasSize(2);
        assertThat(truthEvents.responseGaps()).hasSize(3);
    }

    @Test
    void shouldScoreTheLabelledCallAndStillReportABadOne() throws Exception {
        Path bad = work.resolve("mislabelled.rttm");
        Files.writeString(bad, Files.readString(rttm) + "SPEAKER call01-billing 1 4,2 1.0 <NA> <NA> agent <NA> <NA>\n");
        Path report = work.resolve("report.json");

        Result r = run("evaluate", "--format", "json", "--out", report.toString(), "--model", System.getProperty("earshot.model"),
                "--call", wav + "," + rttm + "," + events, "--call", wav + "," + bad);

        assertThat(r.exitCode()).as(r.err()).isEqualTo(EarshotCli.EXIT_BAD_INPUT);
        assertThat(r.err().lines().filter(l -> l.startsWith("earshot: ")).toList()).singleElement()
                .satisfies(l -> assertThat(l).isEqualTo("earshot: " + bad + ":10: onset \"4,2\" is not a number of seconds"));
        assertThat(r.err()).contains("evaluate [").doesNotContain("Exception");
        JsonNode root = new ObjectMapper().readTree(report.toFile());
        assertThat(root.path("calls")).hasSize(1);
        JsonNode c = root.path("calls").get(0);
        assertThat(c.path("callId").asText()).isEqualTo("call01-billing");
        assertThat(c.path("durationMs").asLong()).isEqualTo(call.truth().path("durationMs").asLong());
        for (String role : List.of("AGENT", "CUSTOMER")) {
            assertThat(c.path("voiceActivity").path(role).path("f1").asDouble()).as("%s VAD F1", role).isGreaterThan(0.9);
            assertThat(c.path("talkTime").path(role).path("errorRatio").asDouble()).as("%s talk time", role).isLessThan(0.05);
        }
        assertThat(c.path("overlap").path("truthMs").asLong()).isEqualTo(call.truth().path("totals").path("overlapMs").asLong());
        assertThat(c.path("overlap").path("errorMs").asLong()).isLessThan(500);
        assertThat(c.path("interruptions").path("truth").asLong()).isEqualTo(2);
        assertThat(c.path("interruptions").path("recall").asDouble()).isEqualTo(1.0);
        assertThat(c.path("interruptions").path("precision").asDouble()).isEqualTo(1.0);
        assertThat(c.path("interruptions").path("successDisagreements").asLong()).isZero();
        assertThat(c.path("backchannels").path("reportedAsInterruptions").asLong()).isZero();
        assertThat(c.path("backchannels").path("recall").asDouble()).isEqualTo(1.0);
        assertThat(c.path("responseGaps").path("matched").asLong()).isEqualTo(3);
        assertThat(c.path("responseGaps").path("meanAbsErrorMs").asDouble()).isLessThanOrEqualTo(150);
        JsonNode totals = root.path("totals");
        assertThat(totals.path("calls").asInt()).isEqualTo(1);
        assertThat(totals.path("interruptions").path("f1").asDouble()).isEqualTo(1.0);
        assertThat(totals.path("voiceActivity").path("AGENT")).isEqualTo(c.path("voiceActivity").path("AGENT"));
    }

    @Test
    void shouldPrintTheTableForOneCallGivenWithItsTruth() throws Exception {
        Result r = run("evaluate", wav.toString(), "--rttm", rttm.toString(), "--events", events.toString(), "--no-transcript");

        assertThat(r.exitCode()).as(r.err()).isZero();
        // kept as the figures of the last run, beside listening-metrics.txt
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "evaluation-call01-billing.txt"), r.out());
        assertThat(r.out()).startsWith("call call01-billing  20.6 s").contains("  talk time       agent ")
                .contains("  interruptions   precision ").contains("  response gaps   ").contains("total  1 call  20.6 s");
        Matcher f1 = Pattern.compile("voice activity  F1 agent ([0-9.]+), customer ([0-9.]+)").matcher(r.out());
        assertThat(f1.find()).as(r.out()).isTrue();
        assertThat(Double.parseDouble(f1.group(1))).isGreaterThan(0.9);
        assertThat(Double.parseDouble(f1.group(2))).isGreaterThan(0.9);
        // without words the rules still see the backchannels as short listener responses
        assertThat(r.out()).contains("reported as interruptions 0");
    }

    private record Result(int exitCode, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = EarshotCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }
}
