package io.earshot.pipeline.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.earshot.analysis.config.JobConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricSettingsTest {

    @TempDir
    Path dir;

    private Path file(String yaml) throws IOException {
        return Files.writeString(dir.resolve("settings.yaml"), yaml);
    }

    @Test
    void settingsFileChangesTheNamedThresholdsAndWeights() throws IOException {
        JobConfig c = MetricSettings.apply(JobConfig.DEFAULTS, file("""
                metrics:
                  pauseRespectMinGapMs: 450
                listening:
                  coachingNotes: 2
                  score:
                    weights: {empathy: 0}
                """));

        assertThat(c.metrics().pauseRespectMinGapMs()).isEqualTo(450);
        assertThat(c.listening().coachingNotes()).isEqualTo(2);
        assertThat(c.listening().score().weights()).containsEntry("empathy", 0.0).containsEntry("interruptions", 20.0);
    }

    @Test
    void aServeFileLendsItsMetricAndListeningSections() throws IOException {
        JobConfig c = MetricSettings.apply(JobConfig.DEFAULTS, file("""
                kafka:
                  bootstrap: broker:9092
                audiohook:
                  enabled: false
                twilio:
                  enabled: false
                metrics:
                  deadAirMinMs: 8000
                """));

        assertThat(c.metrics().deadAirMinMs()).isEqualTo(8000);
    }

    @Test
    void serveConfigRefusesAMisspeltListeningSettingAtStart() {
        assertThatThrownBy(() -> EarshotConfig.parse("earshot.yaml", """
                kafka:
                  bootstrap: broker:9092
                audiohook:
                  enabled: false
                twilio:
                  enabled: false
                listening:
                  score:
                    wieghts: {empathy: 1}
                """, Map.of()))
                .hasMessageContaining("earshot.yaml").hasMessageContaining("listening.score.wieghts");
    }

    @Test
    void errorsNameTheFileAndTheSetting() throws IOException {
        Path bad = file("metrics:\n  deadAirMin: 3\n");

        assertThatThrownBy(() -> MetricSettings.read(bad)).hasMessageContaining(bad.toString())
                .hasMessageContaining("metrics.deadAirMin");
        assertThatThrownBy(() -> MetricSettings.read(dir.resolve("missing.yaml")))
                .hasMessageContaining("no such configuration file");
        Path notYaml = Files.writeString(dir.resolve("x.yaml"), "metrics: [unclosed");
        assertThatThrownBy(() -> MetricSettings.read(notYaml)).hasMessageContaining("not valid YAML");
    }
}
