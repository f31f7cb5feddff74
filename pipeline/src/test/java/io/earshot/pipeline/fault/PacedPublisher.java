package io.earshot.pipeline.fault;

import io.earshot.analysis.avro.AvroInputs;
import io.earshot.contracts.AvroSerde;
import io.earshot.analysis.events.CallEvent;
import io.earshot.schemas.CallEnded;
import io.earshot.schemas.CallStarted;
import io.earshot.schemas.SpeechSegmentDetected;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes call events as live ingest does, at the pace they happen: each one once the wall
 * clock has reached its event time, keyed by call id, the record timestamp its event time.
 * Live pacing keeps the job's clock-following watermarks honest: no partition's events trail
 * the clock by more than the publishing delay, so none is overtaken while the input flows.
 * The producer is idempotent with {@code acks=all} and retries for two minutes, and an event
 * that finds no broker at all is sent again, so a broker restart delays events but neither
 * loses nor doubles them.
 */
final class PacedPublisher implements AutoCloseable {

    private final KafkaProducer<String, SpecificRecord> producer;
    private final List<CallEvent> events;
    private final AtomicInteger published = new AtomicInteger();
    private final CompletableFuture<Void> done;
    private volatile boolean closed;

    private PacedPublisher(String bootstrap, List<CallEvent> events) {
        this.events = events;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000,
                ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(),
                AvroSerde.ofAny(CallStarted.class, CallEnded.class, SpeechSegmentDetected.class));
        this.done = CompletableFuture.runAsync(this::run);
    }

    /** Starts publishing {@code events} (in event-time order) on a thread of its own. */
    static PacedPublisher start(String bootstrap, List<CallEvent> events) {
        return new PacedPublisher(bootstrap, events);
    }

    /** Events handed to the producer so far. */
    int published() {
        return published.get();
    }

    /** Waits until every event is published and acknowledged by the broker. */
    void awaitDone(Duration bound) throws Exception {
        done.get(bound.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run() {
        try {
            for (CallEvent e : events) {
                long wait = e.eventTimeMs - System.currentTimeMillis();
                if (wait > 0) {
                    // pacing is what this thread is for: the event is due then, in production as here
                    Thread.sleep(wait);
                }
                if (closed) {
                    return;
                }
                send(e);
                published.incrementAndGet();
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Hands the event to the producer; while no broker answers, {@code send} waits for metadata
     * up to {@code max.block.ms} and then gives up: send it again, as ingest keeps its events
     * until Kafka takes them.
     */
    private void send(CallEvent e) throws InterruptedException {
        while (!closed) {
            try {
                producer.send(new ProducerRecord<>(AvroInputs.topicOf(e), null, e.eventTimeMs, e.callId,
                        AvroInputs.toAvro(e)));
                return;
            } catch (org.apache.kafka.common.errors.TimeoutException notYet) {
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        }
    }

    /** How many of the events are due by now: published already, or waiting for a broker. */
    int due() {
        long now = System.currentTimeMillis();
        return (int) events.stream().filter(e -> e.eventTimeMs <= now).count();
    }

    @Override
    public void close() {
        closed = true;
        producer.close(Duration.ofSeconds(10));
    }
}
