package io.earshot.ingest.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MessageRateTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Test
    void shouldAllowTheBurstAtOnceThenRefuse() {
        MessageRate rate = new MessageRate(10, 5, nanos::get);
        for (int i = 0; i < 5; i++) {
            assertThat(rate.tryAcquire()).as("message %d", i).isTrue();
        }
        assertThat(rate.tryAcquire()).isFalse();
    }

    @Test
    void shouldRefillAtTheRateUpToTheBurst() {
        MessageRate rate = new MessageRate(10, 5, nanos::get);
        for (int i = 0; i < 5; i++) {
            rate.tryAcquire();
        }
        nanos.addAndGet(100_000_000L); // 0.1 s: one message
        assertThat(rate.tryAcquire()).isTrue();
        assertThat(rate.tryAcquire()).isFalse();
        nanos.addAndGet(60_000_000_000L); // a minute idle saves up the burst, no more
        int allowed = 0;
        while (rate.tryAcquire()) {
            allowed++;
        }
        assertThat(allowed).isEqualTo(5);
    }

    @Test
    void shouldSustainExactlyTheRate() {
        MessageRate rate = new MessageRate(100, 1, nanos::get);
        int allowed = 0;
        for (int i = 0; i < 1000; i++) {
            nanos.addAndGet(5_000_000L); // 200 attempts a second for 5 s
            if (rate.tryAcquire()) {
                allowed++;
            }
        }
        assertThat(allowed).isEqualTo(500);
    }
}
