package io.earshot.pipeline.live;

import io.earshot.ingest.audio.G711;
import io.earshot.ingest.audio.Pcm16;
import io.earshot.ingest.live.CallInfo;
import io.earshot.ingest.live.LiveCall;
import io.earshot.ingest.protocol.CallRejectedException;
import io.earshot.ingest.protocol.IngestLimits;
import io.earshot.ingest.protocol.LogSafe;
import io.earshot.contracts.AvroSerde;
import io.earshot.contracts.ConsumerLoop;
import io.earshot.contracts.Topics;
import io.earshot.pipeline.supervise.ComponentStatus;
import io.earshot.pipeline.supervise.Supervisor;
import io.earshot.schemas.AudioEncoding;
import io.earshot.schemas.CallEnded;
import io.earshot.schemas.CallStarted;
import io.earshot.schemas.EventRejected;
import io.earshot.schemas.RawAudioChunk;
import io.earshot.schemas.Role;
import io.earshot.schemas.SourceProtocol;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Live ingest of audio an integrator publishes to Kafka ({@code earshot.audio-raw}, keyed by
 * call id): a {@code CallStarted} with source protocol KAFKA_RAW announces the call, then
 * {@code RawAudioChunk}s of each party follow, and a {@code CallEnded} ends it. The call then
 * goes through the same {@link CallRegistry} as a WebSocket call and its events are published
 * like theirs.
 *
 * <p>The two parties' chunks are aligned by media position: audio is released to the call as
 * far as both parties have sent it; a party that falls more than {@value #MAX_SKEW_MS} ms
 * behind the other is taken as silent up to there, so one silent or lost party does not stall
 * the call. A gap in positions is silence. Anything unusable (an undecodable record, a chunk of
 * an unknown call, audio that overlaps audio already released, a sample rate other than the
 * call's, a sequence gap) becomes an {@code EventRejected} on {@code earshot.dead-letters} with
 * the reason; the call and every other call carry on. So does anything else one record provokes,
 * an {@link Error} included (a {@link VirtualMachineError} excepted).
 *
 * <p>The consumer is a {@link ConsumerLoop} run under a {@link Supervisor} (component {@value #COMPONENT}): when its loop
 * fails outside a single record (a poll or commit that fails, a broker that cannot be reached),
 * it starts again with a new consumer after a pause, from the group's committed offsets. The
 * calls in progress stay open across the restart; a record delivered again is refused as a
 * repeated sequence, never applied twice.
 */
public final class RawAudioIngest implements AutoCloseable {

    /** How far one party's audio may run ahead of the other's before the other is taken as silent. */
    public static final long MAX_SKEW_MS = 1_000;

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

    private final long maxGapMs;
    private final long maxCallMs;

    private static final System.Logger LOG = System.getLogger(RawAudioIngest.class.getName());

    private final CallRegistry calls;
    private final KafkaProducer<String, EventRejected> deadLetters;
    private final AvroSerde<SpecificRecord> serde = AvroSerde.ofAny(CallStarted.class, RawAudioChunk.class,
            CallEnded.class);
    private final Map<String, Aligner> open = new HashMap<>();
    private final AtomicLong rejected = new AtomicLong();
    private final ConsumerLoop<String, byte[]> loop;
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
        this.maxGapMs = limits.maxGap().toMillis();
        this.maxCallMs = limits.maxCallDuration().toMillis();
        this.calls = calls;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.putAll(extra);
        deadLetters = new KafkaProducer<>(p, new StringSerializer(), AvroSerde.of(EventRejected.class));
        loop = new ConsumerLoop<>(COMPONENT, consumers, ConsumerLoop.subscribe(List.of(Topics.AUDIO_RAW)),
                Duration.ofMillis(100), ConsumerLoop.values(serde, this::handle, this::undecodable, this::failed),
                ConsumerLoop.Commit.NONE);
        supervisor = new Supervisor(COMPONENT, backoff, Clock.systemUTC(), h -> loop.run(h::recordHandled),
                loop::stop);
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
        return rejected.get();
    }

    /** The consumer's state, restarts and last record time. */
    public ComponentStatus status() {
        return supervisor.status();
    }

    private void handle(ConsumerRecord<String, byte[]> r, SpecificRecord value) {
        if (value instanceof CallStarted s) {
            started(s);
        } else if (value instanceof RawAudioChunk chunk) {
            chunk(chunk);
        } else if (value instanceof CallEnded e) {
            ended(e);
        } else {
            reject(r.key(), null, "a null value (tombstone) is not an event");
        }
    }

    private void undecodable(ConsumerRecord<String, byte[]> r, Throwable e) {
        reject(r.key(), null, r.topic() + "[" + r.partition() + "]@" + r.offset() + ": " + e.getMessage());
    }

    private void failed(ConsumerRecord<String, byte[]> r, SpecificRecord value, Throwable e) {
        String kind = value == null ? null : value.getSchema().getName();
        if (e instanceof CallRejectedException || e instanceof IllegalArgumentException) {
            reject(r.key(), kind, e.getMessage());
            return;
        }
        // whatever else one record causes is that record's problem: the consumer carries on
        LOG.log(System.Logger.Level.ERROR, "raw audio record " + r.topic() + "[" + r.partition() + "]@"
                + r.offset() + " failed", e);
        reject(r.key(), kind, "the record could not be handled (" + e.getClass().getSimpleName() + ")");
    }

    private void started(CallStarted s) {
        String id = s.getCallId().toString();
        if (s.getSourceProtocol() != SourceProtocol.KAFKA_RAW) {
            throw new IllegalArgumentException("CallStarted on " + Topics.AUDIO_RAW + " must have sourceProtocol KAFKA_RAW, not "
                    + s.getSourceProtocol());
        }
        if (open.containsKey(id)) {
            throw new CallRejectedException("call '" + id + "' is already streaming");
        }
        if (s.getSampleRate() != 8000 && s.getSampleRate() != 16000) {
            throw new IllegalArgumentException("call '" + id + "': sample rate " + s.getSampleRate()
                    + " Hz is not supported (8000 or 16000)");
        }
        AgentDirectory.Assignment who;
        try {
            who = calls.agents().assign(s.getAgentId().toString(), str(s.getTeam()), str(s.getQueue()));
        } catch (CallRejectedException e) {
            calls.refused();
            throw e;
        }
        LiveCall call = calls.start(new CallInfo(id, who.agentId(), who.team(), who.queue(), SourceProtocol.KAFKA_RAW,
                s.getChannels(), s.getMediaStartTime().toEpochMilli(), s.getSampleRate(),
                who.defaulted() || s.getAwaitingAssignment()));
        open.put(id, new Aligner(id, call, s.getSampleRate(), maxGapMs, calls));
    }

    private void chunk(RawAudioChunk chunk) {
        String id = chunk.getCallId().toString();
        Aligner a = open.get(id);
        if (a == null) {
            throw new IllegalArgumentException("audio chunk of call '" + id + "', which has not started (or has ended)");
        }
        a.checkPosition(chunk);
        if (chunk.getPositionMs() >= maxCallMs) {
            open.remove(id);
            a.flush();
            String reason = "maximum call duration of " + maxCallMs / 1000 + " s reached";
            calls.finish(id, reason);
            throw new IllegalArgumentException("call '" + id + "': chunk at " + chunk.getPositionMs() + " ms is past the "
                    + reason + "; the call has ended");
        }
        a.add(chunk);
    }

    private void ended(CallEnded e) {
        String id = e.getCallId().toString();
        Aligner a = open.remove(id);
        if (a == null) {
            throw new IllegalArgumentException("CallEnded of call '" + id + "', which has not started");
        }
        a.flush();
        calls.finish(id, e.getReason().toString());
    }

    private void reject(String callId, String kind, String reason) {
        rejected.incrementAndGet();
        LOG.log(System.Logger.Level.WARNING, "rejected raw audio record: {0}", LogSafe.quote(reason));
        EventRejected dead = EventRejected.newBuilder().setCallId(callId).setKind(kind).setEventTime(null)
                .setReason(reason).build();
        deadLetters.send(new ProducerRecord<>(Topics.DEAD_LETTERS, callId, dead));
    }

    private static String str(CharSequence s) {
        return s == null ? null : s.toString();
    }

    @Override
    public void close() {
        try {
            supervisor.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deadLetters.close(Duration.ofSeconds(5));
    }

    /** Lines up one call's two parties and pushes what both have to the call. */
    private static final class Aligner {
        private final String callId;
        private final LiveCall call;
        private final int rate;
        private final long maxGapMs;
        /** Samples pushed to the call so far (both parties). */
        private long released;
        private final short[][] pending = {new short[0], new short[0]};
        private final int[] pendingLength = new int[2];
        private final long[] nextSequence = new long[2];
        /** Counts the audio pushed. */
        private final CallRegistry registry;

        Aligner(String callId, LiveCall call, int rate, long maxGapMs, CallRegistry registry) {
            this.registry = registry;
            this.maxGapMs = maxGapMs;
            this.callId = callId;
            this.call = call;
            this.rate = rate;
        }

        void add(RawAudioChunk chunk) {
            int party = chunk.getRole() == Role.AGENT ? 0 : 1;
            if (chunk.getSampleRate() != rate) {
                throw new IllegalArgumentException("call '" + callId + "': chunk at " + chunk.getSampleRate()
                        + " Hz, the call is " + rate + " Hz");
            }
            long end = released + pendingLength[party];
            checkPosition(chunk);
            String lost = null;
            if (chunk.getSequence() < nextSequence[party]) {
                throw new IllegalArgumentException("call '" + callId + "' " + chunk.getRole() + ": sequence "
                        + chunk.getSequence() + " repeated (expected " + nextSequence[party] + ")");
            }
            if (chunk.getSequence() > nextSequence[party]) {
                lost = "call '" + callId + "' " + chunk.getRole() + ": chunks " + nextSequence[party] + ".."
                        + (chunk.getSequence() - 1) + " missing, their span is taken as silence";
            }
            nextSequence[party] = chunk.getSequence() + 1;
            short[] samples = decode(chunk.getEncoding(), chunk.getPayload());
            long at = chunk.getPositionMs() * rate / 1000;
            if (at < end) {
                throw new IllegalArgumentException("call '" + callId + "' " + chunk.getRole() + ": chunk at "
                        + chunk.getPositionMs() + " ms overlaps audio already received (up to "
                        + end * 1000 / rate + " ms)");
            }
            append(party, new short[(int) (at - end)]);
            append(party, samples);
            release(false);
            if (lost != null) {
                throw new IllegalArgumentException(lost);
            }
        }

        /** Refuses a negative position, and one further past its party's audio than the gap bound. */
        void checkPosition(RawAudioChunk chunk) {
            int party = chunk.getRole() == Role.AGENT ? 0 : 1;
            long endMs = (released + pendingLength[party]) * 1000 / rate;
            if (chunk.getPositionMs() < 0) {
                throw new IllegalArgumentException("call '" + callId + "' " + chunk.getRole() + ": negative position "
                        + chunk.getPositionMs() + " ms");
            }
            if (chunk.getPositionMs() - endMs > maxGapMs) {
                throw new IllegalArgumentException("call '" + callId + "' " + chunk.getRole() + ": chunk at "
                        + chunk.getPositionMs() + " ms leaves a gap of " + (chunk.getPositionMs() - endMs)
                        + " ms after the audio received; at most " + maxGapMs + " ms is taken as silence");
            }
        }

        void flush() {
            release(true);
        }

        private void release(boolean all) {
            int both = Math.min(pendingLength[0], pendingLength[1]);
            int most = Math.max(pendingLength[0], pendingLength[1]);
            int n = all || most - both > MAX_SKEW_MS * rate / 1000 ? most : both;
            if (n == 0) {
                return;
            }
            short[] agent = take(0, n);
            short[] customer = take(1, n);
            call.push(agent, customer, released);
            registry.audioReceived(call, n);
            released += n;
        }

        private short[] take(int party, int n) {
            short[] out = new short[n];
            int have = Math.min(n, pendingLength[party]);
            System.arraycopy(pending[party], 0, out, 0, have);
            System.arraycopy(pending[party], have, pending[party], 0, pendingLength[party] - have);
            pendingLength[party] -= have;
            return out;
        }

        private void append(int party, short[] samples) {
            if (samples.length == 0) {
                return;
            }
            int need = pendingLength[party] + samples.length;
            if (need > pending[party].length) {
                pending[party] = java.util.Arrays.copyOf(pending[party], Math.max(need, pending[party].length * 2));
            }
            System.arraycopy(samples, 0, pending[party], pendingLength[party], samples.length);
            pendingLength[party] = need;
        }

        private static short[] decode(AudioEncoding encoding, ByteBuffer payload) {
            byte[] bytes = new byte[payload.remaining()];
            payload.duplicate().get(bytes);
            switch (encoding) {
                case PCMU:
                    return G711.decode(bytes, 0, bytes.length, false);
                case PCMA:
                    return G711.decode(bytes, 0, bytes.length, true);
                default:
                    return Pcm16.decode(bytes, 0, bytes.length);
            }
        }
    }
}
