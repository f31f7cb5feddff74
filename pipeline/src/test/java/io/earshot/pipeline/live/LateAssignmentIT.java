package io.earshot.pipeline.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.jobs.calls.KafkaCallMetricsJob;
import io.earshot.jobs.calls.KafkaJobConfig;
import io.earshot.contracts.AvroSerde;
import io.earshot.contracts.Topics;
import io.earshot.pipeline.config.EarshotConfig;
import io.earshot.pipeline.kafka.EmbeddedKafka;
import io.earshot.pipeline.simulate.AudioHookClient;
import io.earshot.pipeline.simulate.AudioHookFrames;
import io.earshot.pipeline.simulate.CallResult;
import io.earshot.pipeline.simulate.FrameListener;
import io.earshot.pipeline.simulate.SampleCalls;
import io.earshot.pipeline.simulate.SimulatedCall;
import io.earshot.pipeline.store.StoreDatabase;
import io.earshot.pipeline.store.StoreWriter;
import io.earshot.schemas.AgentMetricsComputed;
import io.earshot.schemas.AggregationScope;
import io.earshot.schemas.AggregationWindow;
import io.earshot.schemas.CallAssigned;
import io.earshot.schemas.CallSummaryComputed;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Late binding of a Genesys call's agent, end to end: a call streamed over AudioHook as a Monitor
 * integration streams it (no agent in customConfig, the conversation id as call id) lands on
 * serve's default agent; its assignment is published on {@code earshot.call-assignments} once
 * the call has run 10 s, stamped 10 s after its start, as a notification bridge would. The final
 * summary on Kafka and in the store, and the agent, team and queue windows, name the assigned
 * agent, and no window ever counts the call under the default agent.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class LateAssignmentIT {

    private static final String DEFAULT_AGENT = "unassigned";
    private static final String AGENT = "agent-42";
    private static final String TEAM = "billing-east";
    private static final String QUEUE = "billing";
    /** Generous on a loaded machine: only the failure path ever waits this long. */
    private static final Duration BOUND = Duration.ofSeconds(150);

    @TempDir
    Path data;

    private final List<ConsumerRecord<String, SpecificRecord>> received = new ArrayList<>();

    @Test
    void shouldAttributeACallAssignedTenSecondsInToTheAssignedAgentInSummaryStoreAndWindows() throws Exception {
        // call01-billing, 20.6 s: the assignment comes while the call is live
        SimulatedCall.Recording recording = SampleCalls.load(SampleCalls.defaultDirectory()).get(0);
        SimulatedCall call = new SimulatedCall("late-1", "", "", "", recording);
        String callId = AudioHookFrames.conversationId(call.callId());
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        String clientSecret = Base64.getEncoder().encodeToString(secret);
        long deadline = System.nanoTime() + BOUND.toNanos();

        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            KafkaJobConfig jobConfig = new KafkaJobConfig(kafka.bootstrapServers(), "late-assignment-it", 2,
                    KafkaJobConfig.DEFAULT_RUNNING_INTERVAL_MS, KafkaJobConfig.DEFAULT_OUT_OF_ORDERNESS_MS,
                    KafkaJobConfig.DEFAULT_IDLE_ADVANCE_MS, KafkaJobConfig.StartFrom.EARLIEST,
                    KafkaJobConfig.DEFAULT_CHECKPOINT_INTERVAL_MS, "{}", null, KafkaJobConfig.DEFAULT_STATE_BACKEND,
                    KafkaJobConfig.DEFAULT_TRANSACTION_TIMEOUT_MS, java.util.Map.of(), 120_000);
            JobClient job = KafkaCallMetricsJob.start(StreamExecutionEnvironment.getExecutionEnvironment(), jobConfig);
            ExecutorService streaming = Executors.newSingleThreadExecutor();
            try (LiveIngestRuntime ingest = LiveIngestRuntime.start(serveConfig(kafka, clientSecret), null,
                         Clock.systemUTC());
                 StoreDatabase store = StoreDatabase.embedded(data.resolve("store"));
                 StoreWriter writer = StoreWriter.start(kafka.bootstrapServers(), store.dataSource());
                 KafkaConsumer<String, SpecificRecord> consumer = consumer(kafka);
                 KafkaProducer<String, SpecificRecord> producer = producer(kafka)) {
                consumer.subscribe(List.of(Topics.CALL_LIVE, Topics.CALL_SUMMARIES, Topics.AGENT_METRICS));
                AudioHookClient client = new AudioHookClient(AudioHookClient.Config.of(
                        ingest.ingest().audioHookUri(), EmbeddedStack.API_KEY, clientSecret, 1.0),
                        HttpClient.newHttpClient(), Clock.systemUTC());
                Future<CallResult> streamed = streaming.submit(() -> client.stream(call, FrameListener.NONE));

                // the call runs on the default agent until somebody says who took it
                CallSummaryComputed tenSecondsIn = summary(await(consumer, deadline, r -> isSummaryOf(r, callId)
                        && summary(r).getEmittedAt().toEpochMilli()
                                - summary(r).getMediaStartTime().toEpochMilli() >= 10_000));
                assertThat(tenSecondsIn.getAgentId()).isEqualTo(DEFAULT_AGENT);
                Instant assignedAt = tenSecondsIn.getMediaStartTime().plusSeconds(10);
                producer.send(new ProducerRecord<>(Topics.CALL_ASSIGNMENTS, null, assignedAt.toEpochMilli(), callId,
                        CallAssigned.newBuilder().setCallId(callId).setAgentId(AGENT).setTeam(TEAM).setQueue(QUEUE)
                                .setAssignedAt(assignedAt).setSource("test-bridge").build())).get();

                CallSummaryComputed last = summary(await(consumer, deadline,
                        r -> r.topic().equals(Topics.CALL_SUMMARIES) && isSummaryOf(r, callId)));
                assertThat(streamed.get().closedCleanly()).isTrue();
                assertThat(List.of(last.getAgentId(), last.getTeam(), last.getQueue()))
                        .containsExactly(AGENT, TEAM, QUEUE);
                assertThat(last.getDurationMs()).isBetween(20_000L, 21_000L);

                // the agent's live window that holds the whole call: the call's own totals
                AgentMetricsComputed whole = (AgentMetricsComputed) await(consumer, deadline,
                        r -> isLiveWindow(r, AggregationScope.AGENT, AGENT)
                                && ((AgentMetricsComputed) r.value()).getTotals().getCallsEnded() == 1).value();
                assertThat(whole.getTotals().getCallTimeMs()).isEqualTo(last.getDurationMs());
                assertThat(whole.getTotals().getAgentTalkMs()).isEqualTo(last.getAgentTalkMs());
                assertThat(whole.getTotals().getCustomerTalkMs()).isEqualTo(last.getCustomerTalkMs());
                assertThat(whole.getTotals().getAgentInterruptions()).isEqualTo(last.getAgentInterruptions());
                // a slide on, every window operator has fired whatever it held for the call
                Instant later = whole.getWindowEnd().plusSeconds(10);
                await(consumer, deadline, r -> r.value() instanceof AgentMetricsComputed w
                        && !w.getWindowEnd().isBefore(later));
                assertThat(received).anySatisfy(r -> assertThat(isLiveWindow(r, AggregationScope.TEAM, TEAM)).isTrue())
                        .anySatisfy(r -> assertThat(isLiveWindow(r, AggregationScope.QUEUE, QUEUE)).isTrue());
                assertThat(received).filteredOn(r -> r.topic().equals(Topics.AGENT_METRICS)).isNotEmpty()
                        .noneSatisfy(r -> assertThat(r.key()).isEqualTo(DEFAULT_AGENT));

                // the store writer's calls row, and no stored window under the default agent
                List<String> row = awaitRow(store.dataSource(), callId, deadline);
                assertThat(row).containsExactly(AGENT, TEAM, QUEUE);
                awaitWindowRow(store.dataSource(), AGENT, deadline);
                assertThat(count(store.dataSource(), DEFAULT_AGENT)).isZero();
            } finally {
                streaming.shutdownNow();
                job.cancel().get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static EarshotConfig serveConfig(EmbeddedKafka kafka, String clientSecret) {
        byte[] token = new byte[16];
        new SecureRandom().nextBytes(token);
        return new EarshotConfig(new EarshotConfig.Kafka(kafka.bootstrapServers(), Map.of()),
                new EarshotConfig.Ingest("127.0.0.1", 0, EarshotConfig.Limits.DEFAULTS),
                new EarshotConfig.AudioHook(true, Map.of(EmbeddedStack.API_KEY, clientSecret), null, null),
                new EarshotConfig.Twilio(true, null, null, "signature", HexFormat.of().formatHex(token), null, null),
                new EarshotConfig.Transcription(false, null, 1, 20),
                List.of(), DEFAULT_AGENT, null, null, null, null, null, null, EarshotConfig.Redaction.defaults());
    }

    private static KafkaConsumer<String, SpecificRecord> consumer(EmbeddedKafka kafka) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "late-assignment-it-reader",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                AvroSerde.ofAny(CallSummaryComputed.class, AgentMetricsComputed.class));
    }

    private static KafkaProducer<String, SpecificRecord> producer(EmbeddedKafka kafka) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), AvroSerde.ofAny(CallAssigned.class));
    }

    /** Reads the outputs, keeping every record, until one matches; fails at the deadline. */
    private ConsumerRecord<String, SpecificRecord> await(KafkaConsumer<String, SpecificRecord> consumer,
            long deadline, Predicate<ConsumerRecord<String, SpecificRecord>> wanted) {
        for (ConsumerRecord<String, SpecificRecord> r : received) {
            if (wanted.test(r)) {
                return r;
            }
        }
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, SpecificRecord> r : consumer.poll(Duration.ofMillis(200))) {
                received.add(r);
                if (wanted.test(r)) {
                    return r;
                }
            }
        }
        throw new AssertionError("not seen within " + BOUND + "; read " + received.size() + " records");
    }

    private static boolean isSummaryOf(ConsumerRecord<String, SpecificRecord> r, String callId) {
        return r.value() instanceof CallSummaryComputed s && s.getCallId().equals(callId);
    }

    private static CallSummaryComputed summary(ConsumerRecord<String, SpecificRecord> r) {
        return (CallSummaryComputed) r.value();
    }

    private static boolean isLiveWindow(ConsumerRecord<String, SpecificRecord> r, AggregationScope scope, String key) {
        return r.value() instanceof AgentMetricsComputed w && w.getScope() == scope && w.getKey().equals(key)
                && w.getWindow() == AggregationWindow.LIVE;
    }

    /** The store writer commits in its own time: polls for the call's row. */
    private static List<String> awaitRow(DataSource db, String callId, long deadline) throws Exception {
        while (true) {
            try (Connection c = db.getConnection();
                 PreparedStatement q = c.prepareStatement("SELECT agent_id, team, queue FROM calls WHERE call_id = ?")) {
                q.setString(1, callId);
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        return List.of(rs.getString(1), rs.getString(2), rs.getString(3));
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no calls row for " + callId + " within " + BOUND);
            }
            Thread.sleep(200);
        }
    }

    private static void awaitWindowRow(DataSource db, String key, long deadline) throws Exception {
        while (count(db, key) == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no agent_windows row for " + key + " within " + BOUND);
            }
            Thread.sleep(200);
        }
    }

    private static long count(DataSource db, String key) throws Exception {
        try (Connection c = db.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT count(*) FROM agent_windows WHERE key = ?")) {
            q.setString(1, key);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
