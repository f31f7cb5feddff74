package io.earshot.jobs.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.earshot.analysis.config.JobConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaJobConfigTest {

    @Test
    void shouldTakeTheLiveDefaultsForWhatIsNotGiven() {
        KafkaJobConfig c = KafkaJobConfig.parse("--bootstrap", "kafka:9092", "--group", "metrics");

        assertThat(c).isEqualTo(new KafkaJobConfig("kafka:9092", "metrics", 2, 50, 50, 50,
                KafkaJobConfig.StartFrom.COMMITTED, 2_000));
        assertThat(c.checkpointDir()).isNull();
        assertThat(c.stateBackend()).isEqualTo(KafkaJobConfig.StateBackend.HASHMAP);
        assertThat(c.transactionTimeoutMs()).isEqualTo(600_000);
        assertThat(c.jobConfig().runningIntervalMs()).isEqualTo(50);
        assertThat(c.jobConfig().outOfOrdernessMs()).isEqualTo(50);
        assertThat(c.jobConfig().finalGraceMs()).isEqualTo(JobConfig.DEFAULTS.finalGraceMs());
    }

    @Test
    void shouldParseEveryOption() {
        KafkaJobConfig c = KafkaJobConfig.parse("--bootstrap=b:1", "--group", "g", "--parallelism", "4",
                "--running-interval-ms", "250", "--out-of-orderness-ms", "0", "--idle-advance-ms", "3000",
                "--from", "earliest", "--checkpoint-interval-ms", "60000", "--checkpoint-dir", "s3://bucket/earshot",
                "--state-backend", "rocksdb", "--transaction-timeout-ms", "300000");

        assertThat(c).isEqualTo(new KafkaJobConfig("b:1", "g", 4, 250, 0, 3_000,
                KafkaJobConfig.StartFrom.EARLIEST, 60_000, "{}", "s3://bucket/earshot",
                KafkaJobConfig.StateBackend.ROCKSDB, 300_000));
    }

    @Test
    void shouldTakeAnAbsoluteCheckpointPathAsAFileUri() {
        KafkaJobConfig c = KafkaJobConfig.parse("--bootstrap", "b:1", "--group", "g", "--checkpoint-dir", "/var/lib/cp");

        assertThat(c.checkpointDir()).isEqualTo("file:///var/lib/cp");
        assertThatThrownBy(() -> KafkaJobConfig.parse("--bootstrap", "b:1", "--group", "g", "--checkpoint-dir", "cp"))
                .hasMessageStartingWith("--checkpoint-dir must be a URI or an absolute path, was cp");
    }

    @Test
    void shouldRetainCheckpointsInTheGivenDirectoryAndRestartWithExponentialDelay() {
        KafkaJobConfig c = KafkaJobConfig.parse("--bootstrap", "b:1", "--group", "g", "--checkpoint-dir", "/cp");

        Map<String, String> conf = KafkaCallMetricsJob.faultTolerance(c).toMap();

        assertThat(conf).containsEntry("state.backend.type", "hashmap")
                .containsEntry("execution.checkpointing.storage", "filesystem")
                .containsEntry("execution.checkpointing.dir", "file:///cp")
                .containsEntry("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION")
                .containsEntry("restart-strategy.type", "exponential-delay")
                .containsEntry("restart-strategy.exponential-delay.initial-backoff", "1 s")
                .containsEntry("restart-strategy.exponential-delay.max-backoff", "1 min");
        // without a directory the cluster's applies: nothing about storage is set
        assertThat(KafkaCallMetricsJob.faultTolerance(KafkaJobConfig.of("b:1", "g")).toMap())
                .doesNotContainKeys("execution.checkpointing.dir", "execution.checkpointing.storage");
    }

    @Test
    void shouldNameTheProblemAndShowTheUsage() {
        assertThatThrownBy(() -> KafkaJobConfig.parse("--group", "g"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--bootstrap is required\nusage: KafkaCallMetricsJob");
        assertThatThrownBy(() -> KafkaJobConfig.parse("--bootstrap", "b:1", "--group", "g", "--from", "now"))
                .hasMessageStartingWith("--from must be earliest, latest or committed, was now");
        assertThatThrownBy(() -> KafkaJobConfig.parse("--bootstrap", "b:1", "--group", "g", "--parallelism", "x"))
                .hasMessageStartingWith("not a number");
        assertThatThrownBy(() -> KafkaJobConfig.parse("--bootstrap", "b:1", "--group"))
                .hasMessageStartingWith("--group needs a value");
        assertThatThrownBy(() -> KafkaJobConfig.parse("--bootstrap", "b:1", "--group", "g", "--speed", "1"))
                .hasMessageStartingWith("unknown option --speed");
        assertThatThrownBy(() -> KafkaJobConfig.parse("--bootstrap", "b:1", "--group", "g", "--state-backend", "disk"))
                .hasMessageStartingWith("--state-backend must be hashmap or rocksdb, was disk");
        assertThatThrownBy(() -> KafkaJobConfig.parse("--bootstrap", "b:1", "--group", "g",
                "--transaction-timeout-ms", "1000"))
                .hasMessageStartingWith("--transaction-timeout-ms must exceed the checkpoint timeout");
    }

    @Test
    void shouldCarryTheKafkaClientPropertiesOfAPropertiesFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = dir.resolve("kafka.properties");
        java.nio.file.Files.writeString(file, "security.protocol=SASL_SSL\nsasl.mechanism=PLAIN\n");

        KafkaJobConfig c = KafkaJobConfig.parse("--bootstrap", "b:1", "--group", "g", "--kafka-properties",
                file.toString());

        assertThat(c.kafkaProperties()).isEqualTo(java.util.Map.of("security.protocol", "SASL_SSL",
                "sasl.mechanism", "PLAIN"));
        assertThatThrownBy(() -> KafkaJobConfig.parse("--bootstrap", "b:1", "--group", "g", "--kafka-properties",
                dir.resolve("missing").toString())).hasMessageContaining("no such Kafka properties file");
        assertThatThrownBy(() -> KafkaJobConfig.of("b:1", "g").withKafkaProperties(java.util.Map.of("group.id", "x")))
                .hasMessageStartingWith("--kafka-properties: group.id may not be set here");
    }
}
