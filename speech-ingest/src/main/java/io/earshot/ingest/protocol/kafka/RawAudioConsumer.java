package io.earshot.ingest.protocol.kafka;

import io.earshot.contracts.AvroSerde;
import io.earshot.contracts.ConsumerLoop;
import io.earshot.contracts.Topics;
import io.earshot.ingest.audio.G711;
import io.earshot.ingest.audio.PartyAligner;
import io.earshot.ingest.audio.Pcm16;
import io.earshot.ingest.live.LiveCall;
import io.earshot.ingest.protocol.CallRejectedException;
import io.earshot.ingest.protocol.IngestLimits;
import io.earshot.ingest.protocol.LogSafe;
import io.earshot.schemas.AudioEncoding;
import io.earshot.schemas.CallEnded;
import io.earshot.schemas.CallStarted;
import io.earshot.schemas.EventRejected;
import io.earshot.schemas.RawAudioChunk;
import io.earshot.schemas.Role;
import io.earshot.schemas.SourceProtocol;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The raw-audio ingest protocol: audio an integrator publishes to Kafka ({@code earshot.audio-raw},
 * keyed by call id), read by a {@link ConsumerLoop}. A {@code CallStarted} with source protocol
 * KAFKA_RAW announces the call, then {@code RawAudioChunk}s of each party follow, and a
 * {@code CallEnded} ends it; the {@link RawAudioListener} starts, feeds and finishes the live call.
 *
 * <p>The two parties' chunks are aligned by media position ({@link PartyAligner}): audio is
 * released to the call as far as both parties have sent it; a party that falls more than
 * {@value #MAX_SKEW_MS} ms behind the other is taken as silent for what lies further back, so
 * one silent or lost party does not stall the call. A gap in positions is silence. Anything
 * unusable (an undecodable record, a chunk of an unknown call, a sample rate other than the
 * call's, a repeated sequence) becomes an {@code EventRejected} on {@code earshot.dead-letters}
 * with the reason; the call and every other call carry on. A sequence gap, and a chunk that
 * overlaps audio already received or given up as silence, are reported the same way, but what
 * is new of the chunk is used (first write wins). So does anything else one record provokes,
 * an {@link Error} included (a {@link VirtualMachineError} excepted).
 *
 * <p>Whoever runs it calls {@link #run} (one attempt with a new consumer; it throws when the loop
 * fails outside a single record) and again after a failure; the calls in progress stay open
 * across attempts, and a record delivered again is refused as a repeated sequence, never applied
 * twice. One thread runs it at a time.
 */
public final class RawAudioConsumer implements AutoCloseable {

    /** How far one party's audio may run ahead of the other's before the other is taken as silent. */
    public static final long MAX_SKEW_MS = 1_000;

    private static final System.Logger LOG = System.getLogger(RawAudioConsumer.class.getName());

    private final long maxGapMs;
    private final long maxCallMs;
    private final RawAudioListener listener;
    private final Producer<String, EventRejected> deadLetters;
    private final AvroSerde<SpecificRecord> serde = AvroSerde.ofAny(CallStarted.class, RawAudioChunk.class,
            CallEnded.class);
    private final Map<String, OpenCall> open = new HashMap<>();
    private final AtomicLong rejected = new AtomicLong();
    private final ConsumerLoop<String, byte[]> loop;

    /**
     * @param name        names the consumer in the log
     * @param consumers   makes each attempt's consumer (subscribed here to {@code earshot.audio-raw})
     * @param deadLetters where rejected records go; closed by {@link #close()}
     * @param limits      the gap and call-duration bounds; a chunk at or past the duration ends the
     *                    call with that reason and is refused. The wall-clock and message-rate
     *                    bounds do not apply: a topic may hold a backlog.
     */
    public RawAudioConsumer(String name, Supplier<? extends Consumer<String, byte[]>> consumers,
            Producer<String, EventRejected> deadLetters, RawAudioListener listener, IngestLimits limits) {
        this.maxGapMs = limits.maxGap().toMillis();
        this.maxCallMs = limits.maxCallDuration().toMillis();
        this.listener = Objects.requireNonNull(listener, "listener");
        this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
        this.loop = new ConsumerLoop<>(name, consumers, ConsumerLoop.subscribe(List.of(Topics.AUDIO_RAW)),
                Duration.ofMillis(100), ConsumerLoop.values(serde, this::handle, this::undecodable, this::failed),
                ConsumerLoop.Commit.NONE);
    }

    /**
     * One attempt: a new consumer polling until {@link #stop()}.
     *
     * @param handled called after each record (handled or dead-lettered)
     * @throws Exception whatever ends the attempt outside a single record
     */
    public void run(Runnable handled) throws Exception {
        loop.run(handled);
    }

    /** Ends the running attempt from any thread. */
    public void stop() {
        loop.stop();
    }

    /** Records turned into dead letters so far. */
    public long rejected() {
        return rejected.get();
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
        LiveCall call = listener.start(s);
        open.put(id, new OpenCall(id, call, s.getSampleRate(), maxGapMs, listener));
    }

    private void chunk(RawAudioChunk chunk) {
        String id = chunk.getCallId().toString();
        OpenCall a = open.get(id);
        if (a == null) {
            throw new IllegalArgumentException("audio chunk of call '" + id + "', which has not started (or has ended)");
        }
        a.checkPosition(chunk);
        if (chunk.getPositionMs() >= maxCallMs) {
            open.remove(id);
            a.flush();
            String reason = "maximum call duration of " + maxCallMs / 1000 + " s reached";
            listener.finish(id, reason);
            throw new IllegalArgumentException("call '" + id + "': chunk at " + chunk.getPositionMs() + " ms is past the "
                    + reason + "; the call has ended");
        }
        a.add(chunk);
    }

    private void ended(CallEnded e) {
        String id = e.getCallId().toString();
        OpenCall a = open.remove(id);
        if (a == null) {
            throw new IllegalArgumentException("CallEnded of call '" + id + "', which has not started");
        }
        a.flush();
        listener.finish(id, e.getReason().toString());
    }

    private void reject(String callId, String kind, String reason) {
        rejected.incrementAndGet();
        LOG.log(System.Logger.Level.WARNING, "rejected raw audio record: {0}", LogSafe.quote(reason));
        EventRejected dead = EventRejected.newBuilder().setCallId(callId).setKind(kind).setEventTime(null)
                .setReason(reason).build();
        deadLetters.send(new ProducerRecord<>(Topics.DEAD_LETTERS, callId, dead));
    }

    /** Closes the dead-letter producer; call after the last attempt returned. */
    @Override
    public void close() {
        deadLetters.close(Duration.ofSeconds(5));
    }

    /**
     * One open call: its parties' sequence numbers, and the {@link PartyAligner} that lines up
     * their chunks (positions exact to the millisecond, so a chunk within a millisecond of where its
     * party ended is contiguous; a party more than {@link #MAX_SKEW_MS} behind is silence).
     */
    private static final class OpenCall {
        private final String callId;
        private final LiveCall call;
        private final int rate;
        private final long maxGapMs;
        private final long[] nextSequence = new long[2];
        private final PartyAligner aligner;
        /** Pushes the audio released. */
        private final RawAudioListener listener;

        OpenCall(String callId, LiveCall call, int rate, long maxGapMs, RawAudioListener listener) {
            this.listener = listener;
            this.maxGapMs = maxGapMs;
            this.callId = callId;
            this.call = call;
            this.rate = rate;
            this.aligner = new PartyAligner(EnumSet.allOf(Role.class), rate, MAX_SKEW_MS * rate / 1000, rate / 1000);
        }

        void add(RawAudioChunk chunk) {
            int party = chunk.getRole() == Role.AGENT ? 0 : 1;
            if (chunk.getSampleRate() != rate) {
                throw new IllegalArgumentException("call '" + callId + "': chunk at " + chunk.getSampleRate()
                        + " Hz, the call is " + rate + " Hz");
            }
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
            long end = aligner.end(chunk.getRole());
            int dropped = aligner.add(chunk.getRole(), chunk.getPositionMs() * rate / 1000, samples);
            aligner.release((agent, customer, position) -> listener.audio(call, agent, customer, position));
            if (dropped > 0) {
                String overlap = "call '" + callId + "' " + chunk.getRole() + ": chunk at " + chunk.getPositionMs()
                        + " ms overlaps audio already received or given up as silence (up to " + end * 1000 / rate
                        + " ms); " + (dropped == samples.length ? "all" : "the first " + dropped * 1000L / rate + " ms")
                        + " of it dropped";
                lost = lost == null ? overlap : lost + "; " + overlap;
            }
            if (lost != null) {
                throw new IllegalArgumentException(lost);
            }
        }

        /** Refuses a negative position, and one further past its party's audio than the gap bound. */
        void checkPosition(RawAudioChunk chunk) {
            long endMs = aligner.end(chunk.getRole()) * 1000 / rate;
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
            aligner.flush((agent, customer, position) -> listener.audio(call, agent, customer, position));
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
