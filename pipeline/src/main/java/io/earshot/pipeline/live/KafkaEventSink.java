package io.earshot.pipeline.live;

import io.earshot.ingest.emit.EventSink;
import io.earshot.contracts.AvroSerde;
import io.earshot.contracts.Topics;
import io.earshot.schemas.CallEnded;
import io.earshot.schemas.CallStarted;
import io.earshot.schemas.SpeechActivityChanged;
import io.earshot.schemas.SpeechSegmentDetected;
import io.earshot.schemas.TranscriptionStatusReported;
import io.earshot.schemas.UtteranceTranscribed;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import io.earshot.ingest.live.CallLogContext;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes live ingest's events to Kafka as docs/kafka.md documents them: call lifecycle on
 * {@code earshot.calls}, speech edges and spurts on {@code earshot.speech}, utterances and
 * transcription status on {@code earshot.utterances}; key the call id, value the Avro record
 * in single-object encoding, which carries its event time (the call's {@code mediaStartTime}
 * and the event's media position). The record timestamp is the time of publishing, not the
 * event time: a call published long after it happened (a backfill) must not fall to the
 * topics' time-based retention at once. One idempotent producer with
 * {@code acks=all} keeps each call's events in order within its partition.
 */
public final class KafkaEventSink implements EventSink, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(KafkaEventSink.class.getName());

    private final KafkaProducer<String, SpecificRecord> producer;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    /**
     * @param bootstrap  the cluster's bootstrap servers
     * @param extra      further producer properties (security, tuning); they override the defaults
     */
    public KafkaEventSink(String bootstrap, Map<String, String> extra) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "earshot-ingest");
        // a call's first event is published before AudioHook's 'opened' goes out: with the cluster
        // unreachable, fail that call within 2 s (the client gets an error) instead of stalling
        // the handshake for the default minute
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "2000");
        p.putAll(extra);
        AvroSerde<SpecificRecord> serde = AvroSerde.ofAny(CallStarted.class, CallEnded.class,
                SpeechActivityChanged.class, SpeechSegmentDetected.class, UtteranceTranscribed.class,
                TranscriptionStatusReported.class);
        this.producer = new KafkaProducer<>(p, new StringSerializer(), serde);
    }

    /** The topic each ingest record goes to. */
    public static String topicOf(SpecificRecord event) {
        if (event instanceof CallStarted || event instanceof CallEnded) {
            return Topics.CALLS;
        }
        if (event instanceof SpeechSegmentDetected || event instanceof SpeechActivityChanged) {
            return Topics.SPEECH;
        }
        if (event instanceof UtteranceTranscribed || event instanceof TranscriptionStatusReported) {
            return Topics.UTTERANCES;
        }
        throw new IllegalArgumentException("not an ingest event: " + event.getClass().getName());
    }

    /** Publishes {@code event}; {@code eventTimeMs} is in the value already, the record is stamped now. */
    @Override
    public void publish(String callId, long eventTimeMs, SpecificRecord event) {
        producer.send(new ProducerRecord<>(topicOf(event), null, null, callId, event), (meta, error) -> {
            if (error == null) {
                sent.incrementAndGet();
            } else if (failed.getAndIncrement() % 1000 == 0) {
                try (CallLogContext.Scope ctx = CallLogContext.enter(callId)) {
                    LOG.log(System.Logger.Level.ERROR, "publishing to Kafka failed (" + failed.get() + " so far)", error);
                }
            }
        });
    }

    /** Records acknowledged by the cluster. */
    public long sent() {
        return sent.get();
    }

    /** Records the producer gave up on. */
    public long failed() {
        return failed.get();
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
