package io.earshot.ingest.live;

import io.earshot.ingest.protocol.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.ingest.asr.Transcriber;
import io.earshot.ingest.asr.Utterance;
import io.earshot.schemas.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The shared recognition queue on its own: order per speaker, turns across calls, shutdown. */
class LiveTranscriptionTest {

    /** Holds its first region until released; records the order regions arrive in. */
    static final class GateOnFirst implements Transcriber {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<String> order = new ArrayList<>();

        @Override
        public List<Utterance> transcribe(Object speaker, Role role, short[] samples, int rate, long startMs) {
            boolean first;
            synchronized (this) {
                first = order.isEmpty();
                order.add(speaker + "@" + startMs);
            }
            if (first) {
                started.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return List.of();
        }

        synchronized List<String> order() {
            return List.copyOf(order);
        }

        @Override
        public void close() {
        }
    }

    /** Records outcomes in order and counts them down. */
    static final class Outcomes implements LiveTranscription.Outcome {
        final List<String> seen = new ArrayList<>();
        final CountDownLatch done;

        Outcomes(int expected) {
            this.done = new CountDownLatch(expected);
        }

        @Override
        public synchronized void transcribed(LiveTranscription.Job job, List<Utterance> utterances) {
            seen.add("transcribed " + job.speaker() + "@" + job.startMs());
            done.countDown();
        }

        @Override
        public synchronized void skipped(LiveTranscription.Job job, String why) {
            seen.add("skipped " + job.speaker() + "@" + job.startMs() + ": " + why);
            done.countDown();
        }

        synchronized List<String> seen() {
            return List.copyOf(seen);
        }
    }

    private static LiveTranscription.Job job(String speaker, long startMs, long queuedAt,
            LiveTranscription.Outcome outcome) {
        return new LiveTranscription.Job(speaker, Role.AGENT, new short[800], 8000, startMs, startMs + 100, queuedAt,
                outcome);
    }

    @Test
    void shouldKeepEachSpeakersRegionsInOrderAndLetOtherCallsTakeTurns() throws Exception {
        GateOnFirst transcriber = new GateOnFirst();
        MutableClock clock = MutableClock.atMillis(0);
        Outcomes outcomes = new Outcomes(5);
        try (LiveTranscription asr = new LiveTranscription(transcriber,
                new LiveTranscription.Config(1, Duration.ofSeconds(20)), clock)) {
            try {
                asr.submit(job("a#AGENT", 0, 0, outcomes));
                assertThat(transcriber.started.await(10, TimeUnit.SECONDS)).isTrue();
                asr.submit(job("a#AGENT", 1000, 0, outcomes));
                asr.submit(job("a#AGENT", 2000, 0, outcomes));
                asr.submit(job("b#AGENT", 500, 0, outcomes));
                asr.submit(job("c#CUSTOMER", 700, 0, outcomes));
                assertThat(asr.stats()).isEqualTo(new LiveTranscription.Stats(0, 5, 0, 0, 0));
                clock.advanceMillis(3000);
                assertThat(asr.stats().maxLagMs()).isEqualTo(3000);
                transcriber.release.countDown();
                assertThat(outcomes.done.await(10, TimeUnit.SECONDS)).isTrue();
            } finally {
                transcriber.release.countDown(); // never leave the worker blocked: close() joins it
            }
        }
        // call a had a region in recognition, so b and c go before a's next one
        assertThat(transcriber.order()).containsExactly("a#AGENT@0", "b#AGENT@500", "c#CUSTOMER@700",
                "a#AGENT@1000", "a#AGENT@2000");
        assertThat(outcomes.seen()).hasSize(5).allMatch(s -> s.startsWith("transcribed"));
    }

    @Test
    void shouldSkipQueuedRegionsWhenClosedSoThatCallsCanStillEnd() throws Exception {
        GateOnFirst transcriber = new GateOnFirst();
        MutableClock clock = MutableClock.atMillis(0);
        Outcomes outcomes = new Outcomes(3);
        LiveTranscription asr = new LiveTranscription(transcriber,
                new LiveTranscription.Config(1, Duration.ofSeconds(20)), clock);
        asr.submit(job("a#AGENT", 0, 0, outcomes));
        assertThat(transcriber.started.await(10, TimeUnit.SECONDS)).isTrue();
        asr.submit(job("a#AGENT", 1000, 0, outcomes));
        asr.submit(job("b#AGENT", 500, 0, outcomes));
        Thread closer = new Thread(asr::close);
        closer.start();
        try {
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); // a hang guard, not a speed check
            while (outcomes.done.getCount() > 1 && System.nanoTime() < giveUp) {
                Thread.onSpinWait(); // the two queued regions are skipped by close() itself
            }
            assertThat(outcomes.done.getCount()).isEqualTo(1);
        } finally {
            transcriber.release.countDown();
            closer.join();
        }
        assertThat(outcomes.seen()).containsExactlyInAnyOrder(
                "skipped a#AGENT@1000: live transcription shut down",
                "skipped b#AGENT@500: live transcription shut down",
                "transcribed a#AGENT@0");
        assertThat(transcriber.order()).containsExactly("a#AGENT@0");
        assertThat(asr.submit(job("a#AGENT", 3000, 0, outcomes))).isFalse();
        assertThat(asr.stats()).isEqualTo(new LiveTranscription.Stats(0, 0, 1, 2, 0));
    }
}
