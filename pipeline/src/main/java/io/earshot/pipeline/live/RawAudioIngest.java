package io.earshot.pipeline.live;

import io.earshot.contracts.AvroSerde;
import io.earshot.ingest.live.CallInfo;
import io.earshot.ingest.live.LiveCall;
import io.earshot.ingest.protocol.CallRejectedException;
import io.earshot.ingest.protocol.IngestLimits;
import io.earshot.ingest.protocol.kafka.RawAudioConsumer;
import io.earshot.ingest.protocol.kafka.RawAudioListener;
import io.earshot.pipeline.supervise.ComponentStatus;
import io.earshot.pipeline.supervise.Supervisor;
import io.earshot.schemas.CallStarted;
import io.earshot.schemas.EventRejected;
import io.earshot.schemas.SourceProtocol;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Live ingest of audio an integrator publishes to Kafka ({@code earshot.audio-raw}): the
 * {@link RawAudioConsumer} protocol of speech ingest, wired to the {@link CallRegistry} (its calls
 * go through the same registry as a WebSocket call and its events are published like theirs) and
 * to the dead-letter topic.
 *
 * <p>The consumer runs under a {@link Supervisor} (component {@value #COMPONENT}): when its loop
 * fails outside a single record (a poll or commit that fails, a broker that cannot be reached),
 * it starts again with a new consumer after a pause, from the group's committed offsets. The
 * calls in progress stay open across the restart; a record delivered again is refused as a
 * repeated sequence, never applied twice.
 */
public final class RawAudioIngest implements AutoCloseable {

    /** How far one party's audio may run ahead of the other's before the other is taken as silent. */
    public static final long MAX_SKEW_MS = RawAudioConsumer.MAX_SKEW_MS;

    /**
     * The default longest gap in a party's positions taken as silence; a chunk further ahead is refused
     * (filling a gap costs memory and time in proportion to its length, and a record's position
     * is whatever its producer wrote).
     */
    public static final long MAX_GAP_MS = 60_000;

    /** The component's name in the status and in the log. */
    public static final String COMPONENT = "raw-audio";

    /** The default call-duration and gap bounds of raw audio. */
    static final IngestLimits DEFAULT_LIMITS = new IngestLimits(IngestLimits.DEFAULT_MAX_CALL_DURATION,
            Duration.ofMillis(MAX_GAP_MS), false, Duration.ZERO, Duration.ZERO, 1, 1);

    private final CallRegistry calls;
    private final RawAudioConsumer consumer;
    private final Supervisor supervisor;

    public RawAudioIngest(String bootstrap, String groupId, Map<String, String> extra, CallRegistry calls) {
        this(bootstrap, groupId, extra, calls, DEFAULT_LIMITS);
    }

    /**
     * @param limits the gap and call-duration bounds ({@code ingest.limits}); a chunk at or past
     *               the duration ends the call with that reason and is refused. The wall-clock and
     *               message-rate bounds do not apply: a topic may hold a backlog.
     */
    public RawAudioIngest(String bootstrap, String groupId, Map<String, String> extra, CallRegistry calls,
            IngestLimits limits) {
        this(bootstrap, extra, calls, limits, () -> newConsumer(bootstrap, groupId, extra),
                Supervisor.Backoff.DEFAULT);
    }

    /** With the consumers each attempt uses made by {@code consumers}. */
    RawAudioIngest(String bootstrap, Map<String, String> extra, CallRegistry calls, IngestLimits limits,
            Supplier<KafkaConsumer<String, byte[]>> consumers, Supervisor.Backoff backoff) {
        this.calls = calls;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.putAll(extra);
        KafkaProducer<String, EventRejected> deadLetters = new KafkaProducer<>(p, new StringSerializer(),
                AvroSerde.of(EventRejected.class));
        consumer = new RawAudioConsumer(COMPONENT, consumers, deadLetters, new RawAudioListener() {
            @Override
            public LiveCall start(CallStarted started) {
                return startCall(started);
            }

            @Override
            public void audio(LiveCall call, short[] agent, short[] customer, long positionSamples) {
                call.push(agent, customer, positionSamples);
                calls.audioReceived(call, agent.length);
            }

            @Override
            public void finish(String callId, String reason) {
                calls.finish(callId, reason);
            }
        }, limits);
        supervisor = new Supervisor(COMPONENT, backoff, Clock.systemUTC(), h -> consumer.run(h::recordHandled),
                consumer::stop);
    }

    static KafkaConsumer<String, byte[]> newConsumer(String bootstrap, String groupId, Map<String, String> extra) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.putAll(extra);
        return new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    }

    public RawAudioIngest start() {
        supervisor.start();
        return this;
    }

    /** Records turned into dead letters so far. */
    public long rejected() {
        return consumer.rejected();
    }

    /** The consumer's state, restarts and last record time. */
    public ComponentStatus status() {
        return supervisor.status();
    }

    /** The raw-audio protocol's calls, in the registry: agents assigned, audio counted. */
    private LiveCall startCall(CallStarted s) {
        String id = s.getCallId().toString();
        AgentDirectory.Assignment who;
        try {
            who = calls.agents().assign(s.getAgentId().toString(), str(s.getTeam()), str(s.getQueue()));
        } catch (CallRejectedException e) {
            calls.refused();
            throw e;
        }
        return calls.start(new CallInfo(id, who.agentId(), who.team(), who.queue(), SourceProtocol.KAFKA_RAW,
                s.getChannels(), s.getMediaStartTime().toEpochMilli(), s.getSampleRate(),
                who.defaulted() || s.getAwaitingAssignment()));
    }

    private static String str(CharSequence s) {
        return s == null ? null : s.toString();
    }

    @Override
    public void close() {
        supervisor.stop();
        consumer.close();
    }
}
