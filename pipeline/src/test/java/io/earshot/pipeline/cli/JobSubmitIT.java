package io.earshot.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.ingest.audio.CallAudio;
import io.earshot.ingest.call.CallAnalysis;
import io.earshot.ingest.call.CallAnalyzer;
import io.earshot.ingest.dsp.VadConfig;
import io.earshot.jobs.calls.JobConfig;
import io.earshot.jobs.common.AvroInputs;
import io.earshot.jobs.common.AvroOutputs;
import io.earshot.jobs.common.AvroSerde;
import io.earshot.jobs.common.CallEvent;
import io.earshot.jobs.common.Topics;
import io.earshot.pipeline.analyze.BoundedCallMetrics;
import io.earshot.pipeline.analyze.CallEvents;
import io.earshot.pipeline.kafka.EmbeddedKafka;
import io.earshot.pipeline.simulate.SampleCalls;
import io.earshot.schemas.CallSummaryComputed;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
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
 * standalone Flink session cluster (a JobManager and a TaskManager, each its own JVM with only
 * Flink on its class path, as a Flink distribution has), and the job, running there, reads a
 * recorded call's events from Kafka and publishes its final summary, equal to what
 * {@code analyze} computes.
 */
class JobSubmitIT {

    /** What the job jar brings or what no cluster has, kept off the cluster JVMs' class path. */
    private static final Pattern NOT_ON_A_CLUSTER = Pattern.compile(
            ".*(/io/earshot/|/earshot-|/org/apache/kafka/|flink-connector-kafka|/org/apache/avro/|/com/fasterxml/"
                    + "|zstd-jni|lz4-java|snappy-java|/target/classes|/target/test-classes"
                    + "|junit|opentest4j|apiguardian|assertj|flink-test-utils|-tests\\.jar).*");

    @TempDir
    Path dir;

    @Test
    void shouldSubmitTheJobJarToASessionClusterThatThenComputesTheCallsSummary() throws Exception {
        int rpc = freePort();
        int rest = freePort();
        Files.writeString(dir.resolve("config.yaml"), """
                jobmanager.rpc.address: localhost
                jobmanager.rpc.port: %d
                jobmanager.bind-host: localhost
                rest.address: localhost
                rest.bind-address: localhost
                rest.port: %d
                taskmanager.host: localhost
                taskmanager.bind-host: localhost
                taskmanager.numberOfTaskSlots: 2
                parallelism.default: 2
                jobmanager.memory.process.size: 768m
                # what Flink's taskmanager.sh computes and passes: a TaskManager started by hand needs it given
                taskmanager.cpu.cores: 2.0
                taskmanager.memory.framework.heap.size: 128m
                taskmanager.memory.framework.off-heap.size: 128m
                taskmanager.memory.task.heap.size: 256m
                taskmanager.memory.task.off-heap.size: 0m
                taskmanager.memory.network.min: 64m
                taskmanager.memory.network.max: 64m
                taskmanager.memory.managed.size: 64m
                taskmanager.memory.jvm-metaspace.size: 256m
                taskmanager.memory.jvm-overhead.min: 192m
                taskmanager.memory.jvm-overhead.max: 192m
                """.formatted(rpc, rest));
        List<Process> cluster = new ArrayList<>();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            cluster.add(flinkJvm("org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint", "jm"));
            cluster.add(flinkJvm("org.apache.flink.runtime.taskexecutor.TaskManagerRunner", "tm"));
            awaitTaskManager(rest, cluster);

            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = EarshotCli.run(new String[] {"job", "--bootstrap", kafka.bootstrapServers(), "--flink",
                "localhost:" + rest, "--job-jar", System.getProperty("earshot.jobJar"), "--from", "earliest",
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
        } finally {
            for (Process p : cluster) {
                p.destroyForcibly().waitFor();
            }
        }
    }

    private Process flinkJvm(String main, String name) throws IOException {
        List<String> classPath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!NOT_ON_A_CLUSTER.matcher(entry.replace(File.separatorChar, '/')).matches()) {
                classPath.add(entry);
            }
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // the same JDK 17 opens Flink's scripts pass (this JVM got them from the pom)
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("--add-exports")).forEach(command::add);
        command.addAll(List.of("-Xmx512m", "-cp", String.join(File.pathSeparator, classPath), main,
                "--configDir", dir.toString()));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile()).start();
    }

    private void awaitTaskManager(int rest, List<Process> started) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            for (Process p : started) {
                if (!p.isAlive()) {
                    throw new AssertionError("a cluster JVM exited with " + p.exitValue() + "; logs: "
                            + Files.readString(dir.resolve("jm.log")) + Files.readString(dir.resolve("tm.log")));
                }
            }
            try {
                String body = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + rest + "/overview"))
                        .build(), HttpResponse.BodyHandlers.ofString()).body();
                if (body.matches("(?s).*\"taskmanagers\"\\s*:\\s*[1-9].*")) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the session cluster did not come up; logs: "
                + Files.readString(dir.resolve("jm.log")) + Files.readString(dir.resolve("tm.log")));
    }

    private CallSummaryComputed awaitFinal(String bootstrap) {
        try (KafkaConsumer<String, CallSummaryComputed> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.GROUP_ID_CONFIG, "job-submit-it",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
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

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
