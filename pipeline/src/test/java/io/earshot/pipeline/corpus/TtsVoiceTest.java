package io.earshot.pipeline.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TtsVoiceTest {

    @ParameterizedTest
    @ValueSource(strings = {"flite:kal16", "festival:kal_diphone,pitch=-300", "espeak:en-us+f2,pitch=+150,tempo=1.05",
        "espeak:en-gb,tempo=0.90"})
    void shouldParseItsOwnId(String id) {
        assertThat(TtsVoice.parse(id).id()).isEqualTo(id);
    }

    @Test
    void shouldKeepTheFixturesVoicesOutOfTheOffer() {
        assertThat(TtsVoice.BASE_VOICES).extracting(TtsVoice::name)
                .doesNotContain("rms", "awb", "slt", "cmu_us_slt_arctic_hts");
    }

    @Test
    void shouldDrawShiftsWithinTheirRanges() {
        Random rng = new Random(3);
        for (int i = 0; i < 500; i++) {
            TtsVoice v = TtsVoice.draw(rng, TtsVoice.BASE_VOICES);
            assertThat(v.pitchCents()).isBetween(-300, 300);
            assertThat(v.pitchCents() % 50).isZero();
            assertThat(v.tempo()).isBetween(0.9, 1.15);
            assertThat(TtsVoice.BASE_VOICES).contains(v.base());
        }
    }

    @Test
    void shouldRejectShiftsOutsideTheRanges() {
        assertThatThrownBy(() -> TtsVoice.FLITE_KAL16.withPitch(400)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TtsVoice.FLITE_KAL16.withTempo(1.3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TtsVoice.of(TtsVoice.Engine.FLITE, "kal; rm")).isInstanceOf(IllegalArgumentException.class);
    }
}
