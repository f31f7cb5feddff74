package io.earshot.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.earshot.ingest.audio.SampleEncoding;
import io.earshot.ingest.audio.WavWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code earshot segments} on input it cannot use: one line on stderr that names the file and
 * the problem, exit code {@link EarshotCli#EXIT_BAD_INPUT}, nothing on stdout, no stack trace.
 * And, for contrast, one synthetic call that it can use.
 */
class SegmentsCommandErrorTest {

    private static final int RATE = 8000;

    @TempDir
    Path dir;

    /** What a bad input looks like on disk, and what the one-line error must say about it. */
    private record BadInput(String name, Setup setup, String namedFile, List<String> keyWords) {
        @Override
        public String toString() {
            return name;
        }
    }

    @FunctionalInterface
    private interface Setup {
        /** Writes the files into {@code dir} and returns the command's file arguments. */
        List<Path> write(Path dir) throws IOException;
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                bad("truncated WAV", "cut.wav", List.of("truncated", "data chunk"), d -> {
                    byte[] whole = WavWriter.encode(RATE, SampleEncoding.PCM16, tone(RATE, 150), tone(RATE, 220));
                    return List.of(Files.write(d.resolve("cut.wav"), Arrays.copyOf(whole, whole.length / 2)));
                }),
                bad("unsupported encoding", "mp3-in-wav.wav", List.of("unsupported encoding", "0x0055"),
                        d -> List.of(Files.write(d.resolve("mp3-in-wav.wav"), handMadeWav(0x55, 2, RATE, 0, 288)))),
                bad("six channels", "surround.wav", List.of("channel count 6"),
                        d -> List.of(Files.write(d.resolve("surround.wav"), handMadeWav(1, 6, RATE, 16, 1200)))),
                bad("mono file alone", "agent-only.wav", List.of("stereo", "1 channel", "two mono files"), d -> {
                    Path f = d.resolve("agent-only.wav");
                    WavWriter.write(f, RATE, SampleEncoding.PCMU, tone(RATE, 150));
                    return List.of(f);
                }),
                bad("empty file", "empty.wav", List.of("empty file"),
                        d -> List.of(Files.write(d.resolve("empty.wav"), new byte[0]))),
                bad("text file", "notes.wav", List.of("not a WAV file"),
                        d -> List.of(Files.writeString(d.resolve("notes.wav"), "agent: hello\ncustomer: hi\n"))),
                bad("missing file", "never-recorded.wav", List.of("no such file"),
                        d -> List.of(d.resolve("never-recorded.wav"))),
                bad("directory instead of a file", "recordings", List.of("directory"),
                        d -> List.of(Files.createDirectory(d.resolve("recordings")))),
                bad("two mono files at different rates", "customer-16k.wav", List.of("sample rate", "16000", "8000"),
                        d -> {
                            Path agent = d.resolve("agent-8k.wav");
                            Path customer = d.resolve("customer-16k.wav");
                            WavWriter.write(agent, 8000, SampleEncoding.PCM16, tone(8000, 150));
                            WavWriter.write(customer, 16000, SampleEncoding.PCM16, tone(16000, 220));
                            return List.of(agent, customer);
                        }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void shouldReportBadInputAsOneLineNamingTheFileWithoutAStackTrace(BadInput input) throws IOException {
        List<String> args = new ArrayList<>(List.of("segments", "--no-transcript"));
        input.setup().write(dir).forEach(p -> args.add(p.toString()));

        Result r = run(args);

        assertOneLineBadInputError(r, dir.resolve(input.namedFile()), input.keyWords());
    }

    @Test
    void shouldReportABadFileBeforeLoadingAnyModel() throws IOException {
        Path cut = dir.resolve("cut.wav");
        byte[] whole = WavWriter.encode(RATE, SampleEncoding.PCMU, tone(RATE, 150), tone(RATE, 220));
        Files.write(cut, Arrays.copyOf(whole, whole.length - 100));
        // were the model opened first, this would fail with "not a Vosk model directory" instead
        Path noModel = dir.resolve("no-model-here");

        Result r = run(List.of("segments", "--model", noModel.toString(), cut.toString()));

        assertOneLineBadInputError(r, cut, List.of("truncated", "data chunk"));
        assertThat(r.err()).doesNotContain("Vosk").doesNotContain(noModel.toString());
    }

    @Test
    void shouldFindAgentAndCustomerSpeechWithToneInASyntheticMuLawCall() throws IOException {
        Path call = writeSyntheticCall();

        Result r = run(List.of("segments", "--no-transcript", "--format", "json", call.toString()));

        assertThat(r.exitCode()).as("stderr: %s", r.err()).isZero();
        assertThat(r.err()).isEmpty();
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root.get("sampleRate").asInt()).isEqualTo(RATE);
        assertThat(root.get("durationMs").asLong()).isEqualTo(3000);
        assertThat(root.get("transcript").isArray()).isTrue();
        assertThat(root.get("transcript")).isEmpty();
        JsonNode segments = root.get("segments");
        assertThat(segments.isArray()).isTrue();
        assertThat(segments).hasSize(2);
        assertSegment(segments.get(0), "AGENT", 500, 1500, 150, LEFT_LEVEL_DBFS);
        assertSegment(segments.get(1), "CUSTOMER", 2000, 2800, 220, RIGHT_LEVEL_DBFS);
    }

    @Test
    void shouldSwapRolesWhenTheAgentIsOnTheRightChannel() throws IOException {
        Path call = writeSyntheticCall();

        Result r = run(List.of("segments", "--no-transcript", "--format", "json", "--agent-channel", "right",
                call.toString()));

        assertThat(r.exitCode()).as("stderr: %s", r.err()).isZero();
        JsonNode segments = new ObjectMapper().readTree(r.out()).get("segments");
        assertThat(segments).hasSize(2);
        assertSegment(segments.get(0), "CUSTOMER", 500, 1500, 150, LEFT_LEVEL_DBFS);
        assertSegment(segments.get(1), "AGENT", 2000, 2800, 220, RIGHT_LEVEL_DBFS);
    }

    // ---------------------------------------------------------------- helpers

    private record Result(int exitCode, String out, String err) {
    }

    private static Result run(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = EarshotCli.run(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    private static void assertOneLineBadInputError(Result r, Path file, List<String> keyWords) {
        assertThat(r.exitCode()).as("exit code; stderr: %s", r.err()).isEqualTo(EarshotCli.EXIT_BAD_INPUT);
        assertThat(r.out()).as("stdout").isEmpty();
        assertThat(r.err().lines()).as("stderr lines").hasSize(1);
        assertThat(r.err()).endsWith(System.lineSeparator())
                .startsWith("earshot: ")
                .contains(file.toString())
                .doesNotContain("Exception")
                .doesNotContain("\tat ");
        for (String word : keyWords) {
            assertThat(r.err()).containsIgnoringCase(word);
        }
    }

    private static void assertSegment(JsonNode s, String role, long startMs, long endMs, double pitchHz,
            double levelDbfs) {
        assertThat(s.get("role").asText()).isEqualTo(role);
        assertThat(s.get("startMs").asLong()).as("%s startMs", role).isCloseTo(startMs, within(100L));
        assertThat(s.get("endMs").asLong()).as("%s endMs", role).isCloseTo(endMs, within(100L));
        assertThat(s.get("pitchMedianHz").asDouble()).as("%s pitch", role).isCloseTo(pitchHz, within(0.1 * pitchHz));
        assertThat(s.get("loudnessDbfs").isNumber()).isTrue();
        assertThat(s.get("loudnessDbfs").asDouble()).as("%s loudness", role).isCloseTo(levelDbfs, within(2.0));
    }

    // ---------------------------------------------------------------- signals and files

    /** RMS level of the left (150 Hz) and right (220 Hz) bursts, set by {@link #burst}. */
    private static final double LEFT_LEVEL_DBFS = -18.0;
    private static final double RIGHT_LEVEL_DBFS = -24.0;

    /**
     * Three seconds of stereo mu-law at 8 kHz: a 150 Hz harmonic-rich burst from 0.5 to 1.5 s on
     * the left, a 220 Hz one from 2.0 to 2.8 s on the right, and faint independent noise on both.
     */
    private Path writeSyntheticCall() throws IOException {
        int n = 3 * RATE;
        short[] left = new short[n];
        short[] right = new short[n];
        Random noise = new Random(2024);
        double noiseRms = 32768 * Math.pow(10, -62 / 20.0);
        double[] l = new double[n];
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            l[i] = noise.nextGaussian() * noiseRms;
            r[i] = noise.nextGaussian() * noiseRms;
        }
        burst(l, 150, 0.5, 1.5, LEFT_LEVEL_DBFS);
        burst(r, 220, 2.0, 2.8, RIGHT_LEVEL_DBFS);
        for (int i = 0; i < n; i++) {
            left[i] = (short) Math.round(l[i]);
            right[i] = (short) Math.round(r[i]);
        }
        Path file = dir.resolve("synthetic-call.wav");
        WavWriter.write(file, RATE, SampleEncoding.PCMU, left, right);
        return file;
    }

    /**
     * Adds a voiced-sounding burst: harmonics of {@code f0} up to 3.4 kHz falling at 6 dB per
     * octave, scaled to {@code levelDbfs} RMS, with 10 ms raised-cosine ramps at both ends.
     */
    private static void burst(double[] x, double f0, double fromS, double toS, double levelDbfs) {
        int from = (int) Math.round(fromS * RATE);
        int to = (int) Math.round(toS * RATE);
        int harmonics = (int) (3400 / f0);
        double power = 0;
        for (int k = 1; k <= harmonics; k++) {
            power += 0.5 / (k * (double) k);
        }
        double scale = 32768 * Math.pow(10, levelDbfs / 20) / Math.sqrt(power);
        int ramp = RATE / 100;
        for (int i = from; i < to; i++) {
            double t = (i - from) / (double) RATE;
            double v = 0;
            for (int k = 1; k <= harmonics; k++) {
                v += Math.sin(2 * Math.PI * k * f0 * t) / k;
            }
            double edge = Math.min(1, Math.min(i - from, to - 1 - i) / (double) ramp);
            x[i] += scale * v * (0.5 - 0.5 * Math.cos(Math.PI * edge));
        }
    }

    private static short[] tone(int rate, double hz) {
        short[] s = new short[rate];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) Math.round(8000 * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return s;
    }

    /** A WAV with any format tag, channel count and sample size, and {@code dataBytes} of zeros. */
    private static byte[] handMadeWav(int tag, int channels, int rate, int bits, int dataBytes) {
        int blockAlign = Math.max(1, channels * bits / 8);
        ByteBuffer b = ByteBuffer.allocate(12 + 8 + 18 + 8 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(b.capacity() - 8)
                .put("WAVE".getBytes(StandardCharsets.US_ASCII));
        b.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(18)
                .putShort((short) tag).putShort((short) channels).putInt(rate).putInt(rate * blockAlign)
                .putShort((short) blockAlign).putShort((short) bits).putShort((short) 0);
        b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(dataBytes);
        return b.array();
    }

    private static Arguments bad(String name, String namedFile, List<String> keyWords, Setup setup) {
        return Arguments.of(new BadInput(name, setup, namedFile, keyWords));
    }
}
