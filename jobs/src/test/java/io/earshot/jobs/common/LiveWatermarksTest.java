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
}
