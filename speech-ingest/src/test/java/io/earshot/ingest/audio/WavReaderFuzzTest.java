package io.earshot.ingest.audio;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of {@link WavReader#parse}: any bytes either decode to audio the rest
 * of the pipeline can use (a supported rate, mono or stereo, channels of equal, non-zero length)
 * or fail with an {@link AudioFormatException} naming the source and the problem. Anything else
 * thrown is a finding. The seeds ({@code WavReaderFuzzTestInputs/}) are small WAVs of every
 * supported format: PCM16, mu-law and A-law, 8 and 16 kHz, mono and stereo, plain and
 * WAVE_FORMAT_EXTENSIBLE, with an extra chunk before the data.
 */
class WavReaderFuzzTest {

    private static final String SOURCE = "fuzz.wav";

    @FuzzTest(maxDuration = "30s")
    void decodesEveryFileOrRejectsItWithAFormatError(byte[] file) {
        WavAudio audio;
        try {
            audio = WavReader.parse(SOURCE, file);
        } catch (AudioFormatException e) {
            assertThat(e.getMessage()).startsWith(SOURCE + ": ");
            return;
        }
        assertThat(WavReader.SUPPORTED_RATES).contains(audio.sampleRate());
        assertThat(audio.channelCount()).isBetween(1, 2);
        assertThat(audio.frameCount()).isPositive();
        for (short[] channel : audio.channels()) {
            assertThat(channel).hasSize(audio.frameCount());
        }
    }
}
