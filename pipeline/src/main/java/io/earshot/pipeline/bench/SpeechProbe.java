package io.earshot.pipeline.bench;

import io.earshot.contracts.AvroSerde;
import io.earshot.contracts.ConsumerLoop;
import io.earshot.contracts.Topics;
import io.earshot.schemas.SpeechActivityChanged;
import io.earshot.schemas.SpeechSegmentDetected;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The live benchmark's view of {@code earshot.speech}: when each spurt and each speech edge
 * could first be read from Kafka, so the end-to-end latency splits into ingest (voice-activity
 * decision, publishing) and the metric job (watermark, marks, output), and the speech edges the
 * floor shows get a latency of their own. A reader of its own, as the job and the floor are, on
 * the project's {@link ConsumerLoop}; a record that does not decode is not the benchmark's to
 * judge and is skipped.
 */
final class SpeechProbe implements AutoCloseable {

    /** When a spurt of a call (by its end, media ms) was read. */
    private final Map<String, Map<Long, Long>> segmentsRead = new ConcurrentHashMap<>();
    /** Each speech edge read, in the order read: call, role, media position, kind, wall ms read. */
    private final List<Edge> edges = new CopyOnWriteArrayList<>();
    private final ConsumerLoop<String, byte[]> loop;
    private final Thread thread;
    private volatile boolean assigned;

    record Edge(String callId, io.earshot.schemas.Role role, long atMs, boolean speaking, boolean provisional,
            long readAtMs) {
    }

    SpeechProbe(String bootstrap, Map<String, String> clientProperties) {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "earshot-bench-probe-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        AvroSerde<SpecificRecord> serde = AvroSerde.ofAny(SpeechSegmentDetected.class, SpeechActivityChanged.class);
        loop = new ConsumerLoop<>("bench-speech-probe",
                () -> new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer()),
                (consumer, positions) -> consumer.subscribe(List.of(Topics.SPEECH), new ConsumerRebalanceListener() {
                    @Override
                    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                        assigned = true;
                    }

                    @Override
                    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    }
                }),
                Duration.ofMillis(20),
                ConsumerLoop.values(serde, (r, v) -> read(v, System.currentTimeMillis()), (r, e) -> { },
                        (r, v, e) -> { }),
                ConsumerLoop.Commit.NONE);
        thread = new Thread(() -> {
            try {
                loop.run(() -> { });
            } catch (Exception e) {
                throw new IllegalStateException("the benchmark's speech probe stopped", e);
            }
        }, "bench-speech-probe");
        thread.setDaemon(true);
    }

    /** Starts reading and returns once the consumer has its partitions (so nothing new is missed). */
    SpeechProbe start() throws InterruptedException {
        thread.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!assigned && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return this;
    }

    private void read(SpecificRecord v, long now) {
        if (v instanceof SpeechSegmentDetected s) {
            segmentsRead.computeIfAbsent(s.getCallId().toString(), k -> new ConcurrentHashMap<>())
                    .putIfAbsent(s.getEndMs(), now);
        } else if (v instanceof SpeechActivityChanged a) {
            edges.add(new Edge(a.getCallId().toString(), a.getRole(), a.getAtMs(), a.getSpeaking(),
                    a.getProvisional(), now));
        }
    }

    /** When the spurt of {@code callId} ending at media {@code endMs} was read, or null. */
    Long segmentRead(String callId, long endMs) {
        Map<Long, Long> m = segmentsRead.get(callId);
        return m == null ? null : m.get(endMs);
    }

    List<Edge> edges() {
        return List.copyOf(edges);
    }

    @Override
    public void close() throws InterruptedException {
        loop.stop();
        thread.join(5_000);
    }
}
