package io.earshot.pipeline.kafka;

import io.earshot.contracts.AvroSerde;
import io.earshot.contracts.Topics;
import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.schemas.Role;
import io.earshot.schemas.SpeechSegmentDetected;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Starts the embedded broker once for the topic and round-trip tests; the start and close tests start their own. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EmbeddedKafkaIT {

    private static final int CALLS = 5;
    private static final int SEGMENTS_PER_CALL = 20;

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void shouldCreateEveryEarshotTopicWithTheDefaultPartitions() throws Exception {
        assertThat(kafka.topicNames()).containsExactlyInAnyOrderElementsOf(Topics.ALL);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            Map<String, TopicDescription> topics = admin.describeTopics(Topics.ALL).allTopicNames().get(10, TimeUnit.SECONDS);
            assertThat(topics.values()).allSatisfy(topic ->
                    assertThat(topic.partitions()).hasSize(EmbeddedKafka.DEFAULT_PARTITIONS));
        }
    }

    @Test
    void shouldDeliverKeyedSegmentsInOrderPerCall() {
        // Calls interleaved the way ingest emits them: segment i of every call, then segment i + 1.
        List<SpeechSegmentDetected> sent = IntStream.range(0, SEGMENTS_PER_CALL).boxed()
                .flatMap(i -> IntStream.range(0, CALLS).mapToObj(c -> segment("call-" + c, i)))
                .toList();
        AvroSerde<SpeechSegmentDetected> serde = AvroSerde.of(SpeechSegmentDetected.class);

        try (KafkaProducer<String, SpeechSegmentDetected> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), serde)) {
            sent.forEach(segment -> producer.send(new ProducerRecord<>(Topics.SPEECH, segment.getCallId(), segment)));
            producer.flush();
        }

        List<ConsumerRecord<String, SpeechSegmentDetected>> received = new ArrayList<>();
        try (KafkaConsumer<String, SpeechSegmentDetected> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "embedded-kafka-it",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), serde)) {
            consumer.subscribe(List.of(Topics.SPEECH));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (received.size() < sent.size() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
            }
        }

        assertThat(received).hasSize(sent.size());
        assertThat(received).allSatisfy(record -> assertThat(record.key()).isEqualTo(record.value().getCallId()));
        assertThat(received).extracting(ConsumerRecord::value).containsExactlyInAnyOrderElementsOf(sent);
        Map<String, List<Integer>> orderPerCall = received.stream().collect(Collectors.groupingBy(
                ConsumerRecord::key, LinkedHashMap::new,
                Collectors.mapping(record -> record.value().getSegmentIndex(), Collectors.toList())));
        List<Integer> inOrder = IntStream.range(0, SEGMENTS_PER_CALL).boxed().toList();
        assertThat(orderPerCall).hasSize(CALLS).allSatisfy((call, indexes) -> assertThat(indexes).isEqualTo(inOrder));
    }

    @Test
    void shouldReleaseTheBrokerPortOnClose() throws IOException {
        int port;
        try (EmbeddedKafka own = EmbeddedKafka.start(List.of(Topics.CALLS), 1)) {
            port = Integer.parseInt(own.bootstrapServers().substring(own.bootstrapServers().lastIndexOf(':') + 1));
            assertThat(own.topicNames()).containsExactly(Topics.CALLS);
        }

        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("localhost", port));
            assertThat(socket.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void shouldWriteNothingToStdoutWhileStarting() {
        // stdout is the command's output: the storage formatter's line must not land there.
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (EmbeddedKafka own = EmbeddedKafka.start(List.of(), 1)) {
            assertThat(own.topicNames()).isEmpty();
        } finally {
            System.setOut(stdout);
        }

        assertThat(captured.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    private static SpeechSegmentDetected segment(String callId, int index) {
        return SpeechSegmentDetected.newBuilder()
                .setCallId(callId)
                .setRole(index % 2 == 0 ? Role.CUSTOMER : Role.AGENT)
                .setSegmentIndex(index)
                .setStartMs(1_000L * index)
                .setEndMs(1_000L * index + 740)
                .setPitchMedianHz(index % 4 == 0 ? null : 180.0 + index)
                .setLoudnessDbfs(-24.0)
                .setVoicedRatio(0.7)
                .build();
    }
}
