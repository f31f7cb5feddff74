package io.earshot.pipeline.dashboard;

import io.earshot.jobs.common.AvroSerde;
import io.earshot.jobs.common.Topics;
import io.earshot.schemas.AgentMetricsComputed;
import io.earshot.schemas.CallEnded;
import io.earshot.schemas.CallStarted;
import io.earshot.schemas.CallSummaryComputed;
import io.earshot.schemas.SpeechActivityChanged;
import io.earshot.schemas.SpeechSegmentDetected;
import io.earshot.schemas.TranscriptionStatusReported;
import io.earshot.schemas.UtteranceTranscribed;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Feeds a {@link FloorState} from Kafka: {@code earshot.calls}, {@code earshot.speech},
 * {@code earshot.utterances}, {@code earshot.call-live}, {@code earshot.call-summaries} and
 * {@code earshot.agent-metrics}.
 *
 * <p>Why not a consumer group reading from latest: the floor lives in memory, so a dashboard
 * that restarts from committed (or latest) offsets would show every agent idle until their
 * next call starts, and the calls in progress without their start, timeline or transcript.
 * Instead the feed assigns itself every partition and seeks each to the first record of the
 * last {@code lookback} (record timestamps are event times, i.e. wall-clock instants of the
 * call's media, so {@code offsetsForTimes} finds them), replays that and then follows live;
 * it commits nothing. The lookback should cover the longest call and the live window (15
 * minutes); the default is an hour. Records it cannot decode are counted and skipped:
 * the metric job dead-letters them already.
 */
public final class FloorFeed implements AutoCloseable {

    public static final Duration DEFAULT_LOOKBACK = Duration.ofHours(1);

    static final List<String> TOPICS = List.of(Topics.CALLS, Topics.SPEECH, Topics.UTTERANCES, Topics.CALL_LIVE,
            Topics.CALL_SUMMARIES, Topics.AGENT_METRICS);

    private final FloorState floor;
    private final KafkaConsumer<String, byte[]> consumer;
    private final AvroSerde<SpecificRecord> serde = AvroSerde.ofAny(CallStarted.class, CallEnded.class,
            SpeechActivityChanged.class, SpeechSegmentDetected.class, UtteranceTranscribed.class,
            TranscriptionStatusReported.class, CallSummaryComputed.class, AgentMetricsComputed.class);
    private final Duration lookback;
    private final Clock clock;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong undecodable = new AtomicLong();
    private final CountDownLatch assigned = new CountDownLatch(1);
    private final Thread thread;

    public FloorFeed(String bootstrapServers, FloorState floor, Duration lookback, Clock clock) {
        this.floor = floor;
        this.lookback = lookback;
        this.clock = clock;
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "earshot-dashboard-" + java.util.UUID.randomUUID());
        consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        thread = new Thread(this::run, "floor-feed");
        thread.setDaemon(true);
    }

    public FloorFeed start() {
        thread.start();
        return this;
    }

    /** Waits until the feed has positioned itself on every partition (then it follows live). */
    public boolean awaitAssigned(Duration timeout) throws InterruptedException {
        return assigned.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Values the feed could not decode and skipped. */
    public long undecodable() {
        return undecodable.get();
    }

    private void run() {
        try {
            position();
            assigned.countDown();
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    SpecificRecord value;
                    try {
                        value = serde.deserialize(r.topic(), r.value());
                    } catch (SerializationException e) {
                        undecodable.incrementAndGet();
                        continue;
                    }
                    if (value != null) {
                        floor.apply(value);
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    private void position() {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : TOPICS) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            for (PartitionInfo p : infos) {
                partitions.add(new TopicPartition(p.topic(), p.partition()));
            }
        }
        consumer.assign(partitions);
        long since = clock.millis() - lookback.toMillis();
        Map<TopicPartition, Long> times = new HashMap<>();
        partitions.forEach(p -> times.put(p, since));
        Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(times, Duration.ofSeconds(30));
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
        for (TopicPartition p : partitions) {
            OffsetAndTimestamp at = offsets.get(p);
            consumer.seek(p, at != null ? at.offset() : ends.get(p));
        }
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
