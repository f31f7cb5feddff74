package io.earshot.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientPropertiesTest {

    @TempDir
    Path dir;

    @Test
    void shouldLayTheConfiguredPropertiesOverTheClientDefaultsAndTheBootstrapOverBoth() {
        Properties p = KafkaClientProperties.of("kafka:9092",
                Map.of("security.protocol", "SASL_SSL", "linger.ms", "20"),
                Map.of("linger.ms", "5", "acks", "all"));

        assertThat(p).containsOnly(Map.entry("bootstrap.servers", "kafka:9092"),
                Map.entry("security.protocol", "SASL_SSL"), Map.entry("linger.ms", "20"), Map.entry("acks", "all"));
    }

    @Test
    void shouldRefuseSettingsTheClientsDependOnNamingTheSourceAndKey() {
        assertThatThrownBy(() -> KafkaClientProperties.validate("kafka.properties", Map.of("group.id", "mine")))
                .hasMessageStartingWith("kafka.properties: group.id may not be set here");
        assertThatThrownBy(() -> KafkaClientProperties.validate("x.properties", Map.of("bootstrap.servers", "b:1")))
                .hasMessageContaining("from the bootstrap setting");
    }

    @Test
    void shouldReadAPropertiesFileResolvingEnvironmentValuesButLeavingConfigProviderReferences() throws Exception {
        Path file = dir.resolve("kafka.properties");
        Files.writeString(file, """
                security.protocol=SASL_SSL
                sasl.mechanism=PLAIN
                sasl.jaas.config=${KAFKA_JAAS}
                ssl.truststore.password=${file:/etc/earshot/secrets.properties:truststore}
                config.providers=file
                """);

        Map<String, String> p = KafkaClientProperties.load(file, Map.of("KAFKA_JAAS", "jaas-line"));

        assertThat(p).containsEntry("sasl.jaas.config", "jaas-line")
                .containsEntry("ssl.truststore.password", "${file:/etc/earshot/secrets.properties:truststore}")
                .containsEntry("security.protocol", "SASL_SSL").hasSize(5);
    }

    @Test
    void shouldNameTheFileAndKeyOfAnUnsetVariableAndAMissingFile() throws Exception {
        Path file = dir.resolve("kafka.properties");
        Files.writeString(file, "sasl.jaas.config=${KAFKA_JAAS}\n");

        assertThatThrownBy(() -> KafkaClientProperties.load(file, Map.of()))
                .hasMessage(file + ": sasl.jaas.config: environment variable KAFKA_JAAS is not set");
        assertThatThrownBy(() -> KafkaClientProperties.load(file, Map.of("KAFKA_JAAS", "")))
                .hasMessage(file + ": sasl.jaas.config: environment variable KAFKA_JAAS is empty");
        assertThatThrownBy(() -> KafkaClientProperties.load(dir.resolve("none"), Map.of()))
                .hasMessageEndingWith("none: no such Kafka properties file");
    }
}
