package io.earshot.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.ingest.audio.SampleEncoding;
import io.earshot.ingest.audio.WavWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * {@code earshot evaluate} on arguments and files it cannot use: one {@code earshot:} line per
 * problem naming the argument or the file, exit code {@link EarshotCli#EXIT_BAD_INPUT},
 * nothing on stdout, no stack trace, and no model loaded (the model given does not exist, so
 * loading it would fail differently). None of these runs reaches the metric job.
 */
class EvaluateCommandErrorTest {

    @TempDir
    static Path dir;

    private static final String GOOD_RTTM = "SPEAKER c 1 0.5 1.0 <NA> <NA> agent <NA> <NA>\n";

    @BeforeEach
    void writeFiles() throws IOException {
        Files.writeString(dir.resolve("good.rttm"), GOOD_RTTM);
        Files.writeString(dir.resolve("good.json"), "{\"interruptions\": []}\n");
        Files.writeString(dir.resolve("bad.rttm"), GOOD_RTTM + "SPEAKER c 1 abc 1.0 <NA> <NA> agent <NA> <NA>\n");
        Files.writeString(dir.resolve("bad.json"), "{\n  \"interuptions\": []\n}\n");
        Files.writeString(dir.resolve("bad-speaker.rttm"), "SPEAKER c 1 0.5 1.0 <NA> <NA> spk0 <NA> <NA>\n");
        byte[] wav = WavWriter.encode(8000, SampleEncoding.PCM16, new short[8000], new short[8000]);
        Files.write(dir.resolve("call.wav"), wav);
        Files.write(dir.resolve("cut.wav"), Arrays.copyOf(wav, wav.length / 2));
        Files.writeString(dir.resolve("calls.txt"), "# calls\ncall.wav,good.rttm\n\ncall.wav,nothing.json\n");
    }

    private static String p(String name) {
        return dir.resolve(name).toString();
    }

    static Stream<Arguments> argumentErrors() {
        return Stream.of(
                Arguments.of("no call at all", List.<String>of(), "no call to evaluate"),
                Arguments.of("a call without its truth", List.of(p("call.wav")), "needs its truth: --rttm FILE"),
                Arguments.of("truth without a call", List.of("--rttm", p("good.rttm")), "--rttm belongs to a CALL"),
                Arguments.of("events without a call", List.of("--events", p("good.json")), "--events belongs to a CALL"),
                Arguments.of("--call without RTTM", List.of("--call", "a.wav,b.json"), "--call a.wav,b.json: no .rttm file"),
                Arguments.of("--call with three audio files", List.of("--call", "a.wav,b.wav,c.wav,t.rttm"),
                        "--call a.wav,b.wav,c.wav,t.rttm: 3 audio files"),
                Arguments.of("--call with two RTTM files", List.of("--call", "a.wav,t.rttm,u.RTTM"), "two RTTM files"),
                Arguments.of("--call with an empty part", List.of("--call", "a.wav,,t.rttm"), "an empty part"),
                Arguments.of("--call with only truth", List.of("--call", "t.rttm,e.json"), "0 audio files"),
                Arguments.of("speaker without a role", List.of("--speaker", "spk0", "--call", "a.wav,t.rttm"),
                        "--speaker spk0: expected NAME=agent or NAME=customer"),
                Arguments.of("speaker with an unknown role", List.of("--speaker", "spk0=boss", "--call", "a.wav,t.rttm"),
                        "--speaker spk0=boss"),
                Arguments.of("missing manifest", List.of("--manifest", p("none.txt")), p("none.txt") + ": no such file"),
                Arguments.of("manifest line without RTTM", List.of("--manifest", p("calls.txt")),
                        p("calls.txt") + ":4: no .rttm file"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("argumentErrors")
    void shouldRefuseArgumentsItCannotUseWithOneLine(String name, List<String> args, String message) {
        Result r = evaluate(args);

        assertThat(r.exitCode()).as(r.err()).isEqualTo(EarshotCli.EXIT_BAD_INPUT);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines()).as(r.err()).singleElement().satisfies(l -> assertThat(l).startsWith("earshot: ")
                .contains(message));
    }

    static Stream<Arguments> fileErrors() {
        return Stream.of(
                Arguments.of("missing RTTM", List.of(p("call.wav"), "--rttm", p("none.rttm")), p("none.rttm") + ": no such file"),
                Arguments.of("malformed RTTM", List.of(p("call.wav"), "--rttm", p("bad.rttm")),
                        p("bad.rttm") + ":2: onset \"abc\" is not a number"),
                Arguments.of("RTTM speaker not mapped", List.of(p("call.wav"), "--rttm", p("bad-speaker.rttm")),
                        p("bad-speaker.rttm") + ":1: speaker \"spk0\""),
                Arguments.of("RTTM speaker mapped to another", List.of("--speaker", "spk1=agent", "--call",
                        p("call.wav") + "," + p("bad-speaker.rttm")), p("bad-speaker.rttm") + ":1: speaker \"spk0\""),
                Arguments.of("malformed events", List.of(p("call.wav"), "--rttm", p("good.rttm"), "--events", p("bad.json")),
                        p("bad.json") + ":2: unknown key \"interuptions\""),
                Arguments.of("missing events", List.of("--call", p("call.wav") + "," + p("good.rttm") + "," + p("none.json")),
                        p("none.json") + ": no such file"),
                Arguments.of("missing audio", List.of("--call", p("never-recorded.wav") + "," + p("good.rttm")),
                        p("never-recorded.wav")),
                Arguments.of("truncated audio", List.of(p("cut.wav"), "--rttm", p("good.rttm")), p("cut.wav") + ": truncated"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fileErrors")
    void shouldNameTheFileOfACallItCannotScoreWithoutLoadingTheModel(String name, List<String> args, String message) {
        List<String> all = new ArrayList<>(List.of("--model", p("no-model-here")));
        all.addAll(args);

        Result r = evaluate(all);

        assertThat(r.exitCode()).as(r.err()).isEqualTo(EarshotCli.EXIT_BAD_INPUT);
        assertThat(r.out()).isEmpty();
        assertThat(errorLines(r)).as(r.err()).singleElement().satisfies(l -> assertThat(l).contains(message));
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("Vosk");
    }

    @Test
    void shouldReportEveryBadCallOnItsOwnLine() {
        Result r = evaluate(List.of("--model", p("no-model-here"), "--call", p("call.wav") + "," + p("bad.rttm"),
                "--call", p("cut.wav") + "," + p("good.rttm"), "--call", p("call.wav") + "," + p("good.rttm") + "," + p("bad.json")));

        assertThat(r.exitCode()).isEqualTo(EarshotCli.EXIT_BAD_INPUT);
        assertThat(errorLines(r)).hasSize(3).anySatisfy(l -> assertThat(l).contains(p("bad.rttm") + ":2:"))
                .anySatisfy(l -> assertThat(l).contains(p("bad.json") + ":2:"))
                .anySatisfy(l -> assertThat(l).contains(p("cut.wav")));
    }

    @Test
    void shouldTellTheCallsPartsApartByExtensionAndReadManifestPathsFromItsFolder() throws IOException {
        Files.writeString(dir.resolve("ok.txt"), "stereo.wav,stereo.rttm\n  agent.wav, truth.RTTM ,customer.wav,events.JSON \n");
        EvaluateCommand command = new EvaluateCommand();
        new CommandLine(command).parseArgs("--call", "a.wav,b.wav,t.rttm,e.json", "--manifest", p("ok.txt"));

        List<EvaluateCommand.LabelledCall> calls = command.labelledCalls();

        assertThat(calls).hasSize(3);
        assertThat(calls.get(0).audio()).containsExactly(Path.of("a.wav"), Path.of("b.wav"));
        assertThat(calls.get(0).rttm()).isEqualTo(Path.of("t.rttm"));
        assertThat(calls.get(0).events()).isEqualTo(Path.of("e.json"));
        assertThat(calls.get(1).audio()).containsExactly(dir.resolve("stereo.wav"));
        assertThat(calls.get(1).events()).isNull();
        assertThat(calls.get(2).audio()).containsExactly(dir.resolve("agent.wav"), dir.resolve("customer.wav"));
        assertThat(calls.get(2).rttm()).isEqualTo(dir.resolve("truth.RTTM"));
        assertThat(calls.get(2).events()).isEqualTo(dir.resolve("events.JSON"));
    }

    private record Result(int exitCode, String out, String err) {
    }

    private static List<String> errorLines(Result r) {
        return r.err().lines().filter(l -> l.startsWith("earshot: ")).toList();
    }

    private static Result evaluate(List<String> args) {
        List<String> all = new ArrayList<>(List.of("evaluate"));
        all.addAll(args);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = EarshotCli.run(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }
}
