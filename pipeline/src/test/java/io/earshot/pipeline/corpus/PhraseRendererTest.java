package io.earshot.pipeline.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.earshot.pipeline.corpus.PhraseRenderer.Phrase;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Renders with the real synthesisers (installed by the build's install-tts.sh). */
class PhraseRendererTest {

    private static final String SENTENCE = "could you confirm the address on the account for me";

    @TempDir
    Path cache;
    private final List<PhraseRenderer> renderers = new ArrayList<>();

    private PhraseRenderer renderer() {
        PhraseRenderer r = new PhraseRenderer(cache, Duration.ofSeconds(60));
        renderers.add(r);
        return r;
    }

    @AfterEach
    void stopSynthesisers() {
        renderers.forEach(PhraseRenderer::close);
    }

    @ParameterizedTest
    @ValueSource(strings = {"flite:kal16", "flite:kal", "festival:kal_diphone", "festival:ked_diphone",
        "espeak:en-us+f2"})
    void shouldRenderAnAudiblePhraseAtTheReferenceLevel(String voice) throws IOException {
        Phrase p = renderer().render(TtsVoice.parse(voice), "okay i see");

        assertThat(p.durationMs()).isBetween(300, 1500);
        assertThat(Levels.activeLevelDb(TelephoneBand.filter(p.samples())))
                .isCloseTo(PhraseRenderer.REFERENCE_LEVEL_DBFS, within(1.0));
    }

    @Test
    void shouldTrimSilenceSoBothEndsAreAudible() throws IOException {
        double[] x = TelephoneBand.filter(renderer().render(TtsVoice.FLITE_KAL16, SENTENCE).samples());

        // within 60 ms of either end the phrase rises above the trim threshold: no silent margin is left
        assertThat(Levels.rmsDbfs(x, 0, 60 * 8)).isGreaterThan(PhraseRenderer.TRIM_DBFS);
        assertThat(Levels.rmsDbfs(x, x.length - 60 * 8, x.length)).isGreaterThan(PhraseRenderer.TRIM_DBFS);
        assertThat(Math.abs(x[0])).isLessThan(0.01);
    }

    @Test
    void shouldServeASecondRenderFromTheCacheWithoutSynthesising() throws IOException {
        PhraseRenderer first = renderer();
        Phrase a = first.render(TtsVoice.ESPEAK_US_F2, SENTENCE);
        PhraseRenderer second = renderer();
        Phrase b = second.render(TtsVoice.ESPEAK_US_F2, SENTENCE);

        assertThat(first.synthesisedCount()).isEqualTo(1);
        assertThat(second.synthesisedCount()).isZero();
        assertThat(b.samples()).isEqualTo(a.samples());
        String key = first.cacheKey(TtsVoice.ESPEAK_US_F2, SENTENCE);
        assertThat(Files.readString(cache.resolve(key + ".txt"))).startsWith("espeak:en-us+f2\n" + SENTENCE + "\n");
    }

    @Test
    void shouldKeyTheCacheByVoiceAndText() throws IOException {
        PhraseRenderer r = renderer();

        assertThat(r.cacheKey(TtsVoice.FLITE_KAL16, "yes")).isEqualTo(r.cacheKey(TtsVoice.FLITE_KAL16, "yes"))
                .isNotEqualTo(r.cacheKey(TtsVoice.FLITE_KAL16, "yes yes"))
                .isNotEqualTo(r.cacheKey(TtsVoice.FLITE_KAL16.withPitch(100), "yes"))
                .isNotEqualTo(r.cacheKey(TtsVoice.FLITE_KAL, "yes"));
    }

    @Test
    void shouldShortenAPhraseByTheTempoFactor() throws IOException {
        PhraseRenderer r = renderer();
        int plain = r.render(TtsVoice.FLITE_KAL16, SENTENCE).durationMs();
        int fast = r.render(TtsVoice.FLITE_KAL16.withTempo(1.15), SENTENCE).durationMs();

        assertThat((double) fast).isCloseTo(plain / 1.15, within(plain * 0.06));
    }

    @Test
    void shouldKeepTheLengthButChangeTheSoundWithAPitchShift() throws IOException {
        PhraseRenderer r = renderer();
        Phrase plain = r.render(TtsVoice.FLITE_KAL16, SENTENCE);
        Phrase higher = r.render(TtsVoice.FLITE_KAL16.withPitch(300), SENTENCE);

        assertThat((double) higher.durationMs()).isCloseTo(plain.durationMs(), within(plain.durationMs() * 0.05));
        assertThat(Arrays.equals(higher.samples(), plain.samples())).isFalse();
    }

    @Test
    void shouldRenderFestivalPhrasesOneAfterAnotherInOneProcessAsText2waveDoes() throws IOException {
        PhraseRenderer r = renderer();
        Phrase first = r.render(TtsVoice.FESTIVAL_KED, "sure");
        Phrase second = r.render(TtsVoice.FESTIVAL_KED, SENTENCE);
        Path wav = cache.resolve("text2wave.wav");
        Path text = cache.resolve("text.txt");
        Files.writeString(text, SENTENCE + "\n");
        ExternalCommand.run(List.of("text2wave", "-eval", "(voice_ked_diphone)", "-o", wav.toString(), text.toString()),
                Duration.ofSeconds(60));
        Path raw = cache.resolve("text2wave.f32");
        ExternalCommand.run(List.of("sox", "-R", "-V1", wav.toString(), "-t", "raw", "-e", "floating-point", "-b", "32",
                "-c", "1", raw.toString(), "rate", "-v", "8000"), Duration.ofSeconds(60));
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(raw)).order(ByteOrder.LITTLE_ENDIAN);
        double[] reference = new double[b.remaining() / 4];
        for (int i = 0; i < reference.length; i++) {
            reference[i] = b.getFloat();
        }

        assertThat(first.durationMs()).isBetween(150, 900);
        assertThat(second.samples()).isEqualTo(PhraseRenderer.trim(reference, TtsVoice.FESTIVAL_KED, SENTENCE));
    }

    @Test
    void shouldRejectTextThatIsNotPlainLowerCaseWords() {
        assertThatThrownBy(() -> renderer().render(TtsVoice.FLITE_KAL16, "Hello (world)"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> renderer().render(TtsVoice.FLITE_KAL16, "two  spaces"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldFailLoudlyOnAVoiceTheEngineDoesNotHave() {
        assertThatThrownBy(() -> renderer().render(TtsVoice.of(TtsVoice.Engine.FESTIVAL, "no_such_diphone"), "yes"))
                .isInstanceOf(IOException.class).hasMessageContaining("voice_no_such_diphone");
    }
}
