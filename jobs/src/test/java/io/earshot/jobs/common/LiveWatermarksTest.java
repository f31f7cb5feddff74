package io.earshot.jobs.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.analysis.events.CallEvent;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

/** One partition's watermark generator, on a hand-moved processing clock. */
class LiveWatermarksTest {

    private static final long T0 = 1_700_000_000_000L;

    private long now = 5_000_000;
    private final Output output = new Output();
    private final LiveWatermarks.Generator generator = new LiveWatermarks.Generator(1_000, 2_000, () -> now);

    private static final class Output implements WatermarkOutput {
        final List<Long> watermarks = new ArrayList<>();
        boolean idle;

        @Override
        public void emitWatermark(Watermark watermark) {
            watermarks.add(watermark.getTimestamp());
            idle = false;
        }

        @Override
        public void markIdle() {
            idle = true;
        }

        @Override
        public void markActive() {
            idle = false;
        }
    }

    private void event(long timestamp) {
        generator.onEvent(CallEvent.undecodable("c", timestamp, "test"), timestamp, output);
    }

    @Test
    void shouldTrailTheNewestEventByTheOutOfOrdernessWhileRecordsFlow() {
        event(T0 + 5_000);
        event(T0 + 4_000);
        generator.onPeriodicEmit(output);
        now += 1_999;
        generator.onPeriodicEmit(output); // quiet, but not for the idle-advance time yet

        assertThat(output.watermarks).containsExactly(T0 + 5_000 - 1_000 - 1);
    }

    @Test
    void shouldFollowTheClockFromTheLastRecordOnceThePartitionIsQuiet() {
        event(T0 + 5_000);
        generator.onPeriodicEmit(output);
        now += 2_000;                     // quiet for exactly the idle-advance time
        generator.onPeriodicEmit(output);
        now += 700;
        generator.onPeriodicEmit(output);

        assertThat(output.watermarks).containsExactly(T0 + 3_999, T0 + 3_999 + 2_000, T0 + 3_999 + 2_700);
        assertThat(output.idle).isFalse();
    }

    @Test
    void shouldFallBackToTheOutOfOrdernessWhenRecordsComeAgain() {
        event(T0 + 5_000);
        now += 10_000;
        generator.onPeriodicEmit(output); // advanced 10 s past the last record
        event(T0 + 6_000);                // behind that: the watermark must not go back
        generator.onPeriodicEmit(output);
        event(T0 + 20_000);
        generator.onPeriodicEmit(output);

        assertThat(output.watermarks).containsExactly(T0 + 3_999 + 10_000, T0 + 18_999);
    }

    @Test
    void shouldMarkAPartitionIdleThatNeverDeliveredAnything() {
        generator.onPeriodicEmit(output);
        assertThat(output.idle).isFalse();

        now += 2_000;
        generator.onPeriodicEmit(output);

        assertThat(output.idle).isTrue();
        assertThat(output.watermarks).isEmpty();
    }

    private void event(String call, long timestamp) {
        CallEvent e = CallEvent.ended(call, 0, 0, "test");
        e.eventTimeMs = timestamp;
        generator.onEvent(e, timestamp, output);
    }

    @Test
    void shouldFollowTheCallThatIsFurthestBehindRatherThanTheNewestEvent() {
        // two calls in one partition, one's audio arriving 600 ms later than the other's
        event("early", T0 + 5_000);
        event("late", T0 + 4_400);
        generator.onPeriodicEmit(output);
        event("early", T0 + 5_100);
        generator.onPeriodicEmit(output);

        // the later call's next event, at T0 + 4_450, is still ahead of the watermark
        assertThat(output.watermarks).containsExactly(T0 + 4_400 - 1_000 - 1);
    }

    @Test
    void shouldLetAQuietCallFollowTheClockSoItDoesNotHoldThePartitionBack() {
        event("talking", T0 + 5_000);
        event("silent", T0 + 5_000);
        now += 3_000;  // both quiet for longer than the idle advance
        event("talking", T0 + 8_000);
        generator.onPeriodicEmit(output);

        // the silent call has gone on with the clock: 3 s past its last record
        assertThat(output.watermarks).containsExactly(T0 + 8_000 - 1_000 - 1);
    }

    @Test
    void shouldHoldAQuietCallAtItsNewestEventUntilTheIdleAdvanceHasPassed() {
        event("a", T0 + 5_000);
        event("b", T0 + 5_000);
        now += 1_500;
        event("a", T0 + 6_500);
        generator.onPeriodicEmit(output);

        assertThat(output.watermarks).containsExactly(T0 + 5_000 - 1_000 - 1);
    }

    @Test
    void shouldForgetCallsNotHeardOfForAMinute() {
        event("gone", T0 + 5_000);
        now += LiveWatermarks.FORGET_CALL_AFTER_MS;
        event("new", T0 + 5_000 + LiveWatermarks.FORGET_CALL_AFTER_MS);
        generator.onPeriodicEmit(output);

        assertThat(generator.trackedCalls()).isEqualTo(1);
        assertThat(output.watermarks).containsExactly(T0 + 5_000 + LiveWatermarks.FORGET_CALL_AFTER_MS - 1_000 - 1);
    }
}
