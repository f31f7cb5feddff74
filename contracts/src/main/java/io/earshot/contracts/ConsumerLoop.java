package io.earshot.contracts;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll loop of every long-lived Earshot Kafka consumer (raw-audio ingest, the store writer,
 * the floor feed, the metrics watcher): one attempt ({@link #run}) makes a new consumer,
 * attaches it (subscribes, or assigns and seeks), polls until {@link #stop()}, hands each poll
 * to its handler, optionally commits the poll's offsets, and closes the consumer.
 *
 * <p>Failure policy. Whatever one record provokes is that record's: {@link #records} catches it
 * (a {@link VirtualMachineError} excepted) and passes it to the consumer's failure callback,
 * which dead-letters or counts and skips it; the loop carries on with the next record. Whatever
 * fails outside a record (the consumer cannot be made or attached, a poll fails) escapes
 * {@link #run}, ending the attempt: whoever runs the loop (the pipeline's supervisor) decides
 * whether and when to call {@link #run} again, which then starts from a new consumer.
 *
 * <p>Positions. After each handled poll the loop notes the next offset of every partition the
 * poll touched; the map is handed to the next attempt's {@link Attach}, so a consumer that seeks
 * by itself (no group) resumes where the last attempt was.
 *
 * <p>Stopping. {@link #stop()} may come from any thread: it clears the running flag and wakes a
 * blocked poll; the attempt then returns normally, never with the wake-up.
 *
 * @param <K> the record key
 * @param <V> the record value
 */
public final class ConsumerLoop<K, V> {

    /** Attaches a new consumer to its partitions. */
    @FunctionalInterface
    public interface Attach<K, V> {
        /**
         * @param positions the next offset of every partition reached by earlier attempts of this
         *                  loop; the attach may add to it (e.g. where it seeked first)
         */
        void attach(Consumer<K, V> consumer, Map<TopicPartition, Long> positions);
    }

    /** Handles one poll's records. */
    @FunctionalInterface
    public interface PollHandler<K, V> {
        /**
         * @param handled to be called as records are dealt with (stored, applied, dead-lettered or
         *                skipped), so the loop's owner sees it make progress
         * @return {@link Outcome#HANDLED}, or {@link Outcome#RETRY} to have the poll delivered again
         * @throws Exception ends the attempt: nothing of the poll is committed
         */
        Outcome handle(ConsumerRecords<K, V> records, Runnable handled) throws Exception;

        /**
         * Called after a handled poll's offsets were committed (or the commit was given up: a
         * rebalance, a stop), before the next poll; a handler that reports progress only once
         * its offsets are committed does it here.
         */
        default void committed(ConsumerRecords<K, V> records, Runnable handled) {
        }
    }

    /** Handles one record; whatever it throws is that record's failure. */
    @FunctionalInterface
    public interface RecordHandler<K, V> {
        void handle(ConsumerRecord<K, V> record) throws Exception;
    }

    /** Handles one decoded record value (null for a tombstone); whatever it throws is that record's failure. */
    @FunctionalInterface
    public interface ValueHandler<K, T> {
        void handle(ConsumerRecord<K, byte[]> record, T value) throws Exception;
    }

    /** What becomes of a record whose handling failed: a dead letter, or a count and a skip. */
    @FunctionalInterface
    public interface RecordFailure<K, V> {
        void failed(ConsumerRecord<K, V> record, Throwable failure);
    }

    /** What becomes of a record whose value decoded but could not be handled. */
    @FunctionalInterface
    public interface ValueFailure<K, T> {
        void failed(ConsumerRecord<K, byte[]> record, T value, Throwable failure);
    }

    /** How a poll ended. */
    public enum Outcome {
        /** Every record was dealt with: commit (if the loop commits) and go on. */
        HANDLED,
        /** Nothing was kept: seek back to the poll's first offsets and deliver it again. */
        RETRY
    }

    /** Whether the loop commits offsets itself. */
    public enum Commit {
        /** The loop commits nothing (a consumer without a group, or with Kafka's auto-commit). */
        NONE,
        /** After each handled poll, its offsets are committed synchronously: at least once. */
        AFTER_EACH_POLL
    }

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLoop.class);

    private final String name;
    private final Supplier<? extends Consumer<K, V>> consumers;
    private final Attach<K, V> attach;
    private final Duration pollTimeout;
    private final PollHandler<K, V> handler;
    private final Commit commit;
    private final Map<TopicPartition, Long> positions = new HashMap<>();
    private volatile boolean running = true;
    private volatile Consumer<K, V> consumer;

    /**
     * @param name      names the loop in its log lines
     * @param consumers makes each attempt's consumer
     */
    public ConsumerLoop(String name, Supplier<? extends Consumer<K, V>> consumers, Attach<K, V> attach,
            Duration pollTimeout, PollHandler<K, V> handler, Commit commit) {
        this.name = Objects.requireNonNull(name, "name");
        this.consumers = Objects.requireNonNull(consumers, "consumers");
        this.attach = Objects.requireNonNull(attach, "attach");
        this.pollTimeout = Objects.requireNonNull(pollTimeout, "pollTimeout");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.commit = Objects.requireNonNull(commit, "commit");
    }

    /** Attaches by subscribing to {@code topics} (the group's committed offsets, or the reset policy). */
    public static <K, V> Attach<K, V> subscribe(List<String> topics) {
        List<String> copy = List.copyOf(topics);
        return (consumer, positions) -> consumer.subscribe(copy);
    }

    /**
     * Handles a poll record by record: anything {@code handler} throws for a record (a
     * {@link VirtualMachineError} excepted) goes to {@code failure} and the next record is handled.
     */
    public static <K, V> PollHandler<K, V> records(RecordHandler<K, V> handler, RecordFailure<K, V> failure) {
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(failure, "failure");
        return (records, handled) -> {
            for (ConsumerRecord<K, V> r : records) {
                try {
                    handler.handle(r);
                } catch (VirtualMachineError e) {
                    throw e;
                } catch (Exception | Error e) {
                    failure.failed(r, e);
                }
                handled.run();
            }
            return Outcome.HANDLED;
        };
    }

    /**
     * Handles a poll record by record, decoding each value with {@code values} first: a value that
     * does not decode goes to {@code undecodable}, one that decoded but that {@code handler} fails
     * on goes to {@code failed} (a {@link VirtualMachineError} excepted in both).
     */
    public static <K, T> PollHandler<K, byte[]> values(Deserializer<? extends T> values, ValueHandler<K, T> handler,
            RecordFailure<K, byte[]> undecodable, ValueFailure<K, T> failed) {
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(undecodable, "undecodable");
        Objects.requireNonNull(failed, "failed");
        return records(r -> {
            T value;
            try {
                value = values.deserialize(r.topic(), r.value());
            } catch (VirtualMachineError e) {
                throw e;
            } catch (RuntimeException | Error e) {
                undecodable.failed(r, e);
                return;
            }
            try {
                handler.handle(r, value);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Exception | Error e) {
                failed.failed(r, value, e);
            }
        }, (r, e) -> {
            throw new IllegalStateException("a failure callback failed", e);
        });
    }

    /**
     * One attempt: a new consumer, attached, polling until {@link #stop()}; returns once stopped.
     *
     * @param handled called as records are dealt with
     * @throws Exception whatever ends the attempt outside a single record (the consumer is closed)
     */
    public void run(Runnable handled) throws Exception {
        Consumer<K, V> c = consumers.get();
        consumer = c;
        try {
            if (!running) {
                return;
            }
            attach.attach(c, positions);
            while (running) {
                ConsumerRecords<K, V> records = c.poll(pollTimeout);
                if (records.isEmpty()) {
                    continue;
                }
                if (handler.handle(records, handled) == Outcome.RETRY) {
                    for (TopicPartition p : records.partitions()) {
                        c.seek(p, records.records(p).get(0).offset());
                    }
                    continue;
                }
                Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
                for (TopicPartition p : records.partitions()) {
                    List<ConsumerRecord<K, V>> inPartition = records.records(p);
                    long offset = inPartition.get(inPartition.size() - 1).offset() + 1;
                    next.put(p, new OffsetAndMetadata(offset));
                    positions.put(p, offset);
                }
                if (commit == Commit.AFTER_EACH_POLL) {
                    commit(c, next);
                }
                handler.committed(records, handled);
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } finally {
            c.close();
        }
    }

    private void commit(Consumer<K, V> c, Map<TopicPartition, OffsetAndMetadata> offsets) {
        try {
            c.commitSync(offsets);
        } catch (WakeupException e) {
            // stopping: the poll was handled; the next attempt's replay of it changes nothing
            running = false;
        } catch (KafkaException e) {
            // a rebalance took the partitions away: whoever gets them handles the poll again
            LOG.warn("{}: could not commit offsets after handling a poll ({}); it will be handled again", name,
                    e.getMessage());
        }
    }

    /** Ends the running attempt (and any later one) from any thread: its poll wakes up and it returns. */
    public void stop() {
        running = false;
        Consumer<K, V> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    /** Whether {@link #stop()} has not been called. */
    public boolean running() {
        return running;
    }
}
