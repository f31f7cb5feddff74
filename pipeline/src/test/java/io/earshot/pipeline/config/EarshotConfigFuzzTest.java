package io.earshot.pipeline.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Coverage-guided fuzzing of {@link EarshotConfig#parse}, the YAML of {@code serve} (and, through
 * its {@code metrics:} and {@code listening:} sections, the metric job's settings): any text
 * either gives a configuration or fails with an {@link IllegalArgumentException} whose message
 * names the file, so {@code serve} can print it as one line. Anything else thrown is a finding.
 * The seeds ({@code EarshotConfigFuzzTestInputs/}) are valid configurations: the documented full
 * file, a minimal one and one with every metric, listening, alert and nudge setting.
 */
class EarshotConfigFuzzTest {

    private static final String NAME = "fuzz.yaml";
    private static final Map<String, String> ENV = Map.of(
            "AUDIOHOOK_SECRET", "c2VjcmV0", "TWILIO_STREAM_TOKEN", "t0k", "KAFKA_JAAS", "jaas",
            "EARSHOT_DB_PASSWORD", "pw", "EMPTY", "");

    @FuzzTest(maxDuration = "30s")
    void readsEveryFileOrRejectsItWithAnErrorNamingTheFile(byte[] file) {
        String yaml = new String(file, StandardCharsets.UTF_8);
        EarshotConfig config;
        try {
            config = EarshotConfig.parse(NAME, yaml, ENV);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).startsWith(NAME + ": ");
            return;
        }
        assertThat(config.kafka().bootstrap()).isNotBlank();
        assertThat(config.jobConfig()).isNotNull();
    }
}
