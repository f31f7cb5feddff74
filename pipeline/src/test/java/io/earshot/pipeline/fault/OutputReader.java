package io.earshot.pipeline.fault;

import io.earshot.contracts.AvroSerde;
import io.earshot.contracts.Topics;
import io.earshot.pipeline.fault.RecordedCalls.WindowKey;
import io.earshot.schemas.AgentMetricsComputed;
import io.earshot.schemas.CallSummaryComputed;
import io.earshot.schemas.EventRejected;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the job's outputs as its consumers do ({@code read_committed}, from the beginning) on a
 * thread of its own and keeps every record with the moment it arrived, so a test can wait on
 * what has arrived and time the recovery from a fault.
 */
final class OutputReader implements AutoCloseable {

    /** One output record as read, and when ({@link System#nanoTime()}). */
    record Received(String topic, String key, SpecificRecord value, long timestampMs, long arrivedNanos) {
    }

    private final Feed committed;
    /**
     * The same topics read uncommitted, for a failure's explanation only: a window that a
     * {@code read_committed} reader never saw but this one did was written in a transaction that
     * was aborted or never committed; one that neither saw was never sent.
     */
    private final Feed uncommitted;
    private final long startedNanos = System.nanoTime();

    private OutputReader(String bootstrap) {
        committed = new Feed(bootstrap, "read_committed");
        uncommitted = new Feed(bootstrap, "read_uncommitted");
    }

    static OutputReader start(String bootstrap) {
        return new OutputReader(bootstrap);
    }

    /** One consumer of the outputs on a thread of its own, keeping what it read. */
    private static final class Feed {
        private final KafkaConsumer<String, SpecificRecord> consumer;
        private final List<Received> received = new ArrayList<>();
        private final Thread thread;
        private volatile boolean running = true;

        Feed(String bootstrap, String isolation) {
            consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation), new StringDeserializer(),
                    AvroSerde.ofAny(CallSummaryComputed.class, AgentMetricsComputed.class, EventRejected.class));
            // every partition assigned by hand, no group: the position lives here alone, so nothing a
            // coordinator does (a broker restart moves it) can make the reader read a record twice
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(Topics.CALL_LIVE, Topics.CALL_SUMMARIES, Topics.AGENT_METRICS,
                    Topics.DEAD_LETTERS)) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            thread = new Thread(this::run, "fault-test-reader-" + isolation);
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            try {
                while (running) {
                    for (ConsumerRecord<String, SpecificRecord> r : consumer.poll(Duration.ofMillis(200))) {
                        synchronized (received) {
                            received.add(new Received(r.topic(), r.key(), r.value(), r.timestamp(),
                                    System.nanoTime()));
                        }
                    }
                }
            } catch (WakeupException e) {
                // closing
            } finally {
                consumer.close(Duration.ofSeconds(5));
            }
        }

        /** Everything read so far from one topic, in arrival order. */
        List<Received> records(String topic) {
            synchronized (received) {
                return received.stream().filter(r -> r.topic().equals(topic)).toList();
            }
        }

        void close() throws InterruptedException {
            running = false;
            consumer.wakeup();
            thread.join(10_000);
        }
    }

    /**
     * What became of a window the committed reader has not read: the uncommitted records with its
     * key (partition offset order is the order they were written in), or that none was written.
     */
    String fate(WindowKey missing) {
        List<Received> written = uncommitted.records(Topics.AGENT_METRICS).stream()
                .filter(r -> WindowKey.of((AgentMetricsComputed) r.value()).equals(missing)).toList();
        if (written.isEmpty()) {
            return "never written to " + Topics.AGENT_METRICS;
        }
        return "written uncommitted " + written.size() + " time(s), read "
                + written.stream().map(r -> String.format("%.1f s", (r.arrivedNanos() - startedNanos) / 1e9)).toList()
                + " after the reader started, but never committed";
    }

    /** Everything read so far from one topic, in arrival order. */
    List<Received> records(String topic) {
        return committed.records(topic);
    }

    /** The final summaries read so far. */
    List<CallSummaryComputed> finals() {
        return records(Topics.CALL_SUMMARIES).stream().map(r -> (CallSummaryComputed) r.value()).toList();
    }

    /** The windows read so far. */
    List<AgentMetricsComputed> windows() {
        return records(Topics.AGENT_METRICS).stream().map(r -> (AgentMetricsComputed) r.value()).toList();
    }

    /** Whether every window of {@code keys} has been read. */
    boolean hasWindows(List<WindowKey> keys) {
        var read = windows().stream().map(WindowKey::of).collect(java.util.stream.Collectors.toSet());
        return read.containsAll(keys);
    }

    /** The first record of {@code topic} that arrived after {@code nanos} and matches, or null. */
    Received firstAfter(String topic, long nanos, Predicate<Received> matching) {
        return records(topic).stream().filter(r -> r.arrivedNanos() > nanos && matching.test(r)).findFirst()
                .orElse(null);
    }

    @Override
    public void close() throws InterruptedException {
        committed.close();
        uncommitted.close();
    }
}
