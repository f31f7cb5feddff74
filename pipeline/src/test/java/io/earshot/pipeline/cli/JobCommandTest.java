package io.earshot.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.earshot.jobs.calls.KafkaJobConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code earshot job}: options to the job's config, and the errors it reports before starting anything. */
class JobCommandTest {

    @Test
    void shouldBuildTheJobConfigFromTheOptionsWithTheLiveDefaults() throws Exception {
        JobCommand command = new JobCommand();
        new CommandLine(command).parseArgs("--bootstrap", "kafka:9092", "--parallelism", "4", "--from", "earliest");

        assertThat(command.config()).isEqualTo(new KafkaJobConfig("kafka:9092", "earshot-metrics", 4,
                KafkaJobConfig.DEFAULT_RUNNING_INTERVAL_MS, KafkaJobConfig.DEFAULT_OUT_OF_ORDERNESS_MS,
                KafkaJobConfig.DEFAULT_IDLE_ADVANCE_MS, KafkaJobConfig.StartFrom.EARLIEST,
                KafkaJobConfig.DEFAULT_CHECKPOINT_INTERVAL_MS, "{}",
                java.nio.file.Path.of(System.getProperty("user.home"), ".earshot", "checkpoints").toUri().toString(),
                KafkaJobConfig.StateBackend.HASHMAP, KafkaJobConfig.DEFAULT_TRANSACTION_TIMEOUT_MS));
    }

    @Test
    void shouldLeaveTheCheckpointDirectoryToTheClusterUnlessGiven() throws Exception {
        JobCommand remote = new JobCommand();
        new CommandLine(remote).parseArgs("--bootstrap", "kafka:9092", "--flink", "jm:8081");
        JobCommand given = new JobCommand();
        new CommandLine(given).parseArgs("--bootstrap", "kafka:9092", "--flink", "jm:8081", "--checkpoint-dir",
                "s3://cp/earshot", "--checkpoint-interval-ms", "5000", "--state-backend", "rocksdb",
                "--resume-from", "s3://cp/earshot/abc/chk-7");

        assertThat(remote.config().checkpointDir()).isNull();
        assertThat(given.config().checkpointDir()).isEqualTo("s3://cp/earshot");
        assertThat(given.config().checkpointIntervalMs()).isEqualTo(5_000);
        assertThat(given.config().stateBackend()).isEqualTo(KafkaJobConfig.StateBackend.ROCKSDB);
        assertThat(given.environment().toMap()).containsEntry("execution.state-recovery.path",
                "s3://cp/earshot/abc/chk-7");
    }

    @Test
    void shouldTakeTheWatermarksOutOfOrdernessFromItsOption() throws Exception {
        JobCommand given = new JobCommand();
        new CommandLine(given).parseArgs("--bootstrap", "kafka:9092", "--out-of-orderness-ms", "750",
                "--idle-advance-ms", "900");
        JobCommand negative = new JobCommand();
        new CommandLine(negative).parseArgs("--bootstrap", "kafka:9092", "--out-of-orderness-ms", "-1");

        assertThat(given.config().outOfOrdernessMs()).isEqualTo(750);
        assertThat(given.config().idleAdvanceMs()).isEqualTo(900);
        assertThatThrownBy(negative::config).hasMessageContaining("--out-of-orderness-ms must not be negative");
    }

    @Test
    void shouldParseTheFlinkAddress() {
        assertThat(JobCommand.hostPort("flink-jobmanager:8081")).isEqualTo(new JobCommand.HostPort("flink-jobmanager", 8081));
        assertThatThrownBy(() -> JobCommand.hostPort("flink")).hasMessage("--flink must be HOST:PORT, was flink");
        assertThatThrownBy(() -> JobCommand.hostPort("flink:http")).hasMessage("--flink must be HOST:PORT, was flink:http");
        assertThatThrownBy(() -> JobCommand.hostPort("flink:0")).hasMessage("--flink port must be 1-65535, was 0");
    }

    @Test
    void shouldReportABadOptionAsBadInputWithoutStartingAJob() {
        StringWriter err = new StringWriter();

        int exit = EarshotCli.run(new String[] {"job", "--bootstrap", "kafka:9092", "--from", "yesterday"},
                new PrintWriter(new StringWriter()), new PrintWriter(err));

        assertThat(exit).isEqualTo(EarshotCli.EXIT_BAD_INPUT);
        assertThat(err.toString()).startsWith("earshot: --from must be earliest, latest or committed, was yesterday")
                .doesNotContain("\tat ");
    }

    @Test
    void shouldRefuseToSubmitWithoutTheJobJar() {
        StringWriter err = new StringWriter();

        int exit = EarshotCli.run(new String[] {"job", "--bootstrap", "kafka:9092", "--flink", "localhost:8081",
                "--job-jar", "no/such/earshot-jobs-job.jar"}, new PrintWriter(new StringWriter()), new PrintWriter(err));

        assertThat(exit).isEqualTo(EarshotCli.EXIT_BAD_INPUT);
        assertThat(err.toString()).contains("earshot: no job jar at no/such/earshot-jobs-job.jar");
    }

    @Test
    void shouldTakeBootstrapAndClientPropertiesFromTheServeConfigAndAPropertiesFileOverThem(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path serve = dir.resolve("earshot.yaml");
        java.nio.file.Files.writeString(serve, """
                kafka:
                  bootstrap: broker-1:9093
                  properties:
                    security.protocol: SASL_SSL
                    sasl.mechanism: PLAIN
                    sasl.jaas.config: ${env:KAFKA_JAAS}
                    config.providers: env
                    config.providers.env.class: org.apache.kafka.common.config.provider.EnvVarConfigProvider
                audiohook:
                  apiKeys: {genesys: c2VjcmV0}
                twilio: {enabled: false}
                """);
        java.nio.file.Path tuning = dir.resolve("kafka.properties");
        java.nio.file.Files.writeString(tuning, "sasl.mechanism=SCRAM-SHA-512\nrequest.timeout.ms=60000\n");
        JobCommand command = new JobCommand();
        new CommandLine(command).parseArgs("--config", serve.toString(), "--kafka-properties", tuning.toString());

        KafkaJobConfig config = command.config();

        assertThat(config.bootstrapServers()).isEqualTo("broker-1:9093");
        assertThat(config.kafkaProperties()).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.jaas.config", "${env:KAFKA_JAAS}")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512").containsEntry("request.timeout.ms", "60000")
                .hasSize(6);
    }

    @Test
    void shouldRequireABootstrapFromTheOptionsOrTheConfig() {
        StringWriter err = new StringWriter();

        int exit = EarshotCli.run(new String[] {"job"}, new PrintWriter(new StringWriter()), new PrintWriter(err));

        assertThat(exit).isEqualTo(EarshotCli.EXIT_BAD_INPUT);
        assertThat(err.toString()).contains("--bootstrap is required (or a --config file with a kafka: section)");
    }
}
