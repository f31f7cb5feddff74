package io.earshot.ingest.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.ingest.dsp.SpeechSegment;
import io.earshot.schemas.Role;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpeechRegionsTest {

    private static SpeechSegment spurt(long start, long end) {
        return new SpeechSegment(Role.AGENT, 0, start, end, Double.NaN, Double.NaN, -20, 0.5);
    }

    @Test
    void shouldWidenSpurtsByTheMarginsAndClipToTheCall() {
        assertThat(SpeechRegions.plan(List.of(spurt(100, 1000), spurt(5000, 5900)), 6000))
                .containsExactly(new SpeechRegions.Region(0, 1350), new SpeechRegions.Region(4750, 6000));
    }

    @Test
    void shouldJoinSpurtsWhoseWidenedSpansAreCloserThanTheJoinGap() {
        assertThat(SpeechRegions.plan(List.of(spurt(1000, 2000), spurt(2800, 3500)), 10_000))
                .containsExactly(new SpeechRegions.Region(750, 3850));
    }

    @Test
    void shouldSplitALongStretchOfSpeechInAPauseWithoutOverlap() {
        List<SpeechSegment> spurts = new ArrayList<>();
        for (long t = 1000; t < 40_000; t += 2000) {
            spurts.add(spurt(t, t + 1700)); // 300 ms pauses: all would join
        }
        List<SpeechRegions.Region> regions = SpeechRegions.plan(spurts, 60_000);
        assertThat(regions).hasSizeGreaterThan(2);
        for (int i = 0; i < regions.size(); i++) {
            SpeechRegions.Region r = regions.get(i);
            assertThat(r.endMs() - r.startMs()).isLessThanOrEqualTo(SpeechRegions.DEFAULT_MAX_REGION_MS);
            if (i > 0) {
                assertThat(r.startMs()).isGreaterThanOrEqualTo(regions.get(i - 1).endMs());
            }
        }
        for (SpeechSegment s : spurts) {
            assertThat(regions).anyMatch(r -> r.startMs() <= s.startMs() && r.endMs() >= s.endMs());
        }
    }
}
