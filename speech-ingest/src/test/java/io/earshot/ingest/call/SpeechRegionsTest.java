package io.earshot.ingest.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.ingest.dsp.SpeechSegment;
import io.earshot.schemas.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
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

    /**
     * Random spurt lists (gaps around the join gap, long stretches that hit the longest region,
     * spurts near the call's end) fed one by one give exactly what plan() gives.
     */
    @Test
    void shouldPlanTheSameRegionsIncrementallyAsInOneGoForRandomSpurts() {
        Random random = new Random(20261130L);
        for (int trial = 0; trial < 2000; trial++) {
            List<SpeechSegment> spurts = new ArrayList<>();
            long t = random.nextInt(600);
            int n = random.nextInt(40);
            for (int i = 0; i < n; i++) {
                long length = 120 + random.nextInt(random.nextBoolean() ? 800 : 9000);
                spurts.add(spurt(t, t + length));
                t += length + 260 + random.nextInt(random.nextBoolean() ? 1600 : 6000);
            }
            long durationMs = spurts.isEmpty() ? t : spurts.get(spurts.size() - 1).endMs() + random.nextInt(500);

            List<SpeechRegions.Region> incremental = new ArrayList<>();
            SpeechRegions.Planner planner = new SpeechRegions.Planner();
            for (SpeechSegment s : spurts) {
                Optional<SpeechRegions.Region> closed = planner.add(s);
                closed.ifPresent(r -> incremental.add(SpeechRegions.clip(r, durationMs)));
                // a region closes only once a spurt beyond its join horizon arrives
                closed.ifPresent(r -> assertThat(s.startMs()).isGreaterThanOrEqualTo(r.endMs()));
            }
            planner.close().ifPresent(r -> incremental.add(SpeechRegions.clip(r, durationMs)));

            assertThat(incremental).as("trial %d, spurts %s", trial, spurts)
                    .isEqualTo(SpeechRegions.plan(spurts, durationMs));
            assertThat(incremental).as("trial %d", trial).hasSizeGreaterThanOrEqualTo(spurts.isEmpty() ? 0 : 1);
        }
    }

    @Test
    void shouldNotLetASpurtBeyondTheJoinHorizonJoinThePendingRegion() {
        SpeechRegions.Planner planner = new SpeechRegions.Planner();
        assertThat(planner.add(spurt(1000, 2000))).isEmpty();
        long horizon = planner.joinHorizonMs();
        assertThat(horizon).isEqualTo(2000 + SpeechRegions.DEFAULT_MARGIN_AFTER_MS
                + SpeechRegions.DEFAULT_JOIN_GAP_MS + SpeechRegions.DEFAULT_MARGIN_BEFORE_MS);
        assertThat(planner.add(spurt(horizon - 1, horizon + 500))).isEmpty(); // just inside: joins
        SpeechRegions.Planner other = new SpeechRegions.Planner();
        other.add(spurt(1000, 2000));
        assertThat(other.add(spurt(horizon, horizon + 500)))
                .contains(new SpeechRegions.Region(750, 2350));
    }
}
