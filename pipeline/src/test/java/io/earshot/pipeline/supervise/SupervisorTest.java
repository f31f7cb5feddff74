package io.earshot.pipeline.supervise;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SupervisorTest {

    private static final Supervisor.Backoff FAST = new Supervisor.Backoff(Duration.ofMillis(1), Duration.ofMillis(4));

    @Test
    void shouldRestartALoopThatThrowsAndShowTheRestartInItsStatus() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch secondAttemptHandled = new CountDownLatch(1);
        Supervisor s = new Supervisor("c", FAST, Clock.systemUTC(), beat -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("jdbc:postgresql://db/earshot?password=secret broke");
            }
            beat.recordHandled();
            secondAttemptHandled.countDown();
            stop.await();
        }, stop::countDown).start();

        assertThat(secondAttemptHandled.await(10, TimeUnit.SECONDS)).isTrue();
        ComponentStatus status = s.status();
        assertThat(status.state()).isEqualTo(ComponentStatus.State.RUNNING);
        assertThat(status.restarts()).isEqualTo(1);
        assertThat(status.lastError()).isEqualTo("IllegalStateException");
        assertThat(status.lastErrorAt()).isNotNull();
        assertThat(status.lastRecordAt()).isNotNull();
        s.close();
        assertThat(s.status().state()).isEqualTo(ComponentStatus.State.STOPPED);
        assertThat(attempts).hasValue(2);
    }

    @Test
    void shouldRestartOnAnErrorThatIsNotTheVirtualMachines() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        CountDownLatch stop = new CountDownLatch(1);
        Supervisor s = new Supervisor("c", FAST, Clock.systemUTC(), beat -> {
            if (attempts.incrementAndGet() <= 2) {
                throw new AssertionError("a broken invariant");
            }
            stop.await();
        }, stop::countDown).start();

        await(() -> attempts.get() == 3 && s.status().state() == ComponentStatus.State.RUNNING);
        assertThat(s.status().restarts()).isEqualTo(2);
        assertThat(s.status().lastError()).isEqualTo("AssertionError");
        s.close();
    }

    @Test
    void shouldRestartALoopThatReturnsWithoutBeingClosed() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        CountDownLatch stop = new CountDownLatch(1);
        Supervisor s = new Supervisor("c", FAST, Clock.systemUTC(), beat -> {
            if (attempts.incrementAndGet() == 1) {
                return;
            }
            stop.await();
        }, stop::countDown).start();

        await(() -> attempts.get() == 2);
        assertThat(s.status().restarts()).isEqualTo(1);
        s.close();
    }

    @Test
    void shouldMarkTheComponentFailedAndNotRestartItOnAVirtualMachineError() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        Supervisor s = new Supervisor("c", FAST, Clock.systemUTC(), beat -> {
            attempts.incrementAndGet();
            throw new OutOfMemoryError("injected");
        }, () -> { });
        s.start();
        await(() -> s.status().state() == ComponentStatus.State.FAILED);
        StatusBoard board = new StatusBoard().add(s::status);
        assertThat(board.healthy()).isFalse();
        assertThat(StatusHandler.render(board).get("status").asText()).isEqualTo("failed");
        s.close();
        assertThat(attempts).hasValue(1);
        assertThat(s.status().state()).isEqualTo(ComponentStatus.State.FAILED);
        assertThat(s.status().lastError()).isEqualTo("OutOfMemoryError");
    }

    @Test
    void shouldShowEveryComponentWithoutTheFailuresMessage() throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        AtomicInteger attempts = new AtomicInteger();
        Supervisor failing = new Supervisor("store-writer", FAST, Clock.systemUTC(), beat -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("password=hunter2 for user alice");
            }
            stop.await();
        }, stop::countDown).start();
        Supervisor quiet = new Supervisor("floor-feed", FAST, Clock.systemUTC(), beat -> stop.await(),
                stop::countDown).start();
        await(() -> attempts.get() == 2);
        StatusBoard board = new StatusBoard().add(failing::status).add(quiet::status);

        String json = StatusHandler.render(board).toString();
        assertThat(board.healthy()).isTrue();
        assertThat(StatusHandler.render(board).get("status").asText()).isEqualTo("ok");
        assertThat(StatusHandler.render(board).get("components")).extracting(c -> c.get("name").asText())
                .containsExactlyElementsOf(List.of("store-writer", "floor-feed"));
        assertThat(StatusHandler.render(board).get("components").get(0).get("restarts").asLong()).isEqualTo(1);
        assertThat(StatusHandler.render(board).get("components").get(0).get("lastError").asText())
                .isEqualTo("IllegalStateException");
        assertThat(json).doesNotContain("hunter2").doesNotContain("alice");
        failing.close();
        quiet.close();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition reached in time").isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
