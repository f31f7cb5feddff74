package io.earshot.jobs.calls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The job jar the module packages for {@code flink run}: it must hold what a Flink cluster
 * does not provide and nothing of Flink itself. Checked by loading the job from the jar in a
 * class loader that sees only the jar and this build's Flink (with Flink's own dependencies),
 * the way a cluster would: the graph must build, the contracts (Avro, with its Jackson) and
 * the Kafka client must load and run.
 */
class JobJarIT {

    /** What the job jar brings, so the stand-in for the cluster's classpath must not. */
    private static final Pattern BROUGHT_BY_THE_JAR = Pattern.compile(
            ".*(/io/earshot/|/earshot-|/org/apache/kafka/|flink-connector-kafka|/org/apache/avro/|/com/fasterxml/"
                    + "|zstd-jni|lz4-java|snappy-java|/target/classes|/target/test-classes"
                    // test-only: not on a cluster either
                    + "|junit|opentest4j|apiguardian|assertj|flink-test-utils|-tests\\.jar).*");

    private static Path jobJar() {
        String jar = System.getProperty("earshot.jobJar");
        assertThat(jar).as("system property earshot.jobJar (set by the pom)").isNotNull();
        return Path.of(jar);
    }

    @Test
    void shouldNameTheJobAsMainClassAndLeaveFlinkToTheCluster() throws IOException {
        try (JarFile jar = new JarFile(jobJar().toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo(KafkaCallMetricsJob.class.getName());
            List<String> names = jar.stream().map(e -> e.getName()).toList();
            assertThat(names).contains("io/earshot/jobs/calls/KafkaCallMetricsJob.class",
                    "io/earshot/schemas/CallSummaryComputed.class", "org/apache/avro/Schema.class",
                    "com/fasterxml/jackson/databind/JsonNode.class",
                    "org/apache/flink/connector/kafka/source/KafkaSource.class",
                    "org/apache/kafka/clients/consumer/KafkaConsumer.class");
            // (the connector's own classes include org/apache/flink/streaming/connectors/kafka/)
            assertThat(names.stream().filter(n -> n.endsWith(".class") && (n.startsWith("org/apache/flink/streaming/api/")
                    || n.startsWith("org/apache/flink/streaming/runtime/") || n.startsWith("org/apache/flink/runtime/")
                    || n.startsWith("org/apache/flink/api/common/") || n.startsWith("org/apache/flink/connector/base/")
                    || n.startsWith("org/slf4j/") || n.startsWith("org/apache/logging/")))).isEmpty();
        }
    }

    @Test
    void shouldBuildTheJobAndEncodeItsRecordsFromTheJarAndFlinkAlone() throws Exception {
        List<URL> urls = new ArrayList<>();
        urls.add(jobJar().toUri().toURL());
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!BROUGHT_BY_THE_JAR.matcher(entry.replace(File.separatorChar, '/')).matches()) {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        try (URLClassLoader cluster = new URLClassLoader(urls.toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader())) {
            Class<?> job = Class.forName(KafkaCallMetricsJob.class.getName(), true, cluster);
            assertThat(job.getClassLoader()).isSameAs(cluster);
            Class<?> configType = Class.forName(KafkaJobConfig.class.getName(), true, cluster);
            Object config = configType.getMethod("of", String.class, String.class)
                    .invoke(null, "localhost:9092", "job-jar-it");
            Class<?> envType = Class.forName(
                    "org.apache.flink.streaming.api.environment.StreamExecutionEnvironment", true, cluster);
            Object env = envType.getMethod("getExecutionEnvironment").invoke(null);
            job.getMethod("define", envType, configType).invoke(null, env, config);
            Object graph = envType.getMethod("getStreamGraph").invoke(env);
            assertThat(graph.toString()).isNotBlank();

            // the contracts' classes parse their schemas (Avro, Jackson) and the serde encodes one
            Class<?> serde = Class.forName("io.earshot.contracts.AvroSerde", true, cluster);
            Class<?> ended = Class.forName("io.earshot.schemas.CallEnded", true, cluster);
            Object record = ended.getConstructor(String.class, Long.class, String.class, java.time.Instant.class,
                            java.time.Instant.class)
                    .newInstance("c1", 1_000L, "eof", java.time.Instant.ofEpochMilli(5_000),
                            java.time.Instant.ofEpochMilli(4_000));
            Object of = serde.getMethod("of", Class.class).invoke(null, ended);
            Method serialize = serde.getMethod("serialize", String.class, Class.forName(
                    "org.apache.avro.specific.SpecificRecord", true, cluster));
            byte[] bytes = (byte[]) serialize.invoke(of, "earshot.calls", record);
            Object back = serde.getMethod("deserialize", String.class, byte[].class).invoke(of, "earshot.calls", bytes);
            assertThat(back).isEqualTo(record);
        }
    }
}
