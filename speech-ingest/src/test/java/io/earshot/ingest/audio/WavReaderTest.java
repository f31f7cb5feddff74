package io.earshot.ingest.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class WavReaderTest {

    private static final String SOURCE = "calls/2024-05-01/call-17.wav";

    @TempDir
    Path dir;

    // ---------------------------------------------------------------- good files

    @ParameterizedTest(name = "PCM16 {1} channel(s) at {0} Hz")
    @CsvSource({"8000, 1", "8000, 2", "16000, 1", "16000, 2"})
    void shouldDecodePcm16ToTheExactSamplesWritten(int rate, int channelCount) throws IOException {
        short[][] channels = new short[channelCount][];
        for (int c = 0; c < channelCount; c++) {
            channels[c] = randomPcm(rate / 10, 100 + c);
        }
        // the extremes must survive too
        channels[0][0] = Short.MIN_VALUE;
        channels[0][1] = Short.MAX_VALUE;

        WavAudio wav = WavReader.parse(SOURCE, WavWriter.encode(rate, SampleEncoding.PCM16, channels));

        assertThat(wav.sampleRate()).isEqualTo(rate);
        assertThat(wav.encoding()).isEqualTo(SampleEncoding.PCM16);
        assertThat(wav.channelCount()).isEqualTo(channelCount);
        assertThat(wav.frameCount()).isEqualTo(rate / 10);
        assertThat(wav.durationMs()).isEqualTo(100);
        for (int c = 0; c < channelCount; c++) {
            assertThat(wav.channels()[c]).as("channel %d", c).containsExactly(channels[c]);
        }
    }

    @ParameterizedTest(name = "{0} stereo at 8 kHz")
    @CsvSource({"PCMU", "PCMA"})
    void shouldDecodeG711StereoToTheExactCodeValuesWritten(SampleEncoding encoding) throws IOException {
        // values on the G.711 grid survive encoding unchanged; left and right differ everywhere
        short[] left = new short[800];
        short[] right = new short[800];
        for (int i = 0; i < left.length; i++) {
            byte code = (byte) i;
            byte other = (byte) (255 - i);
            left[i] = encoding == SampleEncoding.PCMU ? G711.ulawToLinear(code) : G711.alawToLinear(code);
            right[i] = encoding == SampleEncoding.PCMU ? G711.ulawToLinear(other) : G711.alawToLinear(other);
        }
        byte[] bytes = WavWriter.encode(8000, encoding, left, right);
        assertThat(new String(bytes, 12 + 8 + 18, 4, StandardCharsets.US_ASCII))
                .as("WavWriter puts a fact chunk between fmt and data").isEqualTo("fact");

        WavAudio wav = WavReader.parse(SOURCE, bytes);

        assertThat(wav.encoding()).isEqualTo(encoding);
        assertThat(wav.sampleRate()).isEqualTo(8000);
        assertThat(wav.channels()[0]).containsExactly(left);
        assertThat(wav.channels()[1]).containsExactly(right);
    }

    @Test
    void shouldDecodeWaveFormatExtensiblePcm16() throws IOException {
        short[] frames = {1, -1, 1000, -1000, Short.MAX_VALUE, Short.MIN_VALUE, 12345, -54};
        byte[] bytes = RiffBytes.wave()
                .fmtExtensible(RiffBytes.TAG_PCM, 2, 16000, 16)
                .pcm16Data(frames)
                .bytes();

        WavAudio wav = WavReader.parse(SOURCE, bytes);

        assertThat(wav.encoding()).isEqualTo(SampleEncoding.PCM16);
        assertThat(wav.sampleRate()).isEqualTo(16000);
        assertThat(wav.channels()[0]).containsExactly(1, 1000, Short.MAX_VALUE, 12345);
        assertThat(wav.channels()[1]).containsExactly(-1, -1000, Short.MIN_VALUE, -54);
    }

    @Test
    void shouldSkipAnOddSizedChunkAndItsPadByteBeforeData() throws IOException {
        byte[] info = "INFOx".getBytes(StandardCharsets.US_ASCII); // 5 bytes: padded to 6
        short[] samples = {0x0102, 0x0304, -2, 7};
        byte[] bytes = RiffBytes.wave()
                .fmt(RiffBytes.TAG_PCM, 1, 8000, 16)
                .chunk("LIST", info)
                .pcm16Data(samples)
                .bytes();
        assertThat(bytes[12 + 24 + 8 + 5]).as("pad byte").isZero();

        WavAudio wav = WavReader.parse(SOURCE, bytes);

        assertThat(wav.channels()[0]).containsExactly(samples);
    }

    @Test
    void shouldSkipUnknownChunksBetweenFmtAndDataAfterG711() throws IOException {
        byte[] bytes = RiffBytes.wave()
                .fmt(RiffBytes.TAG_ALAW, 1, 8000, 8)
                .chunk("fact", new byte[] {4, 0, 0, 0})
                .chunk("junk", new byte[] {1, 2, 3})
                .chunk("data", new byte[] {(byte) 0xD5, 0x55, (byte) 0xAA, 0x2A})
                .bytes();

        WavAudio wav = WavReader.parse(SOURCE, bytes);

        assertThat(wav.channels()[0]).containsExactly(8, -8, 32256, -32256);
    }

    @Test
    void shouldReadAFileFromDisk() throws IOException {
        Path file = dir.resolve("mono.wav");
        short[] samples = randomPcm(1600, 7);
        WavWriter.write(file, 16000, SampleEncoding.PCM16, samples);

        WavAudio wav = WavReader.read(file);

        assertThat(wav.channels()[0]).containsExactly(samples);
    }

    // ---------------------------------------------------------------- bad files

    static Stream<Arguments> badFiles() {
        short[] tone = randomPcm(80, 3);
        return Stream.of(
                Arguments.of("empty file", new byte[0], List.of("empty")),
                Arguments.of("text file",
                        "caller said the line was bad\nplease call back\n".getBytes(StandardCharsets.UTF_8),
                        List.of("not a WAV")),
                Arguments.of("shorter than a RIFF header", "RIFF".getBytes(StandardCharsets.US_ASCII),
                        List.of("not a WAV")),
                Arguments.of("RIFF without WAVE",
                        RiffBytes.wave().form("AVI ").fmt(RiffBytes.TAG_PCM, 1, 8000, 16).pcm16Data(tone).bytes(),
                        List.of("not a WAV")),
                Arguments.of("truncated data chunk",
                        RiffBytes.wave().fmt(RiffBytes.TAG_PCM, 1, 8000, 16)
                                .chunk("data", 16000, new byte[160]).bytes(),
                        List.of("truncated", "16000", "160")),
                Arguments.of("missing data chunk",
                        RiffBytes.wave().fmt(RiffBytes.TAG_PCM, 1, 8000, 16).chunk("LIST", new byte[10]).bytes(),
                        List.of("truncated", "no data chunk")),
                Arguments.of("missing fmt chunk, data present",
                        RiffBytes.wave().pcm16Data(tone).bytes(),
                        List.of("fmt")),
                Arguments.of("missing fmt chunk, nothing else",
                        RiffBytes.wave().chunk("LIST", new byte[4]).bytes(),
                        List.of("no fmt chunk")),
                Arguments.of("fmt chunk cut short",
                        RiffBytes.wave().chunk("fmt ", 16, new byte[] {1, 0, 1, 0, 0x40}).bytes(),
                        List.of("truncated", "fmt")),
                Arguments.of("44.1 kHz",
                        RiffBytes.wave().fmt(RiffBytes.TAG_PCM, 2, 44100, 16).pcm16Data(tone).bytes(),
                        List.of("unsupported sample rate 44100", "8000", "16000")),
                Arguments.of("6 channels",
                        RiffBytes.wave().fmt(RiffBytes.TAG_PCM, 6, 8000, 16).pcm16Data(tone).bytes(),
                        List.of("channel count 6", "mono or stereo")),
                Arguments.of("6 channels, extensible",
                        RiffBytes.wave().fmtExtensible(RiffBytes.TAG_PCM, 6, 16000, 16).pcm16Data(tone).bytes(),
                        List.of("channel count 6")),
                Arguments.of("MP3",
                        RiffBytes.wave().fmt(RiffBytes.TAG_MPEG_LAYER3, 1, 8000, 0)
                                .chunk("data", new byte[144]).bytes(),
                        List.of("unsupported encoding", "format tag 0x0055")),
                Arguments.of("extensible IEEE float",
                        RiffBytes.wave().fmtExtensible(3, 1, 16000, 32).chunk("data", new byte[64]).bytes(),
                        List.of("unsupported encoding", "format tag 0x0003")),
                Arguments.of("8-bit PCM",
                        RiffBytes.wave().fmt(RiffBytes.TAG_PCM, 1, 8000, 8).chunk("data", new byte[80]).bytes(),
                        List.of("8-bit", "expected 16-bit")),
                Arguments.of("24-bit PCM",
                        RiffBytes.wave().fmt(RiffBytes.TAG_PCM, 1, 16000, 24).chunk("data", new byte[240]).bytes(),
                        List.of("24-bit", "expected 16-bit")),
                Arguments.of("mu-law declared with 16 bits",
                        RiffBytes.wave().fmt(RiffBytes.TAG_ULAW, 1, 8000, 16).chunk("data", new byte[160]).bytes(),
                        List.of("16-bit", "PCMU", "expected 8-bit")),
                Arguments.of("data chunk with zero samples",
                        RiffBytes.wave().fmt(RiffBytes.TAG_PCM, 2, 8000, 16).chunk("data", new byte[0]).bytes(),
                        List.of("no audio samples")),
                Arguments.of("data chunk shorter than one frame",
                        RiffBytes.wave().fmt(RiffBytes.TAG_PCM, 2, 8000, 16).chunk("data", new byte[3]).bytes(),
                        List.of("no audio samples")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void shouldRejectUnusableAudioNamingTheSourceAndTheProblem(String name, byte[] bytes, List<String> keyWords) {
        assertThatThrownBy(() -> WavReader.parse(SOURCE, bytes))
                .isInstanceOf(AudioFormatException.class)
                .hasMessageStartingWith(SOURCE + ": ")
                .hasMessageContainingAll(keyWords.toArray(String[]::new))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void shouldRejectAMissingFileNamingIt() {
        Path missing = dir.resolve("nowhere.wav");

        assertThatThrownBy(() -> WavReader.read(missing))
                .isInstanceOf(AudioFormatException.class)
                .hasMessage(missing + ": no such file");
    }

    @Test
    void shouldRejectADirectoryNamingIt() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("recordings"));

        // a caller shows this message alone: it must say which path is wrong and why
        assertThatThrownBy(() -> WavReader.read(folder))
                .isInstanceOf(AudioFormatException.class)
                .hasMessageStartingWith(folder + ": ")
                .hasMessageContaining("directory");
    }

    // ---------------------------------------------------------------- calls (CallAudio.load)

    @Test
    void shouldSwapAgentAndCustomerWhenTheAgentIsOnTheRight() throws IOException {
        short[] left = randomPcm(800, 1);
        short[] right = randomPcm(800, 2);
        Path stereo = dir.resolve("stereo.wav");
        WavWriter.write(stereo, 8000, SampleEncoding.PCM16, left, right);

        CallAudio agentLeft = CallAudio.load(List.of(stereo), AgentChannel.LEFT);
        CallAudio agentRight = CallAudio.load(List.of(stereo), AgentChannel.RIGHT);

        assertThat(agentLeft.agent()).containsExactly(left);
        assertThat(agentLeft.customer()).containsExactly(right);
        assertThat(agentRight.agent()).containsExactly(right);
        assertThat(agentRight.customer()).containsExactly(left);
        assertThat(agentLeft.sampleRate()).isEqualTo(8000);
        assertThat(agentLeft.durationMs()).isEqualTo(100);
        assertThat(agentLeft.source()).isEqualTo(stereo.toString());
    }

    @Test
    void shouldPadTheShorterOfTwoMonoFilesWithSilence() throws IOException {
        short[] agent = randomPcm(1600, 3);
        short[] customer = randomPcm(1000, 4);
        Path agentFile = dir.resolve("agent.wav");
        Path customerFile = dir.resolve("customer.wav");
        WavWriter.write(agentFile, 16000, SampleEncoding.PCM16, agent);
        WavWriter.write(customerFile, 16000, SampleEncoding.PCM16, customer);

        CallAudio call = CallAudio.load(List.of(agentFile, customerFile), AgentChannel.LEFT);

        assertThat(call.agent()).containsExactly(agent);
        assertThat(call.customer()).hasSize(1600);
        assertThat(Arrays.copyOf(call.customer(), 1000)).containsExactly(customer);
        assertThat(Arrays.copyOfRange(call.customer(), 1000, 1600)).containsOnly((short) 0);
        assertThat(call.durationMs()).isEqualTo(100);
        assertThat(call.source()).contains("agent.wav").contains("customer.wav");

        // and the other way round: the agent is the shorter one
        CallAudio swapped = CallAudio.load(List.of(customerFile, agentFile), AgentChannel.LEFT);
        assertThat(swapped.agent()).hasSize(1600);
        assertThat(Arrays.copyOfRange(swapped.agent(), 1000, 1600)).containsOnly((short) 0);
        assertThat(swapped.customer()).containsExactly(agent);
    }

    @Test
    void shouldRejectTwoMonoFilesAtDifferentRatesNamingTheSecond() throws IOException {
        Path agentFile = dir.resolve("agent-8k.wav");
        Path customerFile = dir.resolve("customer-16k.wav");
        WavWriter.write(agentFile, 8000, SampleEncoding.PCMU, randomPcm(800, 5));
        WavWriter.write(customerFile, 16000, SampleEncoding.PCM16, randomPcm(1600, 6));

        assertThatThrownBy(() -> CallAudio.load(List.of(agentFile, customerFile), AgentChannel.LEFT))
                .isInstanceOf(AudioFormatException.class)
                .hasMessageStartingWith(customerFile + ": ")
                .hasMessageContainingAll("16000", "8000");
    }

    @Test
    void shouldRejectAStereoFileGivenAsOneOfTwo() throws IOException {
        Path agentFile = dir.resolve("agent.wav");
        Path stereoFile = dir.resolve("both.wav");
        WavWriter.write(agentFile, 8000, SampleEncoding.PCM16, randomPcm(800, 7));
        WavWriter.write(stereoFile, 8000, SampleEncoding.PCM16, randomPcm(800, 8), randomPcm(800, 9));

        assertThatThrownBy(() -> CallAudio.load(List.of(agentFile, stereoFile), AgentChannel.LEFT))
                .isInstanceOf(AudioFormatException.class)
                .hasMessageStartingWith(stereoFile + ": ")
                .hasMessageContainingAll("mono", "2 channels", "single file");
    }

    @Test
    void shouldRejectAMonoFileGivenAloneSuggestingTwoMonoFiles() throws IOException {
        Path mono = dir.resolve("agent-only.wav");
        WavWriter.write(mono, 8000, SampleEncoding.PCMA, randomPcm(800, 10));

        assertThatThrownBy(() -> CallAudio.load(List.of(mono), AgentChannel.LEFT))
                .isInstanceOf(AudioFormatException.class)
                .hasMessageStartingWith(mono + ": ")
                .hasMessageContainingAll("stereo", "1 channel", "two mono files");
    }

    @Test
    void shouldRejectThreeFiles() throws IOException {
        List<Path> files = List.of(dir.resolve("a.wav"), dir.resolve("b.wav"), dir.resolve("c.wav"));
        for (Path f : files) {
            WavWriter.write(f, 8000, SampleEncoding.PCM16, randomPcm(80, 11));
        }

        assertThatThrownBy(() -> CallAudio.load(files, AgentChannel.LEFT))
                .isInstanceOf(AudioFormatException.class)
                .hasMessageContainingAll("a.wav", "b.wav", "c.wav", "one stereo WAV", "two mono WAVs");
    }

    @Test
    void shouldPassOnTheReaderErrorForABadSecondFile() throws IOException {
        Path agentFile = dir.resolve("agent.wav");
        Path text = dir.resolve("notes.txt");
        WavWriter.write(agentFile, 8000, SampleEncoding.PCM16, randomPcm(800, 12));
        Files.writeString(text, "not audio");

        assertThatThrownBy(() -> CallAudio.load(List.of(agentFile, text), AgentChannel.LEFT))
                .isInstanceOf(AudioFormatException.class)
                .hasMessage(text + ": not a WAV file (no RIFF/WAVE header)");
    }

    private static short[] randomPcm(int n, long seed) {
        Random random = new Random(seed);
        short[] s = new short[n];
        for (int i = 0; i < n; i++) {
            s[i] = (short) random.nextInt(1 << 16);
        }
        return s;
    }
}
