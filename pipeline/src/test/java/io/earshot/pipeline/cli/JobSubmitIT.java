package io.earshot.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.ingest.audio.CallAudio;
import io.earshot.ingest.call.CallAnalysis;
import io.earshot.ingest.call.CallAnalyzer;
import io.earshot.ingest.dsp.VadConfig;
import io.earshot.analysis.config.JobConfig;
import io.earshot.analysis.avro.AvroInputs;
import io.earshot.analysis.avro.AvroOutputs;
import io.earshot.contracts.AvroSerde;
import io.earshot.analysis.events.CallEvent;
import io.earshot.contracts.Topics;
import io.earshot.pipeline.analyze.BoundedCallMetrics;
import io.earshot.pipeline.analyze.CallEvents;
import io.earshot.pipeline.flink.FlinkSessionCluster;
import io.earshot.pipeline.kafka.EmbeddedKafka;
import io.earshot.pipeline.simulate.SampleCalls;
import io.earshot.schemas.CallSummaryComputed;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production path of the metric job: {@code earshot job --flink} submits the job jar to a
 * standalone Flink session cluster ({@link FlinkSessionCluster}: a JobManager and a
 * TaskManager, each its own JVM with only Flink on its class path, as a Flink distribution
 * has), and the job, running there, reads a recorded call's events from Kafka and publishes its
 * final summary, equal to what {@code analyze} computes.
 */
class JobSubmitIT {

    @TempDir
    Path dir;

    @Test
    void shouldSubmitTheJobJarToASessionClusterThatThenComputesTheCallsSummary() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                FlinkSessionCluster cluster = FlinkSessionCluster.start(dir, 1, 2)) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = EarshotCli.run(new String[] {"job", "--bootstrap", kafka.bootstrapServers(), "--flink",
                cluster.rest(), "--job-jar", System.getProperty("earshot.jobJar"), "--from", "earliest",
                // the call is published a minute after it happened, all at once: with the live default (1 s) a
                // partition whose reader is a moment slower than another's (a loaded machine) would see event time
                // moved past its events by the other partitions' clock-following watermarks
                "--idle-advance-ms", "15000"},
                    new PrintWriter(out), new PrintWriter(err));
            assertThat(code).as("stderr: %s", err).isZero();
            assertThat(err.toString()).contains("submitted");

            Path folder = SampleCalls.defaultDirectory().resolve("call01-billing");
            List<Path> files = Arrays.stream(SampleCalls.spec(folder).split(",")).map(Path::of).toList();
            CallAnalysis analysis = new CallAnalyzer(VadConfig.DEFAULTS, null, Runnable::run)
                    .analyze(CallAudio.load(files, SampleCalls.agentChannel(folder)));
            long mediaStart = System.currentTimeMillis() - analysis.durationMs() - 60_000;
            List<CallEvent> events = CallEvents.of("submitted-call", "agent-1", "team-a", "q", mediaStart, analysis);
            try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(
                    Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringSerializer(),
                    AvroSerde.ofAny(io.earshot.schemas.CallStarted.class, io.earshot.schemas.CallEnded.class,
                            io.earshot.schemas.SpeechSegmentDetected.class))) {
                for (CallEvent e : events) {
                    producer.send(new ProducerRecord<>(AvroInputs.topicOf(e), null, e.eventTimeMs, e.callId,
                            AvroInputs.toAvro(e)));
                }
            }
            CallSummaryComputed expected = AvroOutputs.toAvro(
                    BoundedCallMetrics.run(events, JobConfig.DEFAULTS, 2).summaries().get(0));
            CallSummaryComputed got = awaitFinal(kafka.bootstrapServers());
            assertThat(got.getCallId().toString()).isEqualTo("submitted-call");
            assertThat(got.getDurationMs()).isEqualTo(expected.getDurationMs());
            assertThat(got.getAgentTalkMs()).isEqualTo(expected.getAgentTalkMs());
            assertThat(got.getOverlapMs()).isEqualTo(expected.getOverlapMs());
            assertThat(got.getInterruptions()).isEqualTo(expected.getInterruptions());
            assertThat(got.getResponseGaps()).isEqualTo(expected.getResponseGaps());
        }
    }

    private CallSummaryComputed awaitFinal(String bootstrap) {
        try (KafkaConsumer<String, CallSummaryComputed> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.GROUP_ID_CONFIG, "job-submit-it",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(),
                AvroSerde.of(CallSummaryComputed.class))) {
            consumer.subscribe(List.of(Topics.CALL_SUMMARIES));
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (System.nanoTime() < deadline) {
                for (var r : consumer.poll(Duration.ofMillis(500))) {
                    return r.value();
                }
            }
        }
        throw new AssertionError("no final summary from the submitted job within 90 s; logs in " + dir);
    }
}
