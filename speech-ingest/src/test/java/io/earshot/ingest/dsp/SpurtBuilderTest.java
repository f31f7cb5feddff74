package io.earshot.ingest.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.earshot.schemas.Role;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpurtBuilderTest {

    private final List<SpeechSegment> spurts = new ArrayList<>();
    private final SpurtBuilder builder = new SpurtBuilder(Role.CUSTOMER, VadConfig.DEFAULTS, new SpeechHandler() {
        @Override
        public void onSpeechStart(Role role, long atMs) {
            // only the finished spurts matter here
        }

        @Override
        public void onSegment(SpeechSegment segment) {
            spurts.add(segment);
        }
    });
    private long frame;

    private void frames(int n, boolean speech, double levelDbfs, double pitchHz) {
        for (int i = 0; i < n; i++) {
            builder.accept(frame++, speech, levelDbfs, pitchHz);
        }
    }

    @Test
    void shouldCarryALoudStretchInsideASpurtInItsContour() {
        frames(5, false, -70, Double.NaN);
        frames(20, true, -30, 110);   // 100-500 ms: two calm blocks
        frames(10, true, -20, 220);   // 500-700 ms: a loud block an octave up
        frames(5, true, -30, Double.NaN); // 700-800 ms: half a block, unvoiced
        frames(20, false, -70, Double.NaN);
        builder.finish();

        SpeechSegment s = spurts.get(0);
        assertThat(s.startMs()).isEqualTo(100);
        assertThat(s.endMs()).isEqualTo(800);
        assertThat(s.contourBlockMs()).isEqualTo(200);
        assertThat(s.contour()).hasSize(4);
        assertThat(s.contour().get(0).loudnessDbfs()).isCloseTo(-30, within(1e-5));
        assertThat(s.contour().get(0).pitchSemitones()).isCloseTo(12, within(1e-5)); // 110 Hz is an octave over 55 Hz
        assertThat(s.contour().get(2).loudnessDbfs()).isCloseTo(-20, within(1e-5));
        assertThat(s.contour().get(2).pitchSemitones()).isCloseTo(24, within(1e-5));
        assertThat(s.contour().get(3).pitchSemitones()).isNaN();
        // the spurt's single loudness averages the loud block away
        assertThat(s.loudnessDbfs()).isLessThan(-24);
    }

    @Test
    void shouldLeaveABlockInsideABridgedGapWithoutLevelOrPitch() {
        frames(10, true, -25, 150);    // 0-200 ms
        frames(12, false, -70, Double.NaN); // 240 ms gap, bridged: covers the block at 200-400 ms
        frames(10, true, -25, 150);    // 440-640 ms
        frames(20, false, -70, Double.NaN);
        builder.finish();

        assertThat(spurts).hasSize(1);
        List<ContourBlock> contour = spurts.get(0).contour();
        assertThat(contour).hasSize(4);
        assertThat(contour.get(1).loudnessDbfs()).isNaN();
        assertThat(contour.get(1).pitchSemitones()).isNaN();
        assertThat(contour.get(2).loudnessDbfs()).isCloseTo(-25, within(1e-5)); // 440-600 ms
        assertThat(contour.get(3).loudnessDbfs()).isCloseTo(-25, within(1e-5)); // 600-640 ms, a short last block
        assertThat(spurts.get(0).endMs()).isEqualTo(640);
    }
}
