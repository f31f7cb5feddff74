package io.earshot.pipeline.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.earshot.ingest.dsp.VadConfig;
import io.earshot.ingest.emit.EventSink;
import io.earshot.contracts.AvroSerde;
import io.earshot.contracts.Topics;
import io.earshot.pipeline.api.Authenticator;
import io.earshot.pipeline.dashboard.AlertRules;
import io.earshot.pipeline.dashboard.DashboardServer;
import io.earshot.pipeline.dashboard.FloorFeed;
import io.earshot.pipeline.dashboard.FloorState;
import io.earshot.pipeline.kafka.EmbeddedKafka;
import io.earshot.pipeline.store.StoreDatabase;
import io.earshot.pipeline.store.StoreWriter;
import io.earshot.pipeline.supervise.ComponentStatus;
import io.earshot.pipeline.supervise.StatusBoard;
import io.earshot.pipeline.supervise.StatusHandler;
import io.earshot.pipeline.supervise.Supervisor;
import io.earshot.schemas.CallEnded;
import io.earshot.schemas.CallStarted;
import io.earshot.schemas.ChannelRole;
import io.earshot.schemas.Role;
import io.earshot.schemas.SourceProtocol;
import io.earshot.schemas.SpeechSegmentDetected;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three supervised consumers against the embedded broker (and a real PostgreSQL for the
 * store writer), each with a failure injected: a record whose handling throws (skipped or
 * dead-lettered, the consumer carries on), and a loop that fails outside any record (the
 * component restarts, the status shows it, later records are handled). One component's
 * restart leaves the others running.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SupervisedConsumersIT {

    private static final Supervisor.Backoff FAST = new Supervisor.Backoff(Duration.ofMillis(10), Duration.ofMillis(100));
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static EmbeddedKafka kafka;
    private static StoreDatabase db;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start();
        db = StoreDatabase.embedded(dir.resolve("store"));
    }

    @AfterAll
    static void stop() {
        try {
            if (db != null) {
                db.close();
            }
        } finally {
            if (kafka != null) {
                kafka.close();
            }
        }
    }

    @Test
    void shouldRestartEachConsumerWhoseLoopFailsShowItOnHealthAndHandleLaterRecords() throws Exception {
        List<String> published = new CopyOnWriteArrayList<>();
        EventSink sink = (callId, at, event) -> {
            if (callId.equals("raw-error") && event instanceof CallStarted) {
                throw new AssertionError("a record whose handling throws an Error");
            }
            published.add(callId);
        };
        CallRegistry calls = new CallRegistry(VadConfig.DEFAULTS, null, sink, AgentDirectory.open(), Clock.systemUTC());
        String group = "ingest-" + UUID.randomUUID();
        RawAudioIngest raw = new RawAudioIngest(kafka.bootstrapServers(), Map.of(), calls, RawAudioIngest.DEFAULT_LIMITS,
                failingAfterFirstRecord(() -> RawAudioIngest.newConsumer(kafka.bootstrapServers(), group, Map.of()),
                        () -> new FailingConsumer(rawAudioProperties(group))),
                FAST).start();
        AtomicInteger connections = new AtomicInteger();
        StoreWriter writer = StoreWriter.start(kafka.bootstrapServers(), failingOnce(db.dataSource(), connections), FAST);
        FloorState floor = new FloorState(new AlertRules(AlertRules.Thresholds.DEFAULTS, AlertRules.Hook.NONE,
                Clock.systemUTC()));
        FloorFeed feed = new FloorFeed(floor, Duration.ofHours(1), Clock.systemUTC(),
                failingAfterFirstRecord(() -> new KafkaConsumer<>(floorProperties(), new StringDeserializer(),
                        new ByteArrayDeserializer()), () -> new FailingConsumer(floorProperties())), FAST).start();
        StatusBoard board = new StatusBoard().add(raw::status).add(writer::status).add(feed::status);
        DashboardServer web = DashboardServer.start(kafka.bootstrapServers(), Authenticator.openDemo(),
                DashboardServer.Options.defaults().withHost("127.0.0.1").withPort(0), AlertRules.Hook.NONE,
                List.of(new StatusHandler(board)));
        board.add(web::feedStatus);
        try (KafkaProducer<String, SpecificRecord> events = producer(AvroSerde.ofAny(CallStarted.class, CallEnded.class,
                SpeechSegmentDetected.class));
             KafkaProducer<String, byte[]> bytes = producer(new ByteArraySerializer())) {
            assertThat(feed.awaitAssigned(Duration.ofSeconds(60))).isTrue();
            // first records: each consumer handles them, then its next poll fails
            events.send(new ProducerRecord<>(Topics.AUDIO_RAW, "raw-a", started("raw-a", SourceProtocol.KAFKA_RAW)));
            events.send(new ProducerRecord<>(Topics.CALLS, "floor-a", started("floor-a", SourceProtocol.AUDIOHOOK)));
            events.send(new ProducerRecord<>(Topics.SPEECH, "store-a", segment("store-a")));
            events.flush();
            await(() -> calls.startedCalls() == 1 && floorHas(floor, "floor-a"));
            await(() -> raw.status().restarts() == 1 && feed.status().restarts() == 1);

            // poison records and later good ones: the poison is dead-lettered or skipped, the rest handled
            bytes.send(new ProducerRecord<>(Topics.AUDIO_RAW, "garbage", new byte[] {1, 2, 3}));
            events.send(new ProducerRecord<>(Topics.AUDIO_RAW, "raw-error", started("raw-error", SourceProtocol.KAFKA_RAW)));
            events.send(new ProducerRecord<>(Topics.AUDIO_RAW, "raw-b", started("raw-b", SourceProtocol.KAFKA_RAW)));
            events.send(new ProducerRecord<>(Topics.AUDIO_RAW, "raw-b", ended("raw-b")));
            bytes.send(new ProducerRecord<>(Topics.CALLS, "garbage", new byte[] {1, 2, 3}));
            events.send(new ProducerRecord<>(Topics.CALLS, "floor-b", started("floor-b", SourceProtocol.AUDIOHOOK)));
            bytes.send(new ProducerRecord<>(Topics.SPEECH, "garbage", new byte[] {1, 2, 3}));
            events.send(new ProducerRecord<>(Topics.SPEECH, "store-b", segment("store-b")));
            events.flush();
            bytes.flush();

            await(() -> calls.endedCalls() == 1 && published.contains("raw-b"));
            assertThat(raw.rejected()).isGreaterThanOrEqualTo(2);
            await(() -> floorHas(floor, "floor-b") && feed.undecodable() >= 1);
            assertThat(writer.awaitProcessed(3, Duration.ofSeconds(60))).isTrue();
            assertThat(segmentCalls()).contains("store-a", "store-b");
            assertThat(writer.skipped()).isGreaterThanOrEqualTo(1);

            assertThat(raw.status()).satisfies(s -> running(s, 1, "KafkaException"));
            assertThat(feed.status()).satisfies(s -> running(s, 1, "KafkaException"));
            assertThat(writer.status()).satisfies(s -> running(s, 1, "IllegalStateException"));
            assertThat(web.feedStatus().restarts()).isZero();

            HttpResponse<String> health = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(web.uri().resolve("/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            JsonNode body = JSON.readTree(health.body());
            assertThat(body.get("status").asText()).isEqualTo("ok");
            assertThat(body.get("components")).extracting(c -> c.get("name").asText() + " " + c.get("state").asText()
                    + " " + c.get("restarts").asLong())
                    .containsExactly("raw-audio running 1", "store-writer running 1", "floor-feed running 1",
                            "floor-feed running 0");
            assertThat(body.get("components").get(0).get("lastRecordAt").asText()).isNotEmpty();
            assertThat(health.body()).doesNotContain("injected");
        } finally {
            web.close();
            feed.close();
            writer.close();
            raw.close();
            calls.close();
        }
        assertThat(raw.status().state()).isEqualTo(ComponentStatus.State.STOPPED);
        assertThat(writer.status().state()).isEqualTo(ComponentStatus.State.STOPPED);
    }

    private static void running(ComponentStatus s, long restarts, String lastError) {
        assertThat(s.state()).isEqualTo(ComponentStatus.State.RUNNING);
        assertThat(s.restarts()).isEqualTo(restarts);
        assertThat(s.lastError()).isEqualTo(lastError);
        assertThat(s.lastRecordAt()).isNotNull();
    }

    /** The first consumer made fails on the poll after the first one that returned records; later ones are real. */
    private static Supplier<KafkaConsumer<String, byte[]>> failingAfterFirstRecord(
            Supplier<KafkaConsumer<String, byte[]>> real, Supplier<KafkaConsumer<String, byte[]>> failing) {
        AtomicInteger made = new AtomicInteger();
        return () -> made.getAndIncrement() == 0 ? failing.get() : real.get();
    }

    /** A consumer whose poll fails, as when the broker goes away, once it has returned some records. */
    private static final class FailingConsumer extends KafkaConsumer<String, byte[]> {
        private boolean delivered;

        FailingConsumer(Properties properties) {
            super(properties, new StringDeserializer(), new ByteArrayDeserializer());
        }

        @Override
        public ConsumerRecords<String, byte[]> poll(Duration timeout) {
            if (delivered) {
                throw new KafkaException("injected: the broker went away");
            }
            ConsumerRecords<String, byte[]> records = super.poll(timeout);
            delivered = !records.isEmpty();
            return records;
        }
    }

    private static Properties rawAudioProperties(String group) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return c;
    }

    private static Properties floorProperties() {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return c;
    }

    /** A store whose first connection fails with an unchecked exception, as a bug in a driver or pool would. */
    private static DataSource failingOnce(DataSource real, AtomicInteger connections) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection") && connections.getAndIncrement() == 0) {
                        throw new IllegalStateException("injected: no connection");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static List<String> segmentCalls() throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT call_id FROM segments ORDER BY call_id")) {
            List<String> out = new java.util.ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }

    private static boolean floorHas(FloorState floor, String callId) {
        return floor.calls().stream().anyMatch(c -> c.callId().equals(callId));
    }

    private static CallStarted started(String id, SourceProtocol protocol) {
        return CallStarted.newBuilder().setCallId(id).setAgentId("agent-" + id).setTeam("floor").setQueue(null)
                .setSourceProtocol(protocol)
                .setChannels(List.of(new ChannelRole(0, "agent", Role.AGENT), new ChannelRole(1, "customer", Role.CUSTOMER)))
                .setMediaStartTime(Instant.now()).setSampleRate(8000).build();
    }

    private static CallEnded ended(String id) {
        return CallEnded.newBuilder().setCallId(id).setEndMs(0).setReason("eof").setEndedAt(Instant.now()).build();
    }

    private static SpeechSegmentDetected segment(String id) {
        return SpeechSegmentDetected.newBuilder().setCallId(id).setRole(Role.AGENT).setSegmentIndex(0)
                .setStartMs(0).setEndMs(1000).setLoudnessDbfs(-20).setVoicedRatio(0.8).build();
    }

    private static <V> KafkaProducer<String, V> producer(org.apache.kafka.common.serialization.Serializer<V> values) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), values);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition reached in time").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
