package io.earshot.pipeline.dashboard;

import io.earshot.contracts.AvroSerde;
import io.earshot.contracts.ConsumerLoop;
import io.earshot.contracts.Topics;
import io.earshot.pipeline.supervise.ComponentStatus;
import io.earshot.pipeline.supervise.Supervisor;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
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
 * last {@code lookback} (record timestamps are the times records were published, so
 * {@code offsetsForTimes} finds what came in lately, backfills included), replays that and then follows live;
 * it commits nothing. The lookback should cover the longest call and the live window (15
 * minutes); the default is an hour. Records it cannot decode, and records the floor cannot
 * apply (anything one record provokes short of a {@link VirtualMachineError}), are logged,
 * counted and skipped: the metric job dead-letters undecodable ones already.
 *
 * <p>The feed is a {@link ConsumerLoop} run under a {@link Supervisor} (component {@value #COMPONENT}): when its loop
 * fails outside a single record (Kafka unreachable while positioning, a poll that fails), a new
 * consumer starts after a pause at the positions the last one had reached (the lookback only
 * the first time), so the floor neither loses nor replays records across a restart.
 */
public final class FloorFeed implements AutoCloseable {

    public static final Duration DEFAULT_LOOKBACK = Duration.ofHours(1);

    /** The component's name in the status and in the log. */
    public static final String COMPONENT = "floor-feed";

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FloorFeed.class);

    static final List<String> TOPICS = List.of(Topics.CALLS, Topics.SPEECH, Topics.UTTERANCES, Topics.CALL_LIVE,
            Topics.CALL_SUMMARIES, Topics.AGENT_METRICS);

    private final FloorState floor;
    private final AvroSerde<SpecificRecord> serde = AvroSerde.ofAny(CallStarted.class, CallEnded.class,
            SpeechActivityChanged.class, SpeechSegmentDetected.class, UtteranceTranscribed.class,
            TranscriptionStatusReported.class, CallSummaryComputed.class, AgentMetricsComputed.class);
    private final Duration lookback;
    private final Clock clock;
    private final AtomicLong undecodable = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final CountDownLatch assigned = new CountDownLatch(1);
    private final ConsumerLoop<String, byte[]> loop;
    private final Supervisor supervisor;

    public FloorFeed(String bootstrapServers, FloorState floor, Duration lookback, Clock clock) {
        this(new io.earshot.pipeline.config.EarshotConfig.Kafka(bootstrapServers, java.util.Map.of()), floor,
                lookback, clock);
    }

    /** Following {@code kafka} with its client properties (security, tuning). */
    public FloorFeed(io.earshot.pipeline.config.EarshotConfig.Kafka kafka, FloorState floor, Duration lookback,
            Clock clock) {
        this(floor, lookback, clock, () -> newConsumer(kafka), Supervisor.Backoff.DEFAULT);
    }

    /**
     * With the consumers each attempt uses made by {@code consumers} (each is assigned and
     * positioned by the feed) and the pauses between restarts.
     */
    public FloorFeed(FloorState floor, Duration lookback, Clock clock, Supplier<KafkaConsumer<String, byte[]>> consumers,
            Supervisor.Backoff backoff) {
        this.floor = floor;
        this.lookback = lookback;
        this.clock = clock;
        this.loop = new ConsumerLoop<>(COMPONENT, consumers, this::position, Duration.ofMillis(100),
                ConsumerLoop.values(serde, (r, value) -> {
                    if (value != null) {
                        floor.apply(value);
                    }
                }, this::skipUndecodable, this::skipFailed), ConsumerLoop.Commit.NONE);
        this.supervisor = new Supervisor(COMPONENT, backoff, Clock.systemUTC(), h -> loop.run(h::recordHandled),
                loop::stop);
    }

    static KafkaConsumer<String, byte[]> newConsumer(io.earshot.pipeline.config.EarshotConfig.Kafka kafka) {
        Properties c = kafka.clientProperties(java.util.Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                ConsumerConfig.CLIENT_ID_CONFIG, "earshot-dashboard-" + java.util.UUID.randomUUID(),
                // the job's summaries and windows are transactional: never show what a failed attempt wrote
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
        return new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    }

    public FloorFeed start() {
        supervisor.start();
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

    /** Values that decoded but that the floor could not apply, skipped. */
    public long failed() {
        return failed.get();
    }

    /** The feed's state, restarts and last record time. */
    public ComponentStatus status() {
        return supervisor.status();
    }

    private void skipUndecodable(ConsumerRecord<String, byte[]> r, Throwable e) {
        undecodable.incrementAndGet();
        LOG.warn("floor: skipped {}[{}]@{}: it does not decode ({})", r.topic(), r.partition(), r.offset(),
                e.getClass().getSimpleName());
    }

    private void skipFailed(ConsumerRecord<String, byte[]> r, SpecificRecord value, Throwable e) {
        failed.incrementAndGet();
        LOG.warn("floor: skipped {}[{}]@{}: the floor could not apply it", r.topic(), r.partition(), r.offset(), e);
    }

    /**
     * Assigns every partition and seeks each to where the last attempt reached, or the first
     * time to the start of the lookback; {@code positions} carries the offsets from one attempt
     * to the next.
     */
    private void position(Consumer<String, byte[]> consumer, Map<TopicPartition, Long> positions) {
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
            Long reached = positions.get(p);
            OffsetAndTimestamp at = offsets.get(p);
            long offset = reached != null ? reached : at != null ? at.offset() : ends.get(p);
            consumer.seek(p, offset);
            positions.put(p, offset);
        }
        assigned.countDown();
    }

    @Override
    public void close() {
        supervisor.stop();
    }
}
