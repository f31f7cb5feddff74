package io.earshot.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ConsumerLoopTest {

    private static final TopicPartition P0 = new TopicPartition("t", 0);

    /** A mock consumer that notes the seeks and commits made on it (readable after it is closed). */
    private static final class NotingConsumer extends MockConsumer<String, byte[]> {
        final List<Long> seeks = new ArrayList<>();
        final List<Map<TopicPartition, OffsetAndMetadata>> commits = new ArrayList<>();

        NotingConsumer() {
            super("earliest");
        }

        @Override
        public synchronized void seek(TopicPartition partition, long offset) {
            seeks.add(offset);
            super.seek(partition, offset);
        }

        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
            commits.add(Map.copyOf(offsets));
            super.commitSync(offsets);
        }
    }

    private static NotingConsumer consumer(String... values) {
        NotingConsumer c = new NotingConsumer();
        c.assign(List.of(P0));
        c.updateBeginningOffsets(Map.of(P0, 0L));
        for (int i = 0; i < values.length; i++) {
            c.addRecord(new ConsumerRecord<>("t", 0, i, "k" + i, values[i].getBytes(StandardCharsets.UTF_8)));
        }
        return c;
    }

    private static final ConsumerLoop.Attach<String, byte[]> SEEK_TO_START = (c, positions) -> c.seek(P0,
            positions.getOrDefault(P0, 0L));

    @Test
    void shouldPassAFailingRecordToItsFailureCallbackAndHandleTheOthers() throws Exception {
        MockConsumer<String, byte[]> c = consumer("a", "bad", "c");
        List<String> handled = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        AtomicInteger beats = new AtomicInteger();
        AtomicReference<ConsumerLoop<String, byte[]>> loop = new AtomicReference<>();
        loop.set(new ConsumerLoop<>("test", () -> c, SEEK_TO_START, Duration.ofMillis(1),
                ConsumerLoop.records(r -> {
                    String v = new String(r.value(), StandardCharsets.UTF_8);
                    if (v.equals("bad")) {
                        throw new IllegalArgumentException("bad record");
                    }
                    handled.add(v);
                    if (v.equals("c")) {
                        loop.get().stop();
                    }
                }, (r, e) -> failed.add(r.key() + ": " + e.getMessage())), ConsumerLoop.Commit.NONE));

        loop.get().run(beats::incrementAndGet);

        assertThat(handled).containsExactly("a", "c");
        assertThat(failed).containsExactly("k1: bad record");
        assertThat(beats).hasValue(3);
        assertThat(c.closed()).isTrue();
    }

    @Test
    void shouldSendUndecodableAndUnhandledValuesToTheirOwnCallbacks() throws Exception {
        MockConsumer<String, byte[]> c = consumer("1", "x", "-2", "3");
        List<Integer> handled = new ArrayList<>();
        List<String> undecodable = new ArrayList<>();
        List<Integer> failed = new ArrayList<>();
        AtomicReference<ConsumerLoop<String, byte[]>> loop = new AtomicReference<>();
        loop.set(new ConsumerLoop<>("test", () -> c, SEEK_TO_START, Duration.ofMillis(1),
                ConsumerLoop.<String, Integer>values((topic, bytes) -> Integer.valueOf(new String(bytes, StandardCharsets.UTF_8)),
                        (r, v) -> {
                            if (v < 0) {
                                throw new IllegalStateException("negative");
                            }
                            handled.add(v);
                            if (v == 3) {
                                loop.get().stop();
                            }
                        }, (r, e) -> undecodable.add(r.key()), (r, v, e) -> failed.add(v)),
                ConsumerLoop.Commit.NONE));

        loop.get().run(() -> { });

        assertThat(handled).containsExactly(1, 3);
        assertThat(undecodable).containsExactly("k1");
        assertThat(failed).containsExactly(-2);
    }

    @Test
    void shouldCommitTheOffsetsOfEachHandledPoll() throws Exception {
        NotingConsumer c = consumer("a", "b");
        AtomicReference<ConsumerLoop<String, byte[]>> loop = new AtomicReference<>();
        loop.set(new ConsumerLoop<>("test", () -> c, SEEK_TO_START, Duration.ofMillis(1), (records, handled) -> {
            loop.get().stop();
            return ConsumerLoop.Outcome.HANDLED;
        }, ConsumerLoop.Commit.AFTER_EACH_POLL));

        loop.get().run(() -> { });

        assertThat(c.commits).containsExactly(Map.of(P0, new OffsetAndMetadata(2)));
    }

    @Test
    void shouldSeekBackToThePollsFirstOffsetsAndCommitNothingWhenItsHandlerAsksForARetry() throws Exception {
        NotingConsumer c = new NotingConsumer();
        c.assign(List.of(P0));
        c.updateBeginningOffsets(Map.of(P0, 0L));
        c.addRecord(new ConsumerRecord<>("t", 0, 5, "k5", new byte[0]));
        c.addRecord(new ConsumerRecord<>("t", 0, 6, "k6", new byte[0]));
        AtomicReference<ConsumerLoop<String, byte[]>> loop = new AtomicReference<>();
        loop.set(new ConsumerLoop<>("test", () -> c, (consumer, positions) -> { }, Duration.ofMillis(1),
                (records, handled) -> {
                    loop.get().stop();
                    return ConsumerLoop.Outcome.RETRY;
                }, ConsumerLoop.Commit.AFTER_EACH_POLL));

        loop.get().run(() -> { });

        assertThat(c.seeks).last().isEqualTo(5L);
        assertThat(c.commits).isEmpty();
    }

    @Test
    void shouldEndTheAttemptWhenAPollFailsAndResumeTheNextFromThePositionsReached() throws Exception {
        MockConsumer<String, byte[]> first = consumer("a", "b");
        List<String> seen = new ArrayList<>();
        AtomicInteger attempt = new AtomicInteger();
        MockConsumer<String, byte[]> second = consumer("a", "b", "c");
        AtomicReference<ConsumerLoop<String, byte[]>> loop = new AtomicReference<>();
        loop.set(new ConsumerLoop<>("test", () -> attempt.incrementAndGet() == 1 ? first : second, SEEK_TO_START,
                Duration.ofMillis(1), ConsumerLoop.records(r -> {
                    String v = new String(r.value(), StandardCharsets.UTF_8);
                    seen.add(v);
                    if (v.equals("b")) {
                        first.setPollException(new KafkaException("broker gone"));
                    }
                    if (v.equals("c")) {
                        loop.get().stop();
                    }
                }, (r, e) -> { }), ConsumerLoop.Commit.NONE));

        assertThatThrownBy(() -> loop.get().run(() -> { })).isInstanceOf(KafkaException.class);
        assertThat(first.closed()).isTrue();
        loop.get().run(() -> { });

        assertThat(seen).containsExactly("a", "b", "c");
    }

    @Test
    void shouldReturnAtOnceWhenStoppedBeforeTheAttemptStarts() throws Exception {
        MockConsumer<String, byte[]> c = consumer("a");
        List<String> seen = new ArrayList<>();
        ConsumerLoop<String, byte[]> loop = new ConsumerLoop<>("test", () -> c, SEEK_TO_START, Duration.ofMillis(1),
                ConsumerLoop.records(r -> seen.add(r.key()), (r, e) -> { }), ConsumerLoop.Commit.NONE);
        loop.stop();

        loop.run(() -> { });

        assertThat(seen).isEmpty();
        assertThat(loop.running()).isFalse();
        assertThat(c.closed()).isTrue();
    }
}
