package io.earshot.pipeline.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PacerTest {

    @ParameterizedTest(name = "{1} ms at speed {0} is due after {2} ns")
    @CsvSource({
            "1,    0,      0",
            "1,    100,    100000000",
            "1,    20000,  20000000000",
            "2,    100,    50000000",
            "10,   1000,   100000000",
            "0.5,  100,    200000000",
            "0,    100,    0",
            "0,    600000, 0",
    })
    void shouldMakeMediaTimeDueAtItsRealTimeDividedBySpeed(double speed, long mediaMs, long dueNanos) {
        assertThat(new Pacer(speed, () -> 0).dueOffsetNanos(mediaMs)).isEqualTo(dueNanos);
    }

    @Test
    void shouldCountDueTimesFromTheStartSoALateFrameDoesNotDelayTheNext() throws InterruptedException {
        AtomicLong now = new AtomicLong();
        Pacer pacer = new Pacer(2, () -> now.addAndGet(10_000_000L)); // every clock read is 10 ms later
        pacer.start(); // t = 10 ms

        pacer.awaitMedia(100); // due at 10 + 50 ms

        // it returns at the first clock reading at or past the due time, never before it
        assertThat(now.get()).isEqualTo(60_000_000L);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-1, Double.NaN, Double.POSITIVE_INFINITY})
    void shouldRefuseSpeedsThatAreNotFiniteAndNonNegative(double speed) {
        assertThatThrownBy(() -> new Pacer(speed, () -> 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
