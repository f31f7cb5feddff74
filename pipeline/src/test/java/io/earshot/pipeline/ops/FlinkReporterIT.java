package io.earshot.pipeline.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.jobs.calls.KafkaCallMetricsJob;
import io.earshot.jobs.calls.KafkaJobConfig;
import io.earshot.analysis.avro.AvroInputs;
import io.earshot.contracts.AvroSerde;
import io.earshot.analysis.events.CallEvent;
import io.earshot.contracts.Topics;
import io.earshot.pipeline.kafka.EmbeddedKafka;
import io.earshot.schemas.CallEnded;
import io.earshot.schemas.CallStarted;
import io.earshot.schemas.Role;
import io.earshot.schemas.SpeechSegmentDetected;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The metric job on a local MiniCluster with Flink's Prometheus reporter switched on as
 * {@code earshot job --metrics-port} does: a scrape of the reporter parses as the text format
 * and holds Flink's own metrics and the job's counters (events in, dead letters, summaries
 * out), which count a short call and an undecodable record published to Kafka.
 */
class FlinkReporterIT {

    private static final String CALL = "reporter-1";
    private static final String PREFIX = "flink_taskmanager_job_task_operator_earshot_";

    @Test
    void shouldServeFlinksAndTheJobsOwnMetricsInThePrometheusFormat() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            long start = (System.currentTimeMillis() / 1000) * 1000 - 60_000;
            List<CallEvent> events = List.of(
                    CallEvent.started(CALL, "agent-1", "team", "queue", start),
                    indexed(CallEvent.segment(CALL, start, Role.AGENT, 0, 2_000, 180, 3, -20), 0),
                    indexed(CallEvent.segment(CALL, start, Role.CUSTOMER, 2_500, 4_000, 210, 4, -22), 0),
                    indexed(CallEvent.segment(CALL, start, Role.AGENT, 4_500, 6_000, 180, 3, -20), 1),
                    CallEvent.ended(CALL, start, 7_000, "end"));
            publish(kafka.bootstrapServers(), events, start + 6_500);
            KafkaJobConfig config = new KafkaJobConfig(kafka.bootstrapServers(), "flink-reporter-it", 1,
                    KafkaJobConfig.DEFAULT_RUNNING_INTERVAL_MS, KafkaJobConfig.DEFAULT_OUT_OF_ORDERNESS_MS,
                    KafkaJobConfig.DEFAULT_IDLE_ADVANCE_MS, KafkaJobConfig.StartFrom.EARLIEST,
                    KafkaJobConfig.DEFAULT_CHECKPOINT_INTERVAL_MS);
            int port = ServeProcess.freePort();
            JobClient job = KafkaCallMetricsJob.start(FlinkMetrics.environment(port), config);
            try {
                Map<String, PrometheusText.Family> metrics = Map.of();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                while (System.nanoTime() < deadline
                        && (sum(metrics, PREFIX + "eventsIn") < events.size() + 1
                            || sum(metrics, PREFIX + "deadLetters") < 1 || sum(metrics, PREFIX + "summariesOut") < 1)) {
                    Thread.sleep(250);
                    metrics = scrape(port);
                }
                assertThat(sum(metrics, PREFIX + "eventsIn")).as("events in").isEqualTo(events.size() + 1);
                assertThat(sum(metrics, PREFIX + "deadLetters")).as("dead letters").isEqualTo(1);
                assertThat(sum(metrics, PREFIX + "summariesOut")).as("summaries out").isGreaterThanOrEqualTo(1);
                assertThat(metrics.get(PREFIX + "lateEvents")).as("late events").isNotNull();
                assertThat(metrics.get(PREFIX + "eventsIn").samples()).allSatisfy(s -> {
                    // the reporter replaces what label values may not hold ([^a-zA-Z0-9:_]) with '_'
                    assertThat(s.labels()).containsEntry("job_name",
                            KafkaCallMetricsJob.JOB_NAME.replaceAll("[^a-zA-Z0-9:_]", "_"));
                    assertThat(s.labels()).containsEntry("operator_name", "Validate_events");
                    assertThat(s.labels()).containsKeys("subtask_index", "task_name", "tm_id");
                });
                assertThat(metrics).containsKeys("flink_jobmanager_numRegisteredTaskManagers",
                        "flink_taskmanager_Status_JVM_Memory_Heap_Used", "flink_taskmanager_job_task_numRecordsIn");
                assertThat(metrics.get("flink_taskmanager_Status_JVM_Memory_Heap_Used").type()).isEqualTo("gauge");
            } finally {
                job.cancel().get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** A segment as ingest numbers it: per speaker, from 0. */
    private static CallEvent indexed(CallEvent segment, int index) {
        segment.index = index;
        return segment;
    }

    private static double sum(Map<String, PrometheusText.Family> metrics, String family) {
        PrometheusText.Family f = metrics.get(family);
        return f == null ? 0 : f.samples().stream().mapToDouble(PrometheusText.Sample::value).sum();
    }

    private static Map<String, PrometheusText.Family> scrape(int port) throws InterruptedException {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? PrometheusText.parse(response.body()) : Map.of();
        } catch (IOException e) {
            return Map.of(); // the reporter is not listening yet
        }
    }

    private static void publish(String bootstrap, List<CallEvent> events, long garbageAt) {
        AvroSerde<SpecificRecord> serde = AvroSerde.ofAny(CallStarted.class, CallEnded.class,
                SpeechSegmentDetected.class);
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(props, new StringSerializer(), serde);
             KafkaProducer<String, byte[]> raw = new KafkaProducer<>(props, new StringSerializer(),
                     new ByteArraySerializer())) {
            for (CallEvent e : events) {
                producer.send(new ProducerRecord<>(AvroInputs.topicOf(e), null, e.eventTimeMs, e.callId,
                        AvroInputs.toAvro(e)));
            }
            raw.send(new ProducerRecord<>(Topics.SPEECH, null, garbageAt, CALL,
                    "not avro".getBytes(StandardCharsets.UTF_8)));
            producer.flush();
            raw.flush();
        }
    }
}
