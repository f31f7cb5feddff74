package io.earshot.jobs.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KafkaJobConfigTest {

    @Test
    void shouldTakeTheLiveDefaultsForWhatIsNotGiven() {
        KafkaJobConfig c = KafkaJobConfig.parse("--bootstrap", "kafka:9092", "--group", "metrics");

        assertThat(c).isEqualTo(new KafkaJobConfig("kafka:9092", "metrics", 2, 500, 500, 1_000,
                KafkaJobConfig.StartFrom.COMMITTED, 10_000));
        assertThat(c.jobConfig().runningIntervalMs()).isEqualTo(500);
        assertThat(c.jobConfig().outOfOrdernessMs()).isEqualTo(500);
        assertThat(c.jobConfig().finalGraceMs()).isEqualTo(JobConfig.DEFAULTS.finalGraceMs());
    }

    @Test
    void shouldParseEveryOption() {
        KafkaJobConfig c = KafkaJobConfig.parse("--bootstrap=b:1", "--group", "g", "--parallelism", "4",
                "--running-interval-ms", "250", "--out-of-orderness-ms", "0", "--idle-advance-ms", "3000",
                "--from", "earliest", "--checkpoint-interval-ms", "60000");

        assertThat(c).isEqualTo(new KafkaJobConfig("b:1", "g", 4, 250, 0, 3_000,
                KafkaJobConfig.StartFrom.EARLIEST, 60_000));
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
